"""Reading and driving the diagram the way a test (or a person) would."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Locator, Page, expect


def label(page: Page, node: str, role: str) -> Locator:
    """The value (green) or gradient (red) label of a node's output wire."""
    return page.locator(f'[data-node-id="{node}"][data-role="{role}"]')


def number(page: Page, node: str, role: str) -> float:
    """The number a label shows, as a float."""
    return float((label(page, node, role).text_content() or "").replace("−", "-"))


def open_link(page: Page, server_url: str, query: str, output: str = "f") -> None:
    """Open a link and wait until the output's value is drawn."""
    page.goto(f"{server_url}/{query}")
    expect(label(page, output, "value")).not_to_have_text("")


def expr_link(expression: str, **values: float) -> str:
    """`?expr=...&x=...` for an expression and its values."""
    parts = [f"expr={quote(expression, safe='')}"] + [f"{k}={v}" for k, v in values.items()]
    return "?" + "&".join(parts)


def type_expression(page: Page, expression: str) -> None:
    """Type an expression in the box and press Enter."""
    page.locator("#expr").fill(expression)
    page.locator("#expr").press("Enter")


def set_input(page: Page, name: str, value: float) -> None:
    """Type a value into an input's field."""
    page.locator(f'#inputs input[name="{name}"]').fill(str(value))


def drag(page: Page, source: Locator, target: Locator) -> None:
    """Press on one element, move in steps, release on another."""
    box_a = source.bounding_box()
    box_b = target.bounding_box()
    assert box_a and box_b
    page.mouse.move(box_a["x"] + box_a["width"] / 2, box_a["y"] + box_a["height"] / 2)
    page.mouse.down()
    page.mouse.move(box_b["x"] + box_b["width"] / 2, box_b["y"] + box_b["height"] / 2, steps=8)
    page.mouse.up()


def readout_lines(page: Page) -> list[str]:
    """The chain-rule lines shown for the current step."""
    return page.locator('[data-role="readout-line"]').all_inner_texts()
