"""One state, every view: what a new user tried and found out of step, each now in step."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import expr_link, label, open_link, set_input, type_expression

pytestmark = pytest.mark.e2e

BOXES_MEET = """([a, b]) => {
  const r = (sel) => document.querySelector(sel).getBoundingClientRect();
  const p = r(a), q = r(b);
  return p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
}"""


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query, keep_blank_values=True)


def test_the_expression_box_is_invalid_exactly_while_it_holds_an_error(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, expr_link("x*y", x=4, y=-3))
    box = app_page.locator("#expr")
    expect(box).to_have_attribute("aria-invalid", "false")
    type_expression(app_page, "(x + ) * y")
    expect(box).to_have_attribute("aria-invalid", "true")
    type_expression(app_page, "x + y")
    expect(label(app_page, "f", "value")).to_have_text("1")
    expect(box).to_have_attribute("aria-invalid", "false")
    expect(box).not_to_have_class("invalid")


def test_a_parameter_edit_reaches_the_address_bar_and_about(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=patterns&large")
    gate = app_page.evaluate(
        "[...window.backprop.store.state.model.nodes.values()].find(n => n.op === 'mul_const').id"
    )
    app_page.locator(f'g.node[data-node-id="{gate}"] circle.gate-body').click()
    field = app_page.locator('#inspector input[data-param="a"]')
    field.fill("3")
    field.press("Enter")
    expect(app_page.locator(f'g.node[data-node-id="{gate}"] .gate-symbol')).to_have_text("×3")
    expect(app_page.locator("#about")).to_contain_text("Edited from the example")
    app_page.wait_for_function("location.search.includes('circuit=')")
    params = query(app_page)
    assert "large" in params
    circuit = json.loads(params["circuit"][0])
    assert next(n for n in circuit["nodes"] if n["id"] == gate)["params"] == {"a": 3}
    shown = label(app_page, "f", "value").text_content()
    app_page.goto(app_page.url)  # reopening the link shows the new number
    expect(label(app_page, "f", "value")).to_have_text(shown or "?")
    expect(app_page.locator(f'g.node[data-node-id="{gate}"] .gate-symbol')).to_have_text("×3")
    expect(app_page.locator("html")).to_have_class("large")


def test_menu_box_and_about_agree_after_switching(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=staged")
    menu = app_page.locator("#examples")
    expect(menu).to_have_value("staged")
    type_expression(app_page, "x * y + 1")
    expect(app_page.locator("#about")).to_contain_text("f = x * y + 1")
    expect(menu).to_have_value("")
    menu.select_option("neuron")
    expect(app_page.locator("#about")).to_contain_text("2-D neuron")
    expect(app_page.locator("#expr")).to_have_value("")
    app_page.locator("#undo").click()
    expect(app_page.locator("#about")).to_contain_text("f = x * y + 1")
    expect(app_page.locator("#expr")).to_have_value("x * y + 1")
    expect(menu).to_have_value("")


def test_new_leaves_no_player_readout_or_numbers_behind(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("x*y", x=4, y=-3))
    expect(app_page.locator("#counter")).to_have_text("step 5 / 5")
    app_page.locator("#new").click()
    expect(app_page.locator("g.node")).to_have_count(0)
    expect(app_page.locator("#phase")).not_to_have_text("done")
    expect(app_page.locator("#counter")).not_to_contain_text("/ 5")
    expect(app_page.locator("[data-role=readout-line]")).to_have_count(0)
    expect(app_page.locator("#play")).to_be_disabled()


def test_an_error_clears_the_old_gradients_from_the_chain_rule_panel(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, expr_link("x*y", x=4, y=-3))
    expect(app_page.locator("[data-role=readout-line]")).to_have_count(2)
    type_expression(app_page, "log(x) * y")
    expect(app_page.locator('g.node[data-op="log"]')).to_have_count(1)  # the new circuit is open
    set_input(app_page, "x", -3)
    expect(app_page.locator("#message")).to_have_class("message error")
    expect(app_page.locator("[data-role=readout-line]")).to_have_count(0)
    expect(app_page.locator("#viewport text.label.grad:not(:empty)")).to_have_count(0)
    expect(app_page.locator("#viewport.stale")).to_have_count(0)


def test_three_inputs_on_a_blank_canvas_ask_for_an_output_and_a_click_gives_it(
    app_page: Page, server_url: str
) -> None:
    app_page.goto(server_url)
    app_page.locator("#new").click()
    for _ in range(3):
        app_page.locator('#palette button[data-op="input"]').click()
    message = app_page.locator("#message")
    expect(message).to_contain_text("Which of x, y, z is the result?")
    expect(message).not_to_contain_text("sink")
    app_page.locator('g.node[data-node-id="y"] rect.pill').click()
    expect(app_page.locator('g.node[data-node-id="y"]')).to_have_class(re.compile(r"\boutput\b"))
    expect(label(app_page, "y", "grad")).to_have_text("1")


def test_messages_and_readouts_use_the_palettes_names(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("1 / (2 * x)", x=4))
    app_page.keyboard.press("End")
    titles = []
    for _ in range(6):
        app_page.keyboard.press("ArrowLeft")
        titles.append(app_page.locator("[data-role=readout-title]").text_content() or "")
    text = " ".join(titles)
    assert "Reciprocal" in text and "Scale by a constant" in text, titles
    assert "inv" not in text and "mul_const" not in text and "_" not in text, titles


def test_a_domain_error_says_which_gate_and_why(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("log(x) * y", x=2, y=3))
    set_input(app_page, "x", -3)
    message = app_page.locator("#message")
    expect(message).to_contain_text("Natural log needs a positive input; it got -3")
    expect(message).not_to_contain_text("not a finite number")


def test_forward_steps_show_numbers_and_powers_their_exponent(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, expr_link("(x + y) ** 2", x=1, y=2))
    app_page.keyboard.press("Home")
    app_page.keyboard.press("ArrowRight")
    expect(app_page.locator("[data-role=readout-line]")).to_have_text("add1 = x + y = 1 + 2 = 3")
    app_page.keyboard.press("ArrowRight")
    expect(app_page.locator("[data-role=readout-line]")).to_have_text("f = add1 ** 2 = 3 ** 2 = 9")


def test_a_max_tie_says_where_the_gradient_went(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("max(x, y)", x=2, y=2))
    app_page.locator('g.node[data-node-id="f"] circle.gate-body').click()
    tie = app_page.locator("#inspector .tie")
    expect(tie).to_contain_text("The whole gradient went to x, none to y")
    expect(label(app_page, "x", "grad")).to_have_text("1")
    expect(label(app_page, "y", "grad")).to_have_text("0")


def test_large_text_grows_names_and_panels_too(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("x*y", x=4, y=-3))
    size = """(sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)"""
    parts = ["#viewport .node-name", "#viewport .gate-symbol", "#readout .line", "#inputs label"]
    before = [app_page.evaluate(size, sel) for sel in parts]
    app_page.locator("#large").click()
    expect(app_page.locator("#large")).to_have_attribute("aria-pressed", "true")
    after = [app_page.evaluate(size, sel) for sel in parts]
    assert all(b > a for a, b in zip(before, after, strict=True)), (before, after)


def test_presentation_mode_gives_the_circuit_the_screen_and_pages_through_steps(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, expr_link("x*y", x=4, y=-3))
    app_page.locator("#present").click()
    expect(app_page.locator(".sidebar.left")).to_be_hidden()
    expect(app_page.locator(".sidebar.right")).to_be_hidden()
    box = app_page.locator("#canvas").bounding_box()
    assert box and box["width"] >= 1590
    app_page.keyboard.press("Home")
    app_page.keyboard.press("PageDown")
    app_page.keyboard.press("PageDown")
    expect(app_page.locator("#counter")).to_have_text("step 3 / 5")
    app_page.keyboard.press("PageUp")
    expect(app_page.locator("#counter")).to_have_text("step 2 / 5")


@pytest.mark.parametrize("width", [1024, 1280])
def test_narrow_screens_keep_the_controls_apart(
    app_page: Page, server_url: str, width: int
) -> None:
    app_page.set_viewport_size({"width": width, "height": 768})
    open_link(app_page, server_url, "?example=staged")
    assert not app_page.evaluate(BOXES_MEET, [".legend", ".zoom"])
    assert not app_page.evaluate(BOXES_MEET, ["#phase", "#counter"])
    assert not app_page.evaluate(BOXES_MEET, ["#expr-form button", "#examples"])


def test_a_phone_shows_the_diagram_first_with_room(app_page: Page, server_url: str) -> None:
    app_page.set_viewport_size({"width": 390, "height": 844})
    open_link(app_page, server_url, "?example=add-mul")
    canvas = app_page.locator("#canvas").bounding_box()
    readout = app_page.locator("#readout").bounding_box()
    assert canvas and readout
    assert canvas["width"] >= 380 and canvas["height"] >= 400
    assert readout["y"] > canvas["y"] + canvas["height"]
    assert app_page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(label(app_page, "f", "value")).to_be_in_viewport()


def test_a_saved_circuit_opens_from_its_link_and_edits_leave_it_unchanged(
    app_page: Page, server_url: str
) -> None:
    nodes = [
        {"id": "x", "op": "input", "value": -2},
        {"id": "y", "op": "input", "value": 5},
        {"id": "z", "op": "input", "value": -4},
        {"id": "q", "op": "add", "inputs": ["x", "y"], "ui": {"x": 300, "y": 40}},
        {"id": "f", "op": "mul", "inputs": ["q", "z"]},
    ]
    saved = app_page.request.post(
        f"{server_url}/api/circuits", data={"circuit": {"nodes": nodes, "output": "f"}}
    )
    assert saved.status == 201
    url = saved.json()["url"]
    open_link(app_page, server_url, url.lstrip("/"))
    expect(label(app_page, "f", "value")).to_have_text("-12")  # the notes' (x + y) z
    assert urlparse(app_page.url).path == url
    set_input(app_page, "x", 1)
    expect(label(app_page, "f", "value")).to_have_text("-24")
    app_page.wait_for_function(f"location.pathname + location.search === '{url}?x=1&y=5&z=-4'")
    app_page.goto(app_page.url)
    expect(label(app_page, "f", "value")).to_have_text("-24")
    app_page.locator('g.node[data-node-id="q"] circle.gate-body').click()
    app_page.keyboard.press("Delete")
    app_page.wait_for_function("location.search.includes('circuit=')")
    again = app_page.request.get(f"{server_url}/api{url.replace('/c/', '/circuits/')}").json()
    assert again["circuit"]["nodes"][0]["value"] == -2
