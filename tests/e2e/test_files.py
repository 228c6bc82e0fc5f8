"""Circuit files and pictures in the real browser: a downloaded file opens again
identical, a dropped one too; a bad file changes nothing and says why; the SVG and
PNG are files that show the numbers and the step."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import expr_link, label, open_link
from tests.e2e.sharing import EXPECTED, edited_notes_circuit, nodes_of, numbers, share_dialog

pytestmark = pytest.mark.e2e


def test_a_downloaded_json_file_opens_again_identical_and_undo_brings_back_the_old_circuit(
    app_page: Page, server_url: str, tmp_path: Any
) -> None:
    edited_notes_circuit(app_page, server_url)
    share_dialog(app_page, "lecture 4")
    with app_page.expect_download() as info:
        app_page.locator("#download-json").click()
    download = info.value
    assert download.suggested_filename == "lecture 4.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    circuit = json.loads(path.read_text())
    assert (circuit["version"], circuit["title"], circuit["output"]) == (1, "lecture 4", "f")
    before = nodes_of(app_page)
    app_page.locator("#share-dialog .dialog-close button").click()
    open_link(app_page, server_url, expr_link("x * y", x=2, y=3))
    app_page.locator("#open").click()
    app_page.locator("#file-input").set_input_files(path)
    expect(app_page.locator("#open-dialog")).to_be_hidden()
    assert numbers(app_page) == EXPECTED
    assert nodes_of(app_page) == before
    app_page.locator("#undo").click()
    expect(label(app_page, "f", "value")).to_have_text("6")


DROP = """async ([name, text]) => {
  const data = new DataTransfer();
  data.items.add(new File([text], name, {type: "application/json"}));
  const drop = new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true});
  document.querySelector(".stage").dispatchEvent(drop);
}"""


def test_a_file_dropped_on_the_page_opens(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("x * y", x=2, y=3))
    circuit = {
        "version": 1,
        "nodes": [
            {"id": "x", "op": "input", "value": 3},
            {"id": "y", "op": "input", "value": 5},
            {"id": "z", "op": "input", "value": -4},
            {"id": "q", "op": "add", "inputs": ["x", "y"]},
            {"id": "f", "op": "mul", "inputs": ["q", "z"]},
        ],
        "output": "f",
    }
    app_page.evaluate(DROP, ["dropped.json", json.dumps(circuit)])
    expect(label(app_page, "q", "value")).to_have_text("8")
    assert numbers(app_page) == EXPECTED
    expect(app_page.locator('[data-role="circuit-title"]')).to_have_text("dropped")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "bad.json is not JSON"),
        ('{"nodes": []}', 'bad.json is not a circuit: "nodes" must be a non-empty list'),
        (
            '{"nodes": [{"id": "x", "op": "input"}, {"id": "y"}]}',
            "nodes[1].op must be non-empty text",
        ),
        ('{"version": 9, "nodes": [{"id": "x", "op": "input"}]}', '"version" is 9'),
        (" " * (8 * 1024 * 1024 + 1), "bad.json is 8.0 MiB; a circuit file is at most 8 MiB"),
    ],
    ids=["not-json", "no-nodes", "a-node-without-op", "a-later-version", "too-large"],
)
def test_a_bad_file_changes_nothing_and_says_what_and_where(
    app_page: Page, server_url: str, text: str, says: str
) -> None:
    open_link(app_page, server_url, expr_link("x * y", x=2, y=3))
    before = nodes_of(app_page)
    history = app_page.evaluate("window.backprop.store.undoList.done.length")
    app_page.evaluate(DROP, ["bad.json", text])
    expect(app_page.locator("#message")).to_contain_text(says)
    assert nodes_of(app_page) == before
    assert app_page.evaluate("window.backprop.store.undoList.done.length") == history
    expect(label(app_page, "f", "value")).to_have_text("6")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def export(page: Page, button: str, tmp_path: Any) -> Any:
    with page.expect_download() as info:
        page.locator(button).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_the_pictures_are_files_that_show_the_numbers_and_the_step(
    app_page: Page, server_url: str, tmp_path: Any
) -> None:
    edited_notes_circuit(app_page, server_url)
    app_page.locator("#back").click()  # the last step of the backward pass is highlighted
    expect(app_page.locator("g.node.active")).to_have_count(1)
    share_dialog(app_page)
    svg_path = export(app_page, "#export-svg", tmp_path)
    assert svg_path.name == "f = (x + y) _ z.svg"  # "*" is refused by some file systems
    root = ET.fromstring(svg_path.read_text())
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"3", "5", "-4", "-32", "8", "1"} <= set(texts)
    styles = {(t.text, t.get("style", "")) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert any(
        text == "-32" and "fill:rgb(22, 131, 58)" in style for text, style in styles
    )  # green
    assert any(text == "8" and "fill:rgb(200, 38, 45)" in style for text, style in styles)  # red
    assert (
        "@font-face" in svg_path.read_text() and "data:font/woff2;base64," in svg_path.read_text()
    )
    assert root.find(".//*[@class='node active']") is not None or "active" in svg_path.read_text()
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    png_path = export(app_page, "#export-png", tmp_path)
    assert png_path.name == "f = (x + y) _ z.png"
    assert png_size(png_path.read_bytes()) == (round(width * 2), round(height * 2))
