"""The Check tab: gradient check at an adjustable h, error against h, nudge and sweep."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import expr_link, open_link, set_input, type_expression

pytestmark = pytest.mark.e2e


def open_check(page: Page, server_url: str, query: str, output: str = "f") -> None:
    open_link(page, server_url, query, output)
    page.locator("#tab-check").click()
    expect(page.locator("#check-status")).to_contain_text("Passes when")


def answered(page: Page) -> None:
    """Wait until the tab shows the answers for the circuit, step and input on screen."""
    expect(page.locator("#panel-check")).not_to_have_class(re.compile(r"\bstale\b"))


def cell(page: Page, node: str, column: int) -> str:
    return page.locator(f'#check-table tr[data-input="{node}"] td').nth(column).inner_text()


def test_check_tab_sets_backprop_beside_central_difference_on_the_neuron(
    app_page: Page, server_url: str
) -> None:
    open_check(app_page, server_url, "?example=neuron")
    rows = app_page.locator("#check-table tbody tr")
    expect(rows).to_have_count(5)
    # the notes' numbers: dx0 = 0.39, dw1 = -0.39, dx1 = -0.59 (to two digits)
    for node, notes in [("x0", 0.39), ("w1", -0.39), ("x1", -0.59)]:
        assert float(cell(app_page, node, 1)) == pytest.approx(notes, abs=0.005)
        assert float(cell(app_page, node, 2)) == pytest.approx(notes, abs=0.005)
    expect(app_page.locator("#check-table td.fail")).to_have_count(0)
    expect(app_page.locator("#check-table td.pass")).to_have_count(5)


def test_a_large_step_fails_the_check_and_the_plot_marks_it(
    app_page: Page, server_url: str
) -> None:
    open_check(app_page, server_url, expr_link("exp(x)", x=0))
    app_page.locator("#check-h").fill("0.5")
    # (e^0.5 - e^-0.5) / 1 = 1.0422 against backprop's e^0 = 1
    expect(app_page.locator('#check-table tr[data-input="x"] td.fail')).to_be_visible()
    assert float(cell(app_page, "x", 2)) == pytest.approx(1.0422, abs=5e-4)
    assert app_page.evaluate("window.backprop.store.state.check.h") == 0.5
    expect(app_page.locator("#check-h-plot circle.mark.current")).to_have_count(1)
    path = app_page.locator("#check-h-plot path.line.error").get_attribute("d") or ""
    assert path.count("L") == 9  # ten steps, 1e-1 ... 1e-10, in one line


def test_a_step_outside_zero_to_one_is_marked_and_not_kept(app_page: Page, server_url: str) -> None:
    open_check(app_page, server_url, expr_link("x * y", x=4, y=-3))
    app_page.locator("#check-h").fill("2")
    expect(app_page.locator("#check-h")).to_have_attribute("aria-invalid", "true")
    assert app_page.evaluate("window.backprop.store.state.check.h") == 1e-5


def test_nudge_shows_the_change_beside_the_prediction(app_page: Page, server_url: str) -> None:
    open_check(app_page, server_url, expr_link("x * x", x=3))
    app_page.locator("#check-h").fill("0.1")
    nudge = app_page.locator("#check-nudge")
    # 3.1² − 3² = 0.61, and the gradient predicts 0.1 × 6 = 0.6
    expect(nudge.locator('[data-line="1"]')).to_have_text(re.compile(r"= 0\.61$"))
    expect(nudge.locator('[data-line="2"]')).to_have_text(re.compile(r"0\.1 × 6 = 0\.6$"))


def test_sweep_plots_f_and_its_gradient_with_the_point_marked(
    app_page: Page, server_url: str
) -> None:
    open_check(app_page, server_url, expr_link("(x + y) * z", x=-2, y=5, z=-4))
    app_page.locator("#check-input").select_option("z")
    answered(app_page)
    expect(app_page.locator("#check-nudge [data-line='0']")).to_contain_text("z = -4")
    expect(app_page.locator("#check-sweep-f path.line.value")).to_be_visible()
    expect(app_page.locator("#check-sweep-grad circle.mark.current")).to_have_count(1)
    sweep = app_page.evaluate("window.backprop.store.state.check.sweep")
    assert sweep["input"] == "z" and len(sweep["xs"]) == 201
    assert sweep["xs"][0] == -12 and sweep["xs"][-1] == 4  # z ± 2|z|
    assert all(g == 3 for g in sweep["gradients"])  # df/dz = x + y = 3 everywhere
    expect(app_page.locator("#check-sweep-f .axis-label").first).to_have_text("z")


def test_check_follows_a_new_value(app_page: Page, server_url: str) -> None:
    open_check(app_page, server_url, expr_link("x * y", x=4, y=-3))
    set_input(app_page, "y", 7)
    expect(app_page.locator('#check-table tr[data-input="x"] td').nth(1)).to_have_text("7")


def test_tensor_circuit_is_checked_but_not_swept(app_page: Page, server_url: str) -> None:
    open_check(app_page, server_url, "?example=matmul", "D")
    expect(app_page.locator("#check-table tbody tr")).to_have_count(2)
    expect(app_page.locator("#check-nudge")).to_contain_text("needs a scalar input")
    expect(app_page.locator("#check-sweep-f")).to_be_hidden()


def test_check_tab_checks_a_circuit_typed_by_the_learner(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "")
    app_page.locator("#tab-check").click()
    type_expression(app_page, "tanh(a) * b")
    expect(app_page.locator("#check-table tbody tr")).to_have_count(2)
    answered(app_page)
    # at a = b = 1 (the parser's default): d/da = b (1 - tanh(1)^2) = 0.42, d/db = tanh(1) = 0.7616
    assert float(cell(app_page, "a", 2)) == pytest.approx(0.41997, abs=5e-4)
    assert float(cell(app_page, "b", 2)) == pytest.approx(0.76159, abs=5e-4)
    expect(app_page.locator("#check-table td.pass")).to_have_count(2)
