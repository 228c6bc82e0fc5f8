"""Every example and every expression of up to 20 gates opens whole and readable on the
screens a class uses: numbers at least 12 px, nothing outside the diagram's visible area."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import expr_link, label

pytestmark = pytest.mark.e2e

SCREENS = [(1366, 768), (1280, 720), (1920, 1080)]
EXAMPLES = ["multiply", "max", "add-mul", "neuron", "neuron-primitives", "staged", "patterns"]
# 21 gates in one chain, and 19 gates that branch and join (parsed from expressions)
CHAIN = "sigmoid(" * 7 + "x*2+1" + ")*2+1" * 7
BRANCHY = "tanh(a*x + b*y) * sigmoid(x - y) + exp(-x*y) / (1 + z*z) + max(x, y) * relu(a - b)"
LINKS = [f"?example={e}" for e in EXAMPLES] + [expr_link(CHAIN), expr_link(BRANCHY)]
# 19 gates on seven layers with both side panels open need more than 1280 px: there
# the branching circuit opens at a readable scale around its output, a pan away from whole
CASES = [
    (link, screen)
    for link in LINKS
    for screen in SCREENS
    if (link, screen) != (expr_link(BRANCHY), (1280, 720))
]

# What is drawn outside the canvas or under its overlays, and the smallest number on screen.
MEASURE = """() => {
  const inside = (r, c) => r.left >= c.left && r.right <= c.right && r.top >= c.top
    && r.bottom <= c.bottom;
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom
    && b.top < a.bottom;
  const canvas = document.querySelector("#canvas").getBoundingClientRect();
  const overlays = [...document.querySelectorAll(".legend, .zoom")]
    .map((e) => e.getBoundingClientRect());
  const shapes = [...document.querySelectorAll(
    "#viewport .gate-body, #viewport .pill, #viewport text.label, #viewport .out-name,"
    + " #viewport .node-name")];
  const bad = shapes.filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && (!inside(r, canvas) || overlays.some((o) => meets(r, o)));
  }).map((e) => `${e.closest("g.node").dataset.nodeId}:${e.getAttribute("class")}`);
  const k = window.backprop.viewport.t.k;
  const sizes = [...document.querySelectorAll("#viewport text.label")]
    .map((e) => parseFloat(getComputedStyle(e).fontSize) * k);
  return { bad, smallest: Math.min(...sizes) };
}"""


@pytest.mark.parametrize(
    ("link", "screen"), CASES, ids=[f"{q[:24]}-{s[0]}x{s[1]}" for q, s in CASES]
)
def test_opens_whole_and_readable(
    app_page: Page, server_url: str, link: str, screen: tuple[int, int]
) -> None:
    app_page.set_viewport_size({"width": screen[0], "height": screen[1]})
    app_page.goto(f"{server_url}/{link}")
    expect(label(app_page, "f", "grad")).to_have_text("1")
    app_page.wait_for_function("window.backprop.diagram.settled.then(() => true)")
    measured = app_page.evaluate(MEASURE)
    assert measured["bad"] == []
    assert measured["smallest"] >= 12


def test_a_chain_that_fits_stays_in_one_row(app_page: Page, server_url: str) -> None:
    app_page.set_viewport_size({"width": 1920, "height": 1080})
    app_page.goto(f"{server_url}/{expr_link('exp(tanh(sigmoid(x * 2)))')}")
    expect(label(app_page, "f", "grad")).to_have_text("1")
    rows = app_page.evaluate(
        "new Set([...document.querySelectorAll('#viewport .gate-body')]"
        ".map((e) => Math.round(e.getBoundingClientRect().top))).size"
    )
    assert rows == 1


# The drawing's extent as the diagram works it out from the scene, and its ink as the
# browser measures it (everything is on screen: nothing culled, no `far` class).
EXTENT_AND_INK = """() => {
  const { diagram, store } = window.backprop;
  const root = document.querySelector("#viewport");
  const hidden = diagram.culler.hidden.size + (root.classList.contains("far") ? 1 : 0);
  const { x, y, width, height } = root.getBBox();
  return { extent: diagram.extent(store.state), ink: { x, y, width, height }, hidden };
}"""


@pytest.mark.parametrize("mode", ["", "#large", "#patterns"])
@pytest.mark.parametrize("example", ["neuron", "staged", "patterns"])
def test_the_extent_from_the_scene_holds_the_measured_drawing(
    app_page: Page, server_url: str, example: str, mode: str
) -> None:
    app_page.set_viewport_size({"width": 1920, "height": 1080})
    app_page.goto(f"{server_url}/?example={example}")
    if mode:
        app_page.locator(mode).click()
        expect(app_page.locator(mode)).to_have_attribute("aria-pressed", "true")
    if mode == "#patterns":
        app_page.locator("#canvas").press("End")  # the backward pass done: every gate labelled
        expect(app_page.locator(".pattern-label").first).to_be_visible()
    expect(label(app_page, "f", "grad")).to_have_text("1")
    app_page.wait_for_function("window.backprop.diagram.settled.then(() => true)")
    measured = app_page.evaluate(EXTENT_AND_INK)
    assert measured["hidden"] == 0
    box, ink = measured["extent"], measured["ink"]
    sides = {
        "left": ink["x"] - box["x"],
        "top": ink["y"] - box["y"],
        "right": box["x"] + box["width"] - ink["x"] - ink["width"],
        "bottom": box["y"] + box["height"] - ink["y"] - ink["height"],
    }
    assert all(-0.5 <= room <= 16 for room in sides.values()), sides  # holds it, and snugly


def test_a_fit_from_far_away_shows_the_whole_circuit(app_page: Page, server_url: str) -> None:
    app_page.set_viewport_size({"width": 1366, "height": 768})
    app_page.goto(f"{server_url}/?example=neuron")
    expect(label(app_page, "f", "grad")).to_have_text("1")
    app_page.evaluate("window.backprop.viewport.set({ k: 1, x: 90000, y: 90000 })")
    expect(app_page.locator("#viewport g.node")).to_have_count(0)  # every node culled
    app_page.locator("#fit").click()
    expect(app_page.locator("#viewport g.node")).to_have_count(
        app_page.evaluate("window.backprop.store.state.model.nodes.size")
    )
    measured = app_page.evaluate(MEASURE)
    assert measured["bad"] == []
    assert measured["smallest"] >= 12
