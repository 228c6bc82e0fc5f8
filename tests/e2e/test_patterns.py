"""Patterns mode: during the backward pass each gate is labelled by what it does to gradients."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import open_link

pytestmark = pytest.mark.e2e


def pattern(page: Page, node: str) -> str:
    return f'[data-node-id="{node}"][data-role="pattern"]'


def test_patterns_label_each_gate_by_its_rule(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=patterns")
    expect(app_page.locator('[data-role="pattern"]')).to_have_count(0)
    app_page.locator("#patterns").click()
    expect(app_page.locator("#patterns")).to_have_attribute("aria-pressed", "true")
    expect(app_page.locator(pattern(app_page, "s"))).to_have_text("add: distributes")
    expect(app_page.locator(pattern(app_page, "m"))).to_have_text("max: routes to the larger")
    expect(app_page.locator(pattern(app_page, "xy"))).to_have_text("mul: swaps and scales")
    expect(app_page.locator(pattern(app_page, "f"))).to_have_text("grad × a")
    app_page.locator("#patterns").click()
    expect(app_page.locator('[data-role="pattern"]')).to_have_count(0)


def test_patterns_appear_as_the_backward_pass_reaches_each_gate(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=patterns")
    app_page.locator("#patterns").click()
    app_page.locator("#reset").click()
    expect(app_page.locator('[data-role="pattern"]')).to_have_count(0)
    steps = app_page.evaluate("window.backprop.store.state.steps.map(s => s.kind)")
    first_backward = steps.index("backward")
    for _ in range(first_backward):
        app_page.locator("#step").click()
    labels = app_page.locator('[data-role="pattern"]')
    expect(labels).to_have_count(1)
    expect(app_page.locator(pattern(app_page, "f"))).to_have_class("pattern-label current")
    app_page.locator("#step").click()  # the add gate s, below the x2
    expect(labels).to_have_count(2)
    expect(app_page.locator(pattern(app_page, "s"))).to_have_class("pattern-label current")
    expect(app_page.locator(pattern(app_page, "f"))).to_have_class("pattern-label")
