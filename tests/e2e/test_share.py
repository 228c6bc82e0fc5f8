"""Share, links, files and pictures, in the real browser: what one browser saves,
another opens identical; a link carries a small circuit by itself; a downloaded
file opens again, a dropped one too; a bad file changes nothing and says why;
the pictures are files that show the numbers."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from app.settings import Settings
from tests.e2e.browser import serve_app
from tests.e2e.diagram import expr_link, label, number, open_link, set_input

pytestmark = pytest.mark.e2e

# The notes' (x + y) z at x = -2, y = 5, z = -4, then x set to 3 by hand:
# f = (3 + 5)(-4) = -32; df/dx = df/dy = z = -4; df/dz = x + y = 8.
EXPECTED = {"x": (3.0, -4.0), "y": (5.0, -4.0), "z": (-4.0, 8.0), "f": (-32.0, 1.0)}
NOTES = "(x + y) * z"
NODES = "JSON.stringify([...window.backprop.store.state.model.nodes.values()])"
SAVED_LINK = re.compile(r"^http://127\.0\.0\.1:\d+/c/[\w-]{11,}$")
HASH_LINK = re.compile(r"^http://127\.0\.0\.1:\d+/#c1\.[\w-]+$")


def numbers(page: Page) -> dict[str, tuple[float, float]]:
    """Each node's value (green) and gradient (red) as the diagram shows them."""
    for node in EXPECTED:
        expect(label(page, node, "value")).not_to_have_text("")
    return {n: (number(page, n, "value"), number(page, n, "grad")) for n in EXPECTED}


def nodes_of(page: Page) -> Any:
    """The open circuit's nodes (ids, ops, values, labels, positions), as the state holds them."""
    return json.loads(page.evaluate(NODES))


def edited_notes_circuit(page: Page, server_url: str) -> None:
    """The notes' circuit with x set to 3 and gate f moved by hand."""
    open_link(page, server_url, expr_link(NOTES, x=-2, y=5, z=-4))
    set_input(page, "x", 3)
    expect(label(page, "f", "value")).to_have_text("-32")
    page.evaluate(
        "window.backprop.store.dispatch({type: 'move', positions: {f: {x: 612.5, y: 140}}})"
    )


def share_dialog(page: Page, title: str | None = None) -> None:
    page.locator("#share").click()
    expect(page.locator("#share-dialog")).to_be_visible()
    if title is not None:
        page.locator("#share-title").fill(title)


def save_link(page: Page, title: str) -> str:
    """Share -> Save: the stored link the dialog shows."""
    share_dialog(page, title)
    page.locator("#share-save").click()
    expect(page.locator("#share-url")).to_have_value(SAVED_LINK)
    return page.locator("#share-url").input_value()


def test_a_circuit_saved_in_one_browser_opens_identical_in_another(
    app_page: Page, browser: Browser, server_url: str
) -> None:
    edited_notes_circuit(app_page, server_url)
    link = save_link(app_page, "Notes, x = 3")
    assert numbers(app_page) == EXPECTED
    expect(app_page).to_have_url(re.compile(r"/c/[\w-]+\?x=3"))
    other = browser.new_context().new_page()
    response = other.goto(link)
    assert response is not None and response.status == 200
    assert numbers(other) == EXPECTED
    assert nodes_of(other) == nodes_of(app_page)
    assert next(n for n in nodes_of(other) if n["id"] == "f")["ui"] == {"x": 612.5, "y": 140}
    expect(other.locator('[data-role="circuit-title"]')).to_have_text("Notes, x = 3")
    other.context.close()


def test_saving_an_edited_saved_circuit_makes_a_fork_that_names_its_parent(
    app_page: Page, server_url: str
) -> None:
    edited_notes_circuit(app_page, server_url)
    first = save_link(app_page, "first").rsplit("/", 1)[1]
    app_page.locator("#share-dialog .dialog-close button").click()
    app_page.evaluate("window.backprop.store.dispatch({type: 'set_output', node: 'f'})")
    second = save_link(app_page, "second").rsplit("/", 1)[1]
    assert second != first
    saved = app_page.request.get(f"{server_url}/api/circuits/{second}").json()
    assert (saved["parent"], saved["title"]) == (first, "second")


def test_a_link_without_storage_carries_the_circuit_in_its_hash(
    app_page: Page, browser: Browser, server_url: str
) -> None:
    edited_notes_circuit(app_page, server_url)
    share_dialog(app_page, "in the link")
    app_page.locator("#share-hash").click()
    expect(app_page.locator("#share-hash-url")).to_have_value(HASH_LINK)
    link = app_page.locator("#share-hash-url").input_value()
    other = browser.new_context().new_page()
    other.goto(link.replace("/#", "/?large#"))  # large text redraws first: the hash must survive it
    assert numbers(other) == EXPECTED
    assert nodes_of(other) == nodes_of(app_page)
    expect(other.locator('[data-role="circuit-title"]')).to_have_text("in the link")
    other.context.close()


# 500 inputs with values that compress poorly, summed: far over the 4,000-character limit
BIG = """() => {
  const input = (_, i) => ({id: `x${i}`, op: "input", value: Math.sin(i) * 1000});
  const nodes = Array.from({length: 500}, input);
  nodes.push({id: "f", op: "add", inputs: nodes.map((n) => n.id)});
  window.backprop.session.openCircuit({version: 1, nodes, output: "f"});
}"""


def test_a_link_too_large_for_the_hash_says_so_and_points_to_the_stored_link(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, expr_link("x * y", x=2, y=3))
    app_page.evaluate(BIG)
    expect(label(app_page, "f", "value")).not_to_have_text("")
    share_dialog(app_page)
    app_page.locator("#share-hash").click()
    expect(app_page.locator("#share-status")).to_contain_text(
        "too large for a link without storage"
    )
    expect(app_page.locator("#share-hashed")).to_be_hidden()


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


def test_my_circuits_lists_what_this_browser_saved_and_forgets_on_request(
    app_page: Page, server_url: str
) -> None:
    app_page.goto(server_url)
    app_page.evaluate("localStorage.setItem('backprop-circuits.mine.v1', '{not a list')")
    edited_notes_circuit(app_page, server_url)
    link = save_link(app_page, "Kept for Tuesday")
    app_page.locator("#share-dialog .dialog-close button").click()
    app_page.locator("#open").click()
    entry = app_page.locator("#mine li").filter(has_text="Kept for Tuesday")
    expect(entry).to_have_count(1)
    expect(entry.locator("time")).not_to_have_text("")
    expect(entry.locator("a")).to_have_attribute("href", "/" + link.split("/", 3)[3])
    entry.locator("a").click()
    expect(app_page).to_have_url(
        re.compile(re.escape(link) + r"\?x=3&y=5&z=-4$")
    )  # a saved link keeps its values
    assert numbers(app_page) == EXPECTED
    app_page.locator("#open").click()
    app_page.locator("#mine li").filter(has_text="Kept for Tuesday").get_by_role("button").click()
    expect(app_page.locator("#mine li").filter(has_text="Kept for Tuesday")).to_have_count(0)
    expect(app_page.locator("#mine")).to_contain_text("Nothing saved from this browser yet")


HOSTILE = "<img src=x onerror=alert(1)>"


def test_titles_and_labels_stay_text_and_run_no_script(
    app_page: Page, browser: Browser, server_url: str
) -> None:
    circuit = {
        "version": 1,
        "nodes": [
            {"id": "x", "op": "input", "value": 2, "label": HOSTILE},
            {"id": "f", "op": "exp", "inputs": ["x"], "label": HOSTILE},
        ],
    }
    open_link(app_page, server_url, "?circuit=" + quote(json.dumps(circuit)))
    link = save_link(app_page, HOSTILE)
    other = browser.new_context().new_page()
    dialogs: list[str] = []
    other.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    other.add_init_script("window.alert = () => { window.scriptRan = true; };")
    other.goto(link)
    expect(other.locator('[data-role="circuit-title"]')).to_have_text(HOSTILE)
    expect(other.locator('g.node[data-node-id="x"] text').filter(has_text=HOSTILE)).to_have_count(1)
    expect(label(other, "f", "value")).not_to_have_text("")
    other.locator("#open").click()
    expect(other.locator("#mine")).not_to_contain_text(HOSTILE)  # another browser: its own list
    assert other.locator("img").count() == 0
    assert other.evaluate("window.scriptRan === undefined")
    assert dialogs == []
    other.context.close()


def test_a_link_that_names_nothing_is_a_404_and_the_app_says_so(
    app_page: Page, server_url: str
) -> None:
    response = app_page.goto(f"{server_url}/c/AAAAAAAAAAAAAAAAAAAAAA")
    assert response is not None and response.status == 404
    expect(app_page.locator("#message")).to_contain_text(
        "No circuit is saved at /c/AAAAAAAAAAAAAAAAAAAAAA: the link may be mistyped or cut short"
    )


def test_a_refused_save_says_why_and_when_to_try_again(page: Page, tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path, save_rate_limit=1, save_rate_window=60)
    with serve_app(settings=settings) as url:
        open_link(page, url, expr_link(NOTES, x=-2, y=5, z=-4))
        first = save_link(page, "the one save allowed")
        page.locator("#share-save").click()
        expect(page.locator("#share-status")).to_have_text(
            re.compile(r"^Not saved: too many saves .* Try again in \d+ s\.$")
        )
        expect(page.locator("#share-url")).to_have_value(first)  # the link saved before stays


def test_keys_in_a_dialog_are_the_dialogs_own(app_page: Page, server_url: str) -> None:
    edited_notes_circuit(app_page, server_url)
    steps = app_page.locator("#counter").text_content()
    share_dialog(app_page)
    app_page.locator("#share-hash").focus()
    app_page.keyboard.press("Space")  # presses the focused button, not the player's play
    expect(app_page.locator("#share-hash-url")).to_have_value(HASH_LINK)
    app_page.keyboard.press("Escape")
    expect(app_page.locator("#share-dialog")).to_be_hidden()
    expect(app_page.locator("#counter")).to_have_text(steps or "")
    expect(app_page.locator("#play")).to_have_attribute("aria-label", "Play")
