"""Modularity in the browser: the notes' 2-D neuron, its sigmoid grouped from primitive
gates, the built-in sigmoid expanded into them, and collapsed back; the outside wires
keep the notes' numbers throughout (w = [2, -3, -3], x = [-1, -2]: f = 0.7311,
dw = [-0.1966, -0.3932, 0.1966], dx = [0.3932, -0.5898])."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import label, open_link

pytestmark = pytest.mark.e2e

NOTES = {"f": ("value", "0.7311"), "w0": ("grad", "-0.1966"), "x0": ("grad", "0.3932")}
MORE = {"w1": ("grad", "-0.3932"), "x1": ("grad", "-0.5898"), "w2": ("grad", "0.1966")}


def _expect_the_notes_numbers(page: Page) -> None:
    for node, (role, text) in {**NOTES, **MORE}.items():
        expect(label(page, node, role)).to_have_text(text)


def _click(page: Page, node: str, shift: bool = False) -> None:
    body = page.locator(f'g.node[data-node-id="{node}"] circle.gate-body')
    body.click(modifiers=["Shift"] if shift else [])


def test_group_the_primitive_sigmoid_into_one_gate_then_expand_and_collapse(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=neuron-primitives")
    _expect_the_notes_numbers(app_page)
    _click(app_page, "neg")
    for node in ("e", "den", "f"):
        _click(app_page, node, shift=True)
    inspector = app_page.locator("#inspector")
    expect(inspector).to_contain_text("4 gates selected: neg, e, den, f")
    app_page.locator("#group-name").fill("sigmoid")
    app_page.locator("#group").click()
    group = app_page.locator('g.node[data-node-id="f"]')
    expect(group).to_have_attribute("data-op", "group")
    expect(group.locator("text.gate-symbol")).to_have_text("sigmoid")
    expect(app_page.locator('g.node[data-node-id="e"]')).to_have_count(0)
    _expect_the_notes_numbers(app_page)
    expect(inspector).to_contain_text('f: group "sigmoid"')
    expect(inspector).to_contain_text("∂f/∂dot")
    expect(inspector).to_contain_text("backprop through its gates = 0.1966")
    same = inspector.locator('[data-role="same"] [data-wire]')
    expect(same).to_have_text(
        [
            "dot: 1 / 0.1966 — same as its primitive gates: 1 / 0.1966 — identical",
            "f: 0.7311 / 1 — same as its primitive gates: 0.7311 / 1 — identical",
        ]
    )

    app_page.locator("#reset").click()
    for _ in range(7):  # forward through w0x0, w1x1, s, dot and the group; the seed; then f
        app_page.locator("#canvas").press("ArrowRight")
    expect(app_page.locator("[data-role=readout-title]")).to_have_text(
        'Backward through f (group "sigmoid")'
    )
    expect(app_page.locator("[data-role=readout-line]")).to_have_text(
        ["ddot = local 0.1966 × upstream 1 = 0.1966"]
    )
    app_page.locator("#expand").click()
    frame = app_page.locator('g.frame[data-frame-id="f"]')
    expect(frame).to_contain_text("sigmoid (f), expanded")
    expect(app_page.locator('g.node[data-node-id="f"]')).to_have_attribute("data-op", "inv")
    _expect_the_notes_numbers(app_page)
    expect(inspector.locator('[data-role="same"] [data-wire="f"]')).to_contain_text(
        "same as one sigmoid gate"
    )
    app_page.locator("#collapse").click()
    expect(frame).to_have_count(0)
    expect(app_page.locator('g.node[data-node-id="f"]')).to_have_attribute("data-op", "group")
    _expect_the_notes_numbers(app_page)

    app_page.reload()  # the grouped circuit rides in the link
    expect(app_page.locator('g.node[data-node-id="f"]')).to_have_attribute("data-op", "group")
    _expect_the_notes_numbers(app_page)


def test_expand_the_built_in_sigmoid_and_collapse_it_back(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=neuron")
    _expect_the_notes_numbers(app_page)
    _click(app_page, "f")
    inspector = app_page.locator("#inspector")
    same = inspector.locator('[data-role="same"] [data-wire="dot"]')
    expect(same).to_contain_text("dot: 1 / 0.1966 — same as its primitive gates: 1 / 0.1966")
    expect(same).to_contain_text("— identical")  # to the last digits: σ's own formula rounds apart
    app_page.locator("#expand").click()
    expect(app_page.locator('g.frame[data-frame-id="f"]')).to_contain_text("Sigmoid (f), expanded")
    for node, op in {"neg": "mul_const", "e": "exp", "den": "add_const", "f": "inv"}.items():
        expect(app_page.locator(f'g.node[data-node-id="{node}"]')).to_have_attribute("data-op", op)
    _expect_the_notes_numbers(app_page)
    expect(label(app_page, "e", "value")).to_have_text("0.3679")  # e^-1
    expect(label(app_page, "den", "grad")).to_have_text("-0.5344")  # -1 / 1.3679²
    expect(inspector.locator('[data-role="same"] [data-wire="f"]')).to_contain_text(
        "same as one Sigmoid gate: 0.7311 / 1"
    )
    app_page.locator("#collapse").click()
    expect(app_page.locator('g.node[data-node-id="f"]')).to_have_attribute("data-op", "sigmoid")
    expect(app_page.locator('g.node[data-node-id="e"]')).to_have_count(0)
    _expect_the_notes_numbers(app_page)
    app_page.locator("#undo").click()
    expect(app_page.locator('g.frame[data-frame-id="f"]')).to_have_count(1)
    _expect_the_notes_numbers(app_page)


def test_grouping_two_ends_is_refused_in_words(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=neuron-primitives")
    _click(app_page, "w0x0")
    _click(app_page, "w1x1", shift=True)
    app_page.locator("#group").click()
    expect(app_page.locator("#message")).to_contain_text("not connected to each other")
    expect(app_page.locator("g.node")).to_have_count(13)


def test_a_saved_grouped_circuit_reopens_from_its_link(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=neuron-primitives")
    _click(app_page, "neg")
    for node in ("e", "den", "f"):
        _click(app_page, node, shift=True)
    app_page.locator("#group-name").fill("sigmoid")
    app_page.locator("#group").click()
    expect(app_page.locator('g.node[data-node-id="f"]')).to_have_attribute("data-op", "group")
    circuit = app_page.evaluate(
        "import('/js/state/circuit.js').then((m) => m.toCircuit(window.backprop.store.state.model))"
    )
    saved = app_page.request.post(f"{server_url}/api/circuits", data={"circuit": circuit})
    assert saved.status == 201, saved.text()
    open_link(app_page, server_url, saved.json()["url"].lstrip("/"))
    expect(app_page.locator('g.node[data-node-id="f"]')).to_have_attribute("data-op", "group")
    _expect_the_notes_numbers(app_page)


def test_a_shift_drag_box_selects_the_gates_it_touches(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=neuron-primitives")
    den = app_page.locator('g.node[data-node-id="den"] circle.gate-body').bounding_box()
    f = app_page.locator('g.node[data-node-id="f"] circle.gate-body').bounding_box()
    assert den and f
    start = (f["x"] + f["width"] + 40, f["y"] + f["height"] + 30)
    on = "([x, y]) => document.elementFromPoint(x, y).classList.contains('backdrop')"
    assert app_page.evaluate(on, list(start))  # the drag starts on the background
    app_page.keyboard.down("Shift")
    app_page.mouse.move(*start)
    app_page.mouse.down()
    app_page.mouse.move(den["x"] + 5, den["y"] + 5, steps=6)
    app_page.mouse.up()
    app_page.keyboard.up("Shift")
    expect(app_page.locator("#inspector")).to_contain_text("2 gates selected: den, f")
    app_page.locator("#group").click()
    expect(app_page.locator('g.node[data-node-id="f"]')).to_have_attribute("data-op", "group")
    _expect_the_notes_numbers(app_page)
