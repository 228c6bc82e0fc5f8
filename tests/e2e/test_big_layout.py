"""A circuit of thousands of gates is laid out in a Web Worker: the page keeps answering."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

import engine
from tests.e2e.diagram import open_link

pytestmark = pytest.mark.e2e

GATES = 5000

# Open a circuit without waiting for it; `laidOut` turns true once its layout is drawn.
OPEN = """(circuit) => {
  const { session, diagram } = window.backprop;
  window.laidOut = false;
  session.openCircuit(circuit);
  diagram.settled.then(() => { window.laidOut = true; });
}"""

# Whether the layout is still under way once a frame has been painted.
LAYING_AFTER_A_FRAME = """() => new Promise((resolve) =>
  requestAnimationFrame(() => resolve(!window.laidOut)))"""


def test_the_page_answers_while_thousands_of_gates_are_laid_out(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    open_link(app_page, server_url, "")
    circuit = engine.random_circuit(GATES, 0)
    viewport = app_page.locator("#viewport")
    app_page.evaluate(OPEN, circuit)
    before = viewport.get_attribute("transform")
    app_page.locator("#zoom-in").click()
    expect(viewport).not_to_have_attribute("transform", before or "")
    assert app_page.evaluate(LAYING_AFTER_A_FRAME)  # the click was painted before the layout landed
    app_page.wait_for_function("() => window.laidOut", timeout=180_000)
    drawn = app_page.evaluate("() => window.backprop.diagram.drawing.nodes.size")
    assert drawn == len(circuit["nodes"])  # off-screen gates are drawn, kept out of the document
    assert console_errors == []


def test_switching_the_side_panel_keeps_the_layout_and_the_zoom(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=neuron")
    viewport = app_page.locator("#viewport")
    app_page.locator("#zoom-in").click()
    zoomed = viewport.get_attribute("transform") or ""
    app_page.locator("#tab-code").click()
    expect(app_page.locator("#panel-code")).to_be_visible()
    app_page.wait_for_function("() => window.backprop.diagram.settled.then(() => true)")
    expect(viewport).to_have_attribute("transform", zoomed)
