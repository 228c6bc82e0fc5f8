"""The side panel's tabs: one panel shown at a time, chosen by click or arrow keys."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import open_link

pytestmark = pytest.mark.e2e


def shown_panels(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        '.sidebar.right [role="tabpanel"]', "ps => ps.filter(p => !p.hidden).map(p => p.id)"
    )


def test_each_tab_shows_its_own_panel_and_only_it(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "")
    tabs = app_page.locator('#side-tabs [role="tab"]')
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    assert shown_panels(app_page) == ["panel-explain"]
    for k in range(tabs.count()):
        tab = tabs.nth(k)
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        panel = tab.get_attribute("aria-controls")
        expect(app_page.locator(f"#{panel}")).to_be_visible()
        assert shown_panels(app_page) == [panel]
        assert app_page.evaluate("window.backprop.store.state.view.panel") == tab.get_attribute(
            "data-panel"
        )


def test_arrow_keys_move_between_tabs_and_wrap_around(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "")
    tabs = app_page.locator('#side-tabs [role="tab"]')
    count = tabs.count()
    step = app_page.evaluate("window.backprop.store.state.step")
    tabs.first.focus()
    app_page.keyboard.press("ArrowLeft")
    last = tabs.nth(count - 1)
    expect(last).to_be_focused()
    expect(last).to_have_attribute("aria-selected", "true")
    app_page.keyboard.press("ArrowRight")
    expect(tabs.first).to_be_focused()
    assert shown_panels(app_page) == ["panel-explain"]
    assert app_page.evaluate("window.backprop.store.state.step") == step, (
        "the arrows moved the pass"
    )
