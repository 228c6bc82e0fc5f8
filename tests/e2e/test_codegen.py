"""The Code tab: the circuit as staged Python beside the diagram, its lines lit by the
selected gate and by the animation's step, and a copy button whose code runs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import expr_link, open_link, set_input

pytestmark = pytest.mark.e2e

SIGY_BACK = ["dy += ((1 - sigy) * sigy) * dsigy  #(1)"]
NUM_BACK = ["dx += (1) * dnum  #(2)", "dsigy = (1) * dnum  #(2)"]


def marked(page: Page, mark: str) -> list[str]:
    return [
        text.rstrip("\n")
        for text in page.locator(f"#code-view .code-line.{mark}").all_text_contents()
    ]


def open_code(page: Page, server_url: str) -> None:
    """The notes' staged example with the Code tab shown and its code drawn."""
    open_link(page, server_url, "?example=staged")
    page.locator("#tab-code").click()
    expect(page.locator("#code-view")).to_contain_text("f = num * invden  #(8)")


def test_code_tab_shows_the_staged_example_as_the_notes_write_it(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    open_code(app_page, server_url)
    view = app_page.locator("#code-view")
    expect(view).to_contain_text("sigy = sigmoid(y)  #(1)")
    expect(view).to_contain_text("dx = (1) * dxpy  #(4)")
    expect(view).to_contain_text("dx += ((1 - sigx) * sigx) * dsigx  #(3)")
    staged = app_page.evaluate("window.backprop.store.state.code.staged.code")
    assert app_page.locator("#code-view .code-line").count() == len(staged.splitlines())
    assert console_errors == []


def test_selecting_a_gate_lights_its_forward_and_backward_lines(
    app_page: Page, server_url: str
) -> None:
    open_code(app_page, server_url)
    app_page.locator('g.node[data-node-id="num"] circle.gate-body').click()
    expect(app_page.locator("#code-view .code-line.selected")).to_have_count(3)
    assert marked(app_page, "selected") == ["num = x + sigy  #(2)", *NUM_BACK]
    app_page.locator('g.node[data-node-id="xpysqr"] circle.gate-body').click()
    expect(app_page.locator("#code-view .code-line.selected").first).to_have_text(
        "xpysqr = xpy ** 2  #(5)\n"
    )
    assert marked(app_page, "selected")[1:] == ["dxpy = (2 * xpy) * dxpysqr  #(5)"]


def test_the_animation_step_lights_the_lines_it_runs(app_page: Page, server_url: str) -> None:
    open_code(app_page, server_url)
    expect(app_page.locator("#code-view .code-line.current")).to_have_count(0)  # done
    app_page.locator("#back").click()
    expect(app_page.locator("#code-view .code-line.current")).to_have_count(1)
    assert marked(app_page, "current") == SIGY_BACK
    app_page.locator("#back").click()
    expect(app_page.locator("#code-view .code-line.current")).to_have_count(2)
    assert marked(app_page, "current") == NUM_BACK
    app_page.locator("#reset").click()
    app_page.locator("#step").click()
    expect(app_page.locator("#code-view .code-line.current")).to_have_text(
        ["sigy = sigmoid(y)  #(1)\n"]
    )


def test_copy_puts_code_on_the_clipboard_that_runs_to_the_notes_gradients(
    app_page: Page, server_url: str
) -> None:
    app_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url)
    open_code(app_page, server_url)
    app_page.locator("#code-copy").click()
    expect(app_page.locator("#code-status")).to_contain_text("Copied")
    copied = app_page.evaluate("navigator.clipboard.readText()")
    namespace: dict[str, Any] = {}
    exec(copied, namespace)
    assert round(namespace["dx"], 2) == 2.06  # the notes' staged example: dx = 2.06, dy = 1.59
    assert round(namespace["dy"], 2) == 1.59


def test_editing_a_value_rewrites_the_code(app_page: Page, server_url: str) -> None:
    open_code(app_page, server_url)
    set_input(app_page, "x", 2)
    x_line = app_page.locator("#code-view .code-line").filter(has_text=re.compile(r"^x = "))
    expect(x_line).to_have_text("x = 2.0\n")
    expect(app_page.locator("#code-view")).not_to_have_class("code-view stale")


def test_a_circuit_without_numbers_shows_why_there_is_no_code(
    app_page: Page, server_url: str
) -> None:
    app_page.goto(f"{server_url}/{expr_link('log(x)', x=-1)}")
    app_page.locator("#tab-code").click()
    expect(app_page.locator("#code-status")).to_have_text(
        "The code appears once the circuit has numbers."
    )
    expect(app_page.locator("#code-view .code-line")).to_have_count(0)
    set_input(app_page, "x", 2)
    expect(app_page.locator("#code-view")).to_contain_text("x = 2.0")
    expect(app_page.locator("#code-status")).to_have_text("")
