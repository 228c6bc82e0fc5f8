"""Typing, editing values and opening links: the numbers on the wires are the API's."""

from __future__ import annotations

import json
import math

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import expr_link, label, number, open_link, set_input, type_expression

pytestmark = pytest.mark.e2e


def test_typed_expression_shows_the_apis_numbers(app_page: Page, server_url: str) -> None:
    app_page.goto(server_url)
    app_page.locator("#new").click()
    type_expression(app_page, "(x + y) * z")
    expect(label(app_page, "f", "value")).to_have_text("2")
    set_input(app_page, "x", -2)
    set_input(app_page, "y", 5)
    set_input(app_page, "z", -4)
    expect(label(app_page, "f", "value")).to_have_text("-12")
    nodes = json.loads(
        app_page.evaluate("JSON.stringify([...window.backprop.store.state.model.nodes.values()])")
    )
    answer = app_page.request.post(f"{server_url}/api/evaluate", data={"nodes": nodes}).json()
    for node in answer["values"]:
        for role, key in (("value", "values"), ("grad", "gradients")):
            shown = label(app_page, node, role)
            assert math.isclose(
                float(shown.text_content() or "nan"), answer[key][node], rel_tol=1e-3, abs_tol=1e-9
            )
            assert float(shown.get_attribute("data-full") or "nan") == answer[key][node]


def test_notes_numbers_on_every_wire(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("(x+y)*z", x=-2, y=5, z=-4))
    expected = {"x": (-2, -4), "y": (5, -4), "z": (-4, 3), "f": (-12, 1)}
    for node, (value, grad) in expected.items():
        assert number(app_page, node, "value") == value
        assert number(app_page, node, "grad") == grad


def test_editing_a_value_updates_every_number_and_the_url(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("(x+y)*z", x=-2, y=5, z=-4))
    set_input(app_page, "x", 3)
    expect(label(app_page, "f", "value")).to_have_text("-32")
    expect(label(app_page, "z", "grad")).to_have_text("8")
    expect(label(app_page, "x", "value")).to_have_text("3")
    expect(app_page).to_have_url(f"{server_url}/?expr=%28x%2By%29*z&x=3&y=5&z=-4")


def test_full_precision_on_hover(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, expr_link("sigmoid(x)", x=1))
    shown = label(app_page, "f", "value")
    assert shown.text_content() == "0.7311"
    title = shown.locator("xpath=..").locator("title")
    assert title.text_content() == "0.7310585786300049"


def test_every_example_opens_without_console_error(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    examples = app_page.request.get(f"{server_url}/api/examples").json()["examples"]
    assert len(examples) >= 8
    for example in examples:
        app_page.goto(f"{server_url}/?example={example['id']}")
        output = example["circuit"].get("output") or example["circuit"]["nodes"][-1]["id"]
        expect(label(app_page, output, "value")).not_to_have_text("")
        expect(label(app_page, output, "grad")).not_to_have_text("")
        expect(app_page.locator("#message")).not_to_have_class("message error")
    assert console_errors == []


def test_example_link_opens_the_staged_example(app_page: Page, server_url: str) -> None:
    examples = app_page.request.get(f"{server_url}/api/examples").json()["examples"]
    staged = next(e for e in examples if e["id"] == "staged")
    app_page.goto(f"{server_url}/?example=staged")
    output = staged["circuit"].get("output", "f")
    expect(label(app_page, output, "value")).not_to_have_text("")
    assert abs(number(app_page, "x", "grad") - 2.06) < 0.005
    assert abs(number(app_page, "y", "grad") - 1.59) < 0.005
