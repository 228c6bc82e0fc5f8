"""The drawing as a lecture hall sees it: every number readable and clear of the gates."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.e2e.diagram import expr_link, open_link

pytestmark = pytest.mark.e2e

# Pairs of on-screen boxes that overlap: a label and a gate or input, or two labels.
OVERLAPS = """() => {
  const boxes = (sel) => [...document.querySelectorAll(sel)]
    .map((e) => ({ e, r: e.getBoundingClientRect() })).filter((b) => b.r.width > 0);
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const name = (b) => `${b.e.closest("g.node").dataset.nodeId}:${b.e.textContent || b.e.tagName}`;
  const labels = boxes("#viewport text.label, #viewport image.thumb");
  const shapes = boxes("#viewport circle.gate-body, #viewport rect.pill");
  const found = [];
  labels.forEach((a, i) => {
    for (const b of [...shapes, ...labels.slice(i + 1)]) {
      if (hit(a.r, b.r)) found.push(`${name(a)} / ${name(b)}`);
    }
  });
  return found;
}"""

LABEL_HEIGHTS = """() => [...document.querySelectorAll("#viewport text.label")]
  .map((e) => e.getBoundingClientRect().height).filter((h) => h > 0)"""

TENSOR_LINKS = [
    "?example=matmul",
    "?example=two-layer",
    expr_link("sum(sigmoid(W @ x + b))") + "&W=[[1,2],[3,4]]&x=[1,-1]&b=[0.5,0.5]",
]
OUTPUTS = {"?example=matmul": "D", "?example=two-layer": "loss"}


@pytest.mark.parametrize("query", TENSOR_LINKS)
def test_tensor_labels_clear_the_gates_and_each_other(
    app_page: Page, server_url: str, query: str
) -> None:
    open_link(
        app_page, server_url, query, output=OUTPUTS.get(query, "f")
    )  # numbers come with their layout
    assert app_page.evaluate(OVERLAPS) == []


def test_a_long_chain_is_drawn_large_enough_to_read(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=neuron-primitives")
    heights = app_page.evaluate(LABEL_HEIGHTS)
    assert len(heights) == 26
    assert min(heights) >= 17  # 15px labels at no less than the canvas's full size
    assert app_page.evaluate(OVERLAPS) == []
    box = app_page.locator("#canvas").bounding_box()
    out = app_page.locator('g.node[data-node-id="f"] circle.port-out').bounding_box()
    assert box and out
    assert box["x"] < out["x"] and out["x"] + out["width"] < box["x"] + box["width"]


def test_a_big_circuit_opens_readable_with_its_output_in_view(
    app_page: Page, server_url: str
) -> None:
    nodes = [{"id": "x", "op": "input", "value": 0.5}]
    for i in range(40):  # a chain that branches at every gate cannot be wrapped into rows
        nodes.append({"id": f"g{i}", "op": "add", "inputs": [nodes[-1]["id"], "x"]})
    circuit = {"version": 1, "nodes": nodes, "output": "g39"}
    link = "?circuit=" + quote(json.dumps(circuit, separators=(",", ":")), safe="")
    open_link(app_page, server_url, link, output="g39")
    assert app_page.evaluate("window.backprop.viewport.t.k") >= 0.8
    box = app_page.locator("#canvas").bounding_box()
    out = app_page.locator('g.node[data-node-id="g39"] circle.port-out').bounding_box()
    assert box and out
    assert box["x"] < out["x"] and out["x"] + out["width"] < box["x"] + box["width"]
