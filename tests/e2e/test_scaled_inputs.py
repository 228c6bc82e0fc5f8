"""The notes' unintuitive effect: scale one input of a multiply, the other's gradient follows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import label, number, open_link

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("scale", [10, 250, 1000])
def test_sliding_the_scale_multiplies_the_weight_gradient(
    app_page: Page, server_url: str, scale: int
) -> None:
    open_link(app_page, server_url, "?example=scaled-inputs")
    expect(label(app_page, "w", "grad")).to_have_text("3")  # dw = s·x = 1 × 3
    slider = app_page.locator('#inputs input[data-slider-for="s"]')
    expect(slider).to_have_attribute("min", "1")
    expect(slider).to_have_attribute("max", "1000")
    slider.fill(str(scale))
    expect(app_page.locator('#inputs input[name="s"]')).to_have_value(str(scale))
    expect(label(app_page, "w", "grad")).not_to_have_text("3")
    assert number(app_page, "w", "grad") == pytest.approx(3 * scale, rel=1e-3)
    assert number(app_page, "sx", "grad") == 2  # w, whatever the scale


def test_typing_a_scale_moves_the_slider(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=scaled-inputs")
    app_page.locator('#inputs input[name="s"]').fill("40")
    expect(app_page.locator('#inputs input[data-slider-for="s"]')).to_have_value("40")
    expect(label(app_page, "w", "grad")).to_have_text("120")


def test_a_long_slider_drag_writes_the_address_bar_a_bounded_number_of_times(
    app_page: Page, server_url: str
) -> None:
    """Safari refuses more than 100 history updates in 30 s, and every step of a drag is
    an edit: the link follows the drag at a pace, and ends on its last value."""
    open_link(app_page, server_url, "?example=scaled-inputs")
    expect(label(app_page, "w", "grad")).to_have_text("3")
    app_page.evaluate(
        """() => {
        window.__writes = 0;
        const replace = history.replaceState.bind(history);
        history.replaceState = (...args) => { window.__writes += 1; return replace(...args); };
        for (let k = 1; k <= 99; k += 1) {  // the slider's steps of 10, from 11 to 991
          const slider = document.querySelector('#inputs input[data-slider-for="s"]');
          slider.value = String(1 + 10 * k);
          slider.dispatchEvent(new Event("input", { bubbles: true }));
        }
    }"""
    )
    expect(app_page.locator('#inputs input[name="s"]')).to_have_value("991")
    expect(app_page).to_have_url(re.compile(r"[?&]s=991(&|$)"))  # polled here: the CSP forbids eval
    writes = app_page.evaluate("window.__writes")
    assert 1 <= writes <= 25, f"{writes} history updates for 99 steps of a drag"
    assert number(app_page, "w", "grad") == pytest.approx(3 * 991, rel=1e-3)
