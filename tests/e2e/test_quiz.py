"""The quiz: hidden numbers as "?" on the diagram, answers typed in the Quiz tab or on the
diagram, checked at once, hints from the chain rule, and a score at the end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import label, open_link, set_input

pytestmark = pytest.mark.e2e

NEXT = re.compile(r"\bask\b.*\bnext\b")  # the "?" of the number asked next


def start_quiz(page: Page, hide: str = "gradients", order: str = "ordered") -> None:
    page.locator("#tab-quiz").click()
    page.locator("#quiz-hide").select_option(hide)
    page.locator("#quiz-order").select_option(order)
    page.locator('[data-role="quiz-start"]').click()


def answer(page: Page, node: str, value: str) -> None:
    """Type an answer in the Quiz tab's row for a node and press Enter."""
    field = page.locator(f'[data-quiz-node="{node}"] input')
    field.fill(value)
    field.press("Enter")


def test_a_full_quiz_on_the_notes_circuit_scores_one_wrong_try_and_one_hint(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    # the notes' (x + y) z at x = -2, y = 5, z = -4: dq = z = -4, dz = q = 3, dx = dy = dq = -4
    open_link(app_page, server_url, "?example=add-mul")
    undo_steps = "window.backprop.store.undoList.done.length"
    edits = app_page.evaluate(undo_steps)
    start_quiz(app_page)
    for node in ["q", "z", "x", "y"]:
        expect(label(app_page, node, "grad")).to_have_text("?")
    expect(label(app_page, "f", "grad")).to_have_text("1")
    expect(label(app_page, "q", "value")).to_have_text("3")
    expect(label(app_page, "q", "grad")).to_have_class(NEXT)
    expect(app_page.locator("#message")).to_contain_text("Quiz: fill in the hidden gradients")

    answer(app_page, "q", "4")
    feedback = app_page.locator('[data-role="quiz-feedback"]')
    expect(feedback).to_have_text("dq = 4 is not right. Try again, or ask for a hint.")
    expect(label(app_page, "q", "grad")).to_have_text("?")
    answer(app_page, "q", "-4")
    expect(label(app_page, "q", "grad")).to_have_text("-4")

    app_page.locator('[data-quiz-node="z"] [data-role="quiz-hint"]').click()
    expect(app_page.locator('[data-quiz-node="z"] [data-role="quiz-hint-text"]')).to_contain_text(
        "dz = local 3 × upstream 1 = ?"
    )
    answer(app_page, "z", "3")
    answer(app_page, "x", "-4.01")
    answer(app_page, "y", "-4")
    expect(app_page.locator('[data-role="quiz-score"]')).to_have_text(
        "Done! Score: 2 of 4 right first time, 1 with a hint, 1 wrong try."
    )
    assert app_page.evaluate(undo_steps) == edits  # answers are not edits: nothing to undo
    assert console_errors == []


def test_in_order_the_next_number_is_asked_and_a_click_on_a_question_mark_answers_it(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=add-mul")
    start_quiz(app_page)
    label(app_page, "x", "grad").click()
    app_page.locator('.ask-field[data-ask="x"]').fill("-4")
    app_page.locator('.ask-field[data-ask="x"]').press("Enter")
    expect(app_page.locator('[data-role="quiz-feedback"]')).to_contain_text("Not yet")
    expect(label(app_page, "x", "grad")).to_have_text("?")
    label(app_page, "q", "grad").click()
    app_page.locator('.ask-field[data-ask="q"]').fill("-4")
    app_page.locator('.ask-field[data-ask="q"]').press("Enter")
    expect(label(app_page, "q", "grad")).to_have_text("-4")
    expect(label(app_page, "z", "grad")).to_have_class(NEXT)


def test_values_quiz_hides_the_gates_values_and_an_edit_starts_it_again(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=add-mul")
    start_quiz(app_page, hide="values", order="any")
    expect(label(app_page, "f", "value")).to_have_text("?")
    expect(label(app_page, "x", "value")).to_have_text("-2")
    expect(label(app_page, "x", "grad")).to_have_text("")
    answer(app_page, "f", "-12")
    expect(label(app_page, "f", "value")).to_have_text("-12")
    set_input(app_page, "z", 2)
    expect(app_page.locator('[data-role="quiz-note"]')).to_contain_text("the quiz started again")
    expect(label(app_page, "f", "value")).to_have_text("?")
    answer(app_page, "f", "6")
    expect(label(app_page, "f", "value")).to_have_text("6")


def test_stopping_the_quiz_shows_every_number_again(app_page: Page, server_url: str) -> None:
    open_link(app_page, server_url, "?example=add-mul")
    start_quiz(app_page)
    expect(label(app_page, "x", "grad")).to_have_text("?")
    app_page.locator('[data-role="quiz-stop"]').click()
    expect(label(app_page, "x", "grad")).to_have_text("-4")
    expect(label(app_page, "q", "grad")).not_to_have_class(re.compile(r"\bask\b"))


def test_while_a_quiz_runs_the_explain_tab_and_the_pulses_give_nothing_away(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "?example=add-mul")
    start_quiz(app_page)
    app_page.locator("#tab-explain").click()
    expect(app_page.locator("#readout")).to_contain_text("stays hidden while the quiz runs")
    label(app_page, "x", "grad").click()
    expect(app_page.locator("#inspector dd.grad")).to_have_text("?")
    expect(app_page.locator("#inspector dd.value")).to_have_text("-2")
    # a step forward through a gate sends pulses carrying its numbers (checked as the step lands)
    for button in ["#back", "#back", "#step"]:
        app_page.locator(button).click()
    assert app_page.locator("g.overlay .pulse-text").count() == 0
    expect(label(app_page, "x", "grad")).to_have_text("?")
    app_page.locator("#tab-quiz").click()
    app_page.locator('[data-role="quiz-stop"]').click()
    app_page.locator("#tab-explain").click()
    expect(app_page.locator("#inspector dd.grad")).to_have_text("-4")
