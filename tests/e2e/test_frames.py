"""Only what is on screen is drawn, and the backward animation still pulses and highlights.

A node off screen is out of the document; panned into view, it shows the numbers of the
step shown, checked against a small interpreter of the circuit and central differences.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

import engine
from tests.e2e.diagram import label, open_link

OPS = {
    "add": lambda a, b, _: a + b,
    "sub": lambda a, b, _: a - b,
    "mul": lambda a, b, _: a * b,
    "relu": lambda a, _b, _p: max(a, 0.0),
    "pow": lambda a, _b, p: a ** p["p"],
    "mul_const": lambda a, _b, p: a * p["a"],
}


def run(circuit: dict[str, Any], override: dict[str, float]) -> dict[str, float]:
    """Every node's value, a plain reading of the circuit, with some nodes' values forced."""
    values: dict[str, float] = {}
    for node in circuit["nodes"]:
        if node["id"] in override:
            values[node["id"]] = override[node["id"]]
        elif node["op"] == "input":
            values[node["id"]] = node["value"]
        else:
            ins = [values[i] for i in node["inputs"]] + [0.0]
            values[node["id"]] = OPS[node["op"]](ins[0], ins[1], node.get("params", {}))
    return values


def central_difference(circuit: dict[str, Any], node: str, h: float = 1e-6) -> float:
    """d output / d node, nudging the node's value both ways."""
    at = run(circuit, {})[node]
    out = circuit["output"]
    up = run(circuit, {node: at + h})[out]
    down = run(circuit, {node: at - h})[out]
    return (up - down) / (2 * h)


def open_circuit(page: Page, server_url: str, circuit: dict[str, Any]) -> None:
    open_link(page, server_url, "?example=add-mul")
    page.evaluate("(c) => window.backprop.session.openCircuit(c)", circuit)
    expect(label(page, circuit["output"], "value")).not_to_have_text("")
    expect(label(page, circuit["output"], "grad")).to_be_visible()


def test_a_node_panned_into_view_shows_the_numbers_of_the_step(
    app_page: Page, server_url: str
) -> None:
    circuit = engine.random_circuit(120, seed=3)
    far = "g0"  # the first gate: at the far left, while the fit shows the output on the right
    open_circuit(app_page, server_url, circuit)
    expect(label(app_page, far, "value")).to_have_count(0)
    expect(app_page.locator("g.node")).not_to_have_count(len(circuit["nodes"]))
    app_page.locator("#canvas").press("End")  # every gradient known, while g0 is off screen
    expect(label(app_page, circuit["output"], "grad")).to_have_text("1")
    app_page.evaluate(
        """(id) => {
          const { diagram, viewport } = window.backprop;
          const at = diagram.scene.nodes.get(id);
          const { width, height } = viewport.box;
          viewport.set({ k: 1, x: width / 2 - at.x, y: height / 2 - at.y });
        }""",
        far,
    )
    expect(label(app_page, far, "value")).to_be_visible()
    expect(label(app_page, far, "grad")).to_be_visible()
    shown = {
        role: float(label(app_page, far, role).get_attribute("data-full") or "nan")
        for role in ("value", "grad")
    }
    assert shown["value"] == pytest.approx(run(circuit, {})[far], rel=1e-12)
    assert shown["grad"] == pytest.approx(central_difference(circuit, far), rel=1e-5, abs=1e-9)
    # and the output, now far away, has left the document
    expect(label(app_page, circuit["output"], "value")).to_have_count(0)


def test_zoomed_far_out_the_numbers_are_hidden_and_come_back(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=add-mul")
    while app_page.evaluate("window.backprop.viewport.t.k") >= 0.4:
        app_page.locator("#zoom-out").click()
    expect(label(app_page, "f", "value")).to_be_hidden()
    expect(app_page.locator('.node[data-node-id="f"] .gate-body')).to_be_visible()
    while app_page.evaluate("window.backprop.viewport.t.k") < 0.4:
        app_page.locator("#zoom-in").click()
    expect(label(app_page, "f", "value")).to_be_visible()
    expect(label(app_page, "f", "value")).to_have_text("-12")


STEP_THROUGH_Q = """() => {
  const { store, player, diagram } = window.backprop;
  const into = store.state.steps.findIndex((s) => s.kind === "backward" && s.entry.id === "q");
  store.update({ step: into - 1 }, ["step"]);
  player.next();
  const pulses = [...document.querySelectorAll("g.overlay .pulse-group")];
  const ends = (g) => {
    const frames = g.getAnimations()[0].effect.getKeyframes();
    const at = (f) => f.transform.match(/-?[\\d.]+/g).map(Number);
    return [at(frames[0]), at(frames.at(-1))];
  };
  const place = (id) => diagram.scene.nodes.get(id);
  return {
    texts: pulses.map((g) => g.querySelector(".pulse-text").textContent),
    ends: pulses.map(ends),
    ports: place("q").ports.map((p) => [p.x, p.y]),
    sources: ["x", "y"].map((id) => [place(id).out.x, place(id).out.y]),
    active: [...document.querySelectorAll("g.node.active")].map((g) => g.dataset.nodeId),
    targets: [...document.querySelectorAll("g.node.target")].map((g) => g.dataset.nodeId).sort(),
    hot: document.querySelectorAll("path.wire.active").length,
    swelling: ["x", "y"].map((id) => diagram.drawing.gradLabel(id).getAnimations().length),
  };
}"""


def test_a_backward_step_pulses_along_the_wires_and_highlights_the_gate(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=add-mul")
    seen = app_page.evaluate(STEP_THROUGH_Q)
    # q = x + y passes the upstream gradient -4 to both inputs (the notes' example)
    assert [text.replace("−", "-") for text in seen["texts"]] == ["-4", "-4"]
    for (start, end), port, source in zip(
        seen["ends"], seen["ports"], seen["sources"], strict=True
    ):
        assert start == pytest.approx(port, abs=0.5)  # from the gate's input port...
        assert end == pytest.approx(source, abs=0.5)  # ...back to the wire's source
    assert seen["active"] == ["q"]
    assert seen["targets"] == ["x", "y"]
    assert seen["hot"] == 2
    assert seen["swelling"] == [1, 1]
    expect(app_page.locator("g.overlay .pulse-group")).to_have_count(0)  # gone once arrived
