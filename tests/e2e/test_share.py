"""Share in the real browser: what one browser saves, another opens identical; an
edit saved again is a fork; a link carries a small circuit by itself; My circuits;
titles and labels stay text; a refused save and an unknown link say so."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from app.settings import Settings
from tests.e2e.browser import serve_app
from tests.e2e.diagram import expr_link, label, open_link
from tests.e2e.sharing import (
    EXPECTED,
    HASH_LINK,
    NOTES,
    edited_notes_circuit,
    nodes_of,
    numbers,
    save_link,
    share_dialog,
)

pytestmark = pytest.mark.e2e


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


def test_copy_puts_the_link_on_the_clipboard_or_selects_it(
    browser: Browser, server_url: str
) -> None:
    allowed = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = allowed.new_page()
    open_link(page, server_url, expr_link(NOTES, x=-2, y=5, z=-4))
    link = save_link(page, "copied")
    page.locator("#share-copy").click()
    expect(page.locator("#share-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    allowed.close()
    refused = browser.new_context()
    page = refused.new_page()
    page.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new Error('no'))")
    open_link(page, server_url, expr_link(NOTES, x=-2, y=5, z=-4))
    link = save_link(page, "selected")
    page.locator("#share-copy").click()
    expect(page.locator("#share-status")).to_contain_text("The link is selected: press Ctrl+C")
    expect(page.locator("#share-url")).to_be_focused()
    field = "document.querySelector('#share-url')"
    selected = page.evaluate(f"{field}.value.slice({field}.selectionStart, {field}.selectionEnd)")
    assert selected == link
    refused.close()


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"max_nodes": 3}, r"^Not saved: the circuit is too large to store \(.+\)\.$"),
        (
            {"database_url": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"},
            r"^Not saved: the database is not answering \(.+\)\. Try again in \d+ s\.$",
        ),
    ],
    ids=["too-large-413", "database-down-503"],
)
def test_a_save_the_server_cannot_take_says_why(
    page: Page, tmp_path: Any, settings: dict[str, Any], says: str
) -> None:
    with serve_app(settings=Settings(data_dir=tmp_path, **settings)) as url:
        page.goto(f"{url}/{expr_link(NOTES, x=-2, y=5, z=-4)}")
        expect(page.locator("g.node")).to_have_count(5)
        share_dialog(page, "not kept")
        page.locator("#share-save").click()
        expect(page.locator("#share-status")).to_have_text(re.compile(says))
        expect(page.locator("#share-saved")).to_be_hidden()
        expect(page).not_to_have_url(re.compile("/c/"))
