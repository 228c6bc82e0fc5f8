"""Tensors in the browser: shapes and heatmaps on wires, the matrix view, matrix inputs
(paste, rows, seeded fill, one cell), dimension analysis and shape errors on the gate.

Expected numbers come from numpy on the example's own data or the seeded spec, and
expected colours from the RdBu ends of the legend, never from the page's code."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import label, open_link, readout_lines

pytestmark = pytest.mark.e2e

PNG = re.compile(r"^data:image/png;base64,")
BLUE, WHITE, RED = (33, 102, 172), (247, 247, 247), (178, 24, 43)


def rdbu(x: float, limit: float) -> tuple[int, ...]:
    """The diverging scale: white at 0, RdBu's red at +limit, its blue at -limit."""
    t = max(-1.0, min(1.0, x / limit))
    end = RED if t > 0 else BLUE
    return tuple(round(w + (e - w) * abs(t)) for w, e in zip(WHITE, end, strict=True))


def close_to(pixel: list[int], colour: tuple[int, ...]) -> bool:
    return pixel[3] == 255 and all(abs(p - c) <= 1 for p, c in zip(pixel[:3], colour, strict=True))


def js_number(x: float) -> str:
    """How JavaScript's String() writes a double (Python writes 2.0 where JS writes 2)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def matmul_example(page: Page, server_url: str) -> dict[str, Any]:
    examples = page.request.get(f"{server_url}/api/examples").json()["examples"]
    circuit: dict[str, Any] = next(e for e in examples if e["id"] == "matmul")["circuit"]
    return circuit


def cell_pixel(page: Page, role: str, row: int, column: int, edge: bool = False) -> list[int]:
    """The colour at the centre (or the left edge) of one cell of the matrix view's heatmap."""
    script = """([role, row, column, edge]) => {
      const canvas = document.querySelector(`#matrix-view canvas[data-role="${role}-canvas"]`);
      const [rows, columns] = canvas.dataset.shape.split("×").map(Number);
      const cell = canvas.width / columns;
      const x = edge ? column * cell + 1 : Math.floor((column + 0.5) * cell);
      const y = Math.floor((row + 0.5) * cell);
      return [...canvas.getContext("2d").getImageData(x, y, 1, 1).data];
    }"""
    return list(page.evaluate(script, [role, row, column, edge]))


def rdbu_of(role: str, w: np.ndarray, dw: np.ndarray, row: int, column: int) -> tuple[int, ...]:
    matrix = w if role == "value" else dw
    return rdbu(matrix[row, column], float(np.abs(matrix).max()))


def hover_cell(page: Page, row: int, column: int) -> None:
    canvas = page.locator('#matrix-view canvas[data-role="value-canvas"]')
    width = canvas.evaluate("c => c.width / Number(c.dataset.shape.split('×')[1])")
    canvas.hover(position={"x": (column + 0.5) * width, "y": (row + 0.5) * width})


def open_matmul(page: Page, server_url: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    circuit = matmul_example(page, server_url)
    nodes = {n["id"]: n for n in circuit["nodes"]}
    open_link(page, server_url, "?example=matmul", output="D")
    return (
        np.array(nodes["W"]["value"]),
        np.array(nodes["X"]["value"]),
        np.array(circuit["output_grad"]),
    )


def test_a_tensor_wire_shows_its_shape_and_a_heatmap_of_its_numbers(
    app_page: Page, server_url: str
) -> None:
    w, _, _ = open_matmul(app_page, server_url)
    expect(label(app_page, "W", "value")).to_have_text("5×10")
    expect(label(app_page, "W", "grad")).to_have_text("5×10")
    expect(label(app_page, "D", "value")).to_have_text("5×3")
    thumb = app_page.locator('image.thumb[data-node-id="W"][data-role="value-thumb"]')
    expect(thumb).to_have_attribute("href", PNG)
    image = app_page.evaluate(
        """async (href) => {
          const img = new Image();
          img.src = href;
          await img.decode();
          const canvas = document.createElement("canvas");
          [canvas.width, canvas.height] = [img.width, img.height];
          const g = canvas.getContext("2d");
          g.drawImage(img, 0, 0);
          const at = (x, y) => [...g.getImageData(x, y, 1, 1).data];
          return {width: img.width, height: img.height, first: at(0, 0), fourth: at(3, 0)};
        }""",
        thumb.get_attribute("href"),
    )
    assert (image["height"], image["width"]) == w.shape  # one pixel per cell
    limit = float(np.abs(w).max())
    assert close_to(image["first"], rdbu(w[0, 0], limit)), image
    assert close_to(image["fourth"], rdbu(w[0, 3], limit)), image


def test_clicking_a_tensor_wire_opens_its_value_and_gradient_side_by_side(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    w, x, dd = open_matmul(app_page, server_url)
    dw = dd @ x.T  # the notes' dW = dD.X^T, from numpy on the example's own numbers
    label(app_page, "W", "value").click()
    view = app_page.locator("#matrix-view")
    expect(view).to_be_visible()
    expect(app_page.locator("#matrix-title")).to_contain_text("W: 5×10")
    expect(view.locator("figcaption")).to_have_text(["W", "dW"])
    limit_w, limit_dw = float(np.abs(w).max()), float(np.abs(dw).max())
    expect(view.locator('[data-role="value-legend"] span')).to_have_text(
        [js_number(-limit_w), "0", js_number(limit_w)]
    )
    for row, column in [(0, 0), (1, 2), (4, 9)]:
        assert close_to(cell_pixel(app_page, "value", row, column), rdbu(w[row, column], limit_w))
        assert close_to(cell_pixel(app_page, "grad", row, column), rdbu(dw[row, column], limit_dw))
    hover_cell(app_page, 1, 2)
    expect(app_page.locator("#matrix-cell")).to_have_text(
        f"row 2, column 3:  W = {js_number(w[1, 2])}   dW = {js_number(dw[1, 2])}"
    )
    for role in ("value", "grad"):  # the cell read is outlined in both heatmaps
        assert close_to(cell_pixel(app_page, role, 1, 2, edge=True), (29, 35, 48))
        assert close_to(cell_pixel(app_page, role, 0, 2, edge=True), rdbu_of(role, w, dw, 0, 2))
    app_page.keyboard.press("Escape")
    expect(view).to_be_hidden()
    assert app_page.evaluate("window.backprop.store.state.selection") is None
    assert console_errors == []


def test_a_256x64_matrix_opens_on_a_canvas_without_a_node_per_cell(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    w_spec = json.dumps({"shape": [256, 64], "seed": 1})
    x_spec = json.dumps({"shape": [64, 3], "seed": 2})
    link = f"?expr={quote('sum(W @ X)')}&W={quote(w_spec)}&X={quote(x_spec)}"
    open_link(app_page, server_url, link)
    expect(label(app_page, "W", "value")).to_have_text("256×64")
    label(app_page, "W", "value").click()
    canvas = app_page.locator('#matrix-view canvas[data-role="value-canvas"]')
    expect(canvas).to_have_attribute("data-shape", "256×64")
    width, height = canvas.evaluate("c => [c.width, c.height]")
    assert height == 4 * width and width >= 64  # at least a pixel per cell, one cell = one square
    w = np.random.default_rng(1).standard_normal((256, 64))  # what the seeded spec means
    limit = float(np.abs(w).max())
    for row, column in [(0, 0), (100, 10), (255, 63)]:
        assert close_to(cell_pixel(app_page, "value", row, column), rdbu(w[row, column], limit))
    assert app_page.locator("#matrix-view *").count() < 40
    assert app_page.evaluate("document.querySelectorAll('*').length") < 2000
    assert console_errors == []


def test_rows_pasted_into_a_number_field_become_a_matrix(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, f"?expr={quote('sum(x * y)')}&x=2&y=3")
    expect(label(app_page, "f", "value")).to_have_text("6")
    app_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    app_page.evaluate("navigator.clipboard.writeText('1 2\\n3 4')")
    app_page.locator('#inputs input[name="x"]').focus()
    app_page.keyboard.press("Control+V")
    field = app_page.locator('#inputs textarea[name="x"]')
    expect(field).to_have_value("1 2\n3 4")
    expect(label(app_page, "f", "value")).to_have_text("30")  # 3 * (1 + 2 + 3 + 4)
    expect(label(app_page, "x", "grad")).to_have_attribute("data-full", "[[3,3],[3,3]]")
    expect(label(app_page, "x", "grad")).to_have_text("2×2")
    app_page.keyboard.press("Control+Z")
    expect(app_page.locator('#inputs input[name="x"]')).to_have_value("2")
    expect(label(app_page, "f", "value")).to_have_text("6")


def test_ragged_rows_and_words_are_pointed_at_and_the_last_good_matrix_stays(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, f"?expr={quote('sum(x * y)')}&x={quote('[[1,2],[3,4]]')}&y=3")
    field = app_page.locator('#inputs textarea[name="x"]')
    error = app_page.locator("#input-x-error")
    field.fill("1 2\n3")
    expect(error).to_have_text(
        "Row 2 has 1 number but row 1 has 2 numbers: every row needs the same number."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("1 2\n3 four")
    expect(error).to_have_text('Row 2, column 2: "four" is not a number.')
    expect(label(app_page, "f", "value")).to_have_text("30")
    field.fill("[[1, 2], [3, 5]]")
    expect(error).to_have_text("")
    expect(label(app_page, "f", "value")).to_have_text("33")


def test_seeded_fill_draws_numpys_numbers_and_a_shape_error_shows_on_the_gate(
    app_page: Page, server_url: str
) -> None:
    values = f"W={quote('[[1,2],[3,4]]')}&X={quote('[[1,0],[0,1]]')}"
    open_link(app_page, server_url, f"?expr={quote('sum(W @ X)')}&{values}")
    expect(label(app_page, "f", "value")).to_have_text("10")
    fill_seeded(app_page, "X", 3, 2, 7)
    gate = app_page.locator('g.node[data-node-id="matmul1"]')
    expect(gate).to_have_class("node gate error")
    circuit = app_page.evaluate(
        "JSON.stringify({nodes: [...window.backprop.store.state.model.nodes.values()]})"
    )
    answer = app_page.request.post(
        f"{server_url}/api/evaluate", data=circuit, headers={"content-type": "application/json"}
    )
    assert answer.status == 422
    words = answer.json()["detail"][0]["msg"].removeprefix("node 'matmul1': ")
    badge = gate.locator('[data-role="error"] tspan')
    expect(badge.first).not_to_have_text("")
    assert " ".join(badge.all_text_contents()) == words  # the server's words, whole
    fill_seeded(app_page, "W", 2, 3, 5)
    expect(gate).not_to_have_class("node gate error")
    w = np.random.default_rng(5).standard_normal((2, 3))
    x = np.random.default_rng(7).standard_normal((3, 2))
    f = label(app_page, "f", "value")
    expect(f).not_to_have_attribute("data-full", "10")
    assert float(f.get_attribute("data-full") or "nan") == pytest.approx((w @ x).sum(), rel=1e-12)
    expect(app_page.locator('#inputs textarea[name="W"]')).to_have_value(
        json.dumps({"shape": [2, 3], "seed": 5}, separators=(",", ":"))
    )
    app_page.locator("#undo").click()
    expect(gate).to_have_class("node gate error")


def fill_seeded(page: Page, node: str, rows: int, columns: int, seed: int) -> None:
    fill = page.locator(f'details[data-fill="{node}"]')
    fill.locator("summary").click()
    for name, n in (("rows", rows), ("columns", columns), ("seed", seed)):
        fill.locator(f'input[name="{name}"]').fill(str(n))
    fill.locator('button[type="submit"]').click()


def test_one_cell_edited_in_the_matrix_view_changes_the_product_and_undo_brings_it_back(
    app_page: Page, server_url: str
) -> None:
    w, x, _ = open_matmul(app_page, server_url)
    label(app_page, "W", "value").click()
    canvas = app_page.locator('#matrix-view canvas[data-role="value-canvas"]')
    cell = canvas.evaluate("c => c.width / 10")
    canvas.click(position={"x": 1.5 * cell, "y": 0.5 * cell})
    field = app_page.locator("#matrix-edit-field")
    expect(field).to_have_value(js_number(w[0, 1]))
    expect(app_page.locator('label[for="matrix-edit-field"]')).to_have_text("W, row 1, column 2 =")
    field.press("Escape")
    expect(field).to_be_hidden()
    expect(app_page.locator("#matrix-view")).to_be_visible()
    canvas.click(position={"x": 1.5 * cell, "y": 0.5 * cell})
    field.fill("2")
    field.press("Enter")
    edited = w.copy()
    edited[0, 1] = 2
    d = label(app_page, "D", "value")
    expect(d).to_have_attribute("data-full", full(edited @ x))
    expect(app_page.locator('#inputs textarea[name="W"]')).to_have_value(
        re.compile(r"^-1 2 0\.5 1\.25 ")
    )
    app_page.keyboard.press("Control+Z")
    expect(d).to_have_attribute("data-full", full(w @ x))


def full(matrix: np.ndarray) -> str:
    """A label's data-full: JSON as JavaScript writes it."""
    rows = ",".join("[" + ",".join(js_number(v) for v in row) + "]" for row in matrix)
    return f"[{rows}]"


def test_the_readout_at_a_matmul_walks_the_dimension_analysis(
    app_page: Page, server_url: str
) -> None:
    open_matmul(app_page, server_url)
    app_page.keyboard.press("ArrowLeft")  # from "done" back to the step through D
    expect(app_page.locator('[data-role="readout-title"]')).to_contain_text("Backward through D")
    lines = readout_lines(app_page)
    assert lines[0] == (
        "dW must be 5×10 like W; dD is 5×3 and X is 10×3; "
        "the only product that fits is dD·Xᵀ (5×3 times 3×10)"
    )
    assert lines[1].startswith("dW = dD·Xᵀ = [5×10] ")
    assert lines[2] == (
        "dX must be 10×3 like X; W is 5×10 and dD is 5×3; "
        "the only product that fits is Wᵀ·dD (10×5 times 5×3)"
    )
    assert lines[3].startswith("dX = Wᵀ·dD = [10×3] ")
