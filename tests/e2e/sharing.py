"""What the share and file browser tests share: the notes' circuit edited by hand, its
numbers as the diagram shows them, and the Share dialog's steps."""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.diagram import expr_link, label, number, open_link, set_input

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
