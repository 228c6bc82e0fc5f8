"""Building by hand from the palette, undo/redo, and errors shown on their node."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from tests.e2e.diagram import drag, expr_link, label, open_link, set_input, type_expression

pytestmark = pytest.mark.e2e


def _port_out(page: Page, node: str) -> Locator:
    return page.locator(f'g.node[data-node-id="{node}"] circle.port-out')


def _port_in(page: Page, node: str, port: int) -> Locator:
    return page.locator(f'g.node[data-node-id="{node}"] circle.port-in[data-port="{port}"]')


def test_build_x_plus_y_times_z_by_hand(app_page: Page, server_url: str) -> None:
    app_page.goto(server_url)
    expect(label(app_page, "f", "value")).to_have_text("-12")  # a plain visit opens (x + y) z
    app_page.locator("#new").click()
    expect(app_page.locator("g.node")).to_have_count(0)
    for op in ("input", "input", "input", "add", "mul"):
        app_page.locator(f'#palette button[data-op="{op}"]').click()
    for node in ("x", "y", "z", "add1", "mul1"):
        expect(app_page.locator(f'g.node[data-node-id="{node}"]')).to_have_count(1)
    expect(app_page.locator("#message")).to_contain_text("Wire input")
    app_page.locator("#fit").click()
    drag(app_page, _port_out(app_page, "x"), _port_in(app_page, "add1", 0))
    drag(app_page, _port_out(app_page, "y"), _port_in(app_page, "add1", 1))
    drag(app_page, _port_out(app_page, "add1"), _port_in(app_page, "mul1", 0))
    drag(app_page, _port_in(app_page, "mul1", 1), _port_out(app_page, "z"))
    expect(app_page.locator("path.wire")).to_have_count(4)
    set_input(app_page, "x", -2)
    set_input(app_page, "y", 5)
    set_input(app_page, "z", -4)
    expect(label(app_page, "mul1", "value")).to_have_text("-12")
    expect(label(app_page, "x", "grad")).to_have_text("-4")
    expect(label(app_page, "z", "grad")).to_have_text("3")
    expect(app_page).to_have_url(linked_values({"x": -2, "y": 5, "z": -4}))  # before reloading
    app_page.reload()
    expect(label(app_page, "mul1", "value")).to_have_text("-12")


def test_a_wire_dropped_on_an_add_gates_body_becomes_its_third_input(
    app_page: Page, server_url: str
) -> None:
    x, y, z = 2.5, -4.0, 0.75  # binary fractions: the sums below are exact
    open_link(app_page, server_url, expr_link("x + y", x=x, y=y))
    expect(label(app_page, "f", "value")).to_have_attribute("data-full", str(x + y))
    app_page.locator('#palette button[data-op="input"]').click()
    expect(app_page.locator('g.node[data-node-id="z"]')).to_have_count(1)
    app_page.locator("#fit").click()
    add = app_page.locator('g.node[data-node-id="f"]')
    drag(app_page, _port_out(app_page, "z"), add.locator("circle.gate-body"))
    expect(add.locator("circle.port-in")).to_have_count(3)
    expect(
        app_page.locator('path.wire[data-source="z"][data-target="f"][data-port="2"]')
    ).to_have_count(1)
    value = label(app_page, "f", "value")
    expect(value).to_have_attribute("data-full", str(x + y + 1))  # a new input starts at 1
    set_input(app_page, "z", z)
    expect(value).to_have_attribute("data-full", str(x + y + z))
    expect(value).to_have_text(f"{x + y + z:g}")
    for name in ("x", "y", "z"):  # d(x + y + z)/d each input = 1
        expect(label(app_page, name, "grad")).to_have_attribute("data-full", "1")


def test_moving_a_gate_and_deleting_a_wire_can_be_undone(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("(x+y)*z", x=-2, y=5, z=-4))
    gate = app_page.locator('g.node[data-node-id="add1"]')
    before = gate.get_attribute("transform")
    drag(app_page, gate.locator("circle.gate-body"), app_page.locator("#zoom-in"))
    assert gate.get_attribute("transform") != before
    app_page.keyboard.press("Control+z")
    expect(gate).to_have_attribute("transform", before or "")
    app_page.locator('path.wire-hit[data-target="f"][data-port="1"]').click(force=True)
    expect(app_page.locator("#inspector")).to_contain_text("Wire from z → f")
    app_page.keyboard.press("Delete")
    expect(app_page.locator("path.wire")).to_have_count(3)
    expect(app_page.locator("#message")).to_contain_text("Wire input 2 of f")
    app_page.keyboard.press("Control+z")
    expect(app_page.locator("path.wire")).to_have_count(4)
    expect(label(app_page, "f", "value")).to_have_text("-12")


def test_undo_and_redo_a_value_and_a_deleted_gate(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("(x+y)*z", x=-2, y=5, z=-4))
    set_input(app_page, "x", 3)
    expect(label(app_page, "f", "value")).to_have_text("-32")
    app_page.locator("#canvas").click(position={"x": 20, "y": 200})
    app_page.keyboard.press("Control+z")
    expect(label(app_page, "f", "value")).to_have_text("-12")
    expect(app_page.locator('#inputs input[name="x"]')).to_have_value("-2")
    app_page.keyboard.press("Control+Shift+z")
    expect(label(app_page, "f", "value")).to_have_text("-32")
    app_page.locator('g.node[data-node-id="add1"] circle.gate-body').click()
    app_page.locator("#delete").click()
    expect(app_page.locator('g.node[data-node-id="add1"]')).to_have_count(0)
    app_page.locator("#undo").click()
    expect(app_page.locator('g.node[data-node-id="add1"]')).to_have_count(1)
    expect(label(app_page, "f", "value")).to_have_text("-32")
    app_page.locator("#redo").click()
    expect(app_page.locator('g.node[data-node-id="add1"]')).to_have_count(0)


def test_an_error_shows_on_its_node_and_no_stale_numbers_stay(
    app_page: Page, server_url: str
) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    app_page.on("dialog", on_dialog)
    open_link(app_page, server_url, expr_link("log(x) * y", x=2, y=3))
    node = app_page.evaluate(
        "[...window.backprop.store.state.model.nodes.values()].find(n => n.op === 'log').id"
    )
    set_input(app_page, "x", -1)
    expect(app_page.locator(f'g.node[data-node-id="{node}"]')).to_have_class("node gate error")
    expect(app_page.locator("#message")).to_have_class("message error")
    expect(app_page.locator("#message")).to_contain_text(node)
    expect(app_page.locator(f'g.node[data-node-id="{node}"] [data-role="error"]')).not_to_have_text(
        ""
    )
    expect(label(app_page, "f", "value")).to_have_text("")
    expect(label(app_page, "y", "grad")).to_have_text("")
    expect(label(app_page, "x", "value")).to_have_text("-1")  # what the input holds
    expect(app_page.locator("[data-role=readout-line]")).to_have_count(0)
    set_input(app_page, "x", 1)
    expect(label(app_page, "f", "value")).to_have_text("0")
    expect(app_page.locator(f'g.node[data-node-id="{node}"]')).not_to_have_class("node gate error")
    assert dialogs == []


def test_a_parse_error_points_at_its_position(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("x*y", x=4, y=-3))
    type_expression(app_page, "(x + ) * y")
    expect(app_page.locator("#message")).to_have_class("message error")
    expect(app_page.locator("#message .caret")).to_contain_text("^")
    expect(app_page.locator("#expr")).to_have_class("invalid")
    expect(label(app_page, "f", "value")).to_have_text("-12")


def linked_values(values: dict[str, float]) -> re.Pattern[str]:
    """A link whose ?circuit= gives each input its value (as URLSearchParams encodes it;
    polled by Playwright, as the page's CSP forbids the eval of wait_for_function)."""
    node = "%22id%22%3A%22{}%22(?:(?!%7D).)*?%22value%22%3A{}(?:%2C|%7D)"
    return re.compile("".join(f"(?=.*{node.format(k, v)})" for k, v in values.items()))


def test_new_circuit_can_be_undone(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=staged")
    expect(app_page.locator("#about")).to_contain_text("Backprop in practice")
    app_page.locator("#new").click()
    expect(app_page.locator("g.node")).to_have_count(0)
    expect(app_page.locator("#about-section")).to_be_hidden()
    assert "?" not in app_page.url
    app_page.keyboard.press("Control+z")
    expect(label(app_page, "f", "value")).to_have_text("1.546")
    expect(app_page.locator("#about")).to_contain_text("Staged computation")
