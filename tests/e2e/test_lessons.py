"""The lesson path: each step opens its example and asks a question; progress survives reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.diagram import label, open_link

pytestmark = pytest.mark.e2e

KEY = "backprop-circuits.lessons.v1"


def try_answer(page: Page, value: str) -> None:
    page.locator('[data-role="lesson-answer"]').fill(value)
    page.locator('[data-role="lesson-answer"]').press("Enter")


def test_steps_open_their_examples_check_answers_and_progress_survives_reload(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    open_link(app_page, server_url, "")
    app_page.evaluate(f"localStorage.removeItem('{KEY}')")
    app_page.locator("#tab-learn").click()
    expect(app_page.locator('[data-role="lesson-where"]')).to_have_text(
        "Step 1 of 7 · Simple expressions"
    )
    expect(app_page.locator('[data-role="lesson-prev"]')).to_be_disabled()
    app_page.locator('[data-role="lesson-open"]').click()
    # f = xy at x = 4, y = -3: df/dy is the other input, x = 4
    expect(label(app_page, "f", "value")).to_have_text("-12")
    try_answer(app_page, "-3")
    expect(app_page.locator('[data-role="lesson-verdict"]')).to_contain_text("Not quite")
    try_answer(app_page, "4")
    expect(app_page.locator('[data-role="lesson-verdict"]')).to_have_text("Right!")
    expect(app_page.locator('[data-role="lesson-progress"]')).to_have_text(
        "1 of 7 questions solved."
    )

    app_page.locator('[data-role="lesson-next"]').click()
    expect(app_page.locator('[data-role="lesson-where"]')).to_have_text(
        "Step 2 of 7 · The chain rule"
    )
    # (x + y) z at the notes' x = -2, y = 5, z = -4: df/dx = 1 * z = -4
    expect(label(app_page, "q", "value")).to_have_text("3")
    try_answer(app_page, "-4")
    expect(app_page.locator('[data-role="lesson-solved"]')).to_be_visible()
    app_page.locator('[data-role="lesson-next"]').click()
    expect(app_page.locator('[data-role="lesson-where"]')).to_have_text("Step 3 of 7 · Intuition")

    app_page.reload()
    expect(label(app_page, "f", "value")).not_to_have_text("")
    app_page.locator("#tab-learn").click()
    expect(app_page.locator('[data-role="lesson-where"]')).to_have_text("Step 3 of 7 · Intuition")
    expect(app_page.locator('[data-role="lesson-progress"]')).to_have_text(
        "2 of 7 questions solved."
    )
    app_page.locator('[data-role="lesson-prev"]').click()
    expect(app_page.locator('[data-role="lesson-solved"]')).to_be_visible()
    assert console_errors == []


def test_a_lesson_starts_the_quiz_on_its_circuit_and_a_finished_quiz_solves_it(
    app_page: Page, server_url: str
) -> None:
    open_link(app_page, server_url, "")
    app_page.evaluate(f"localStorage.setItem('{KEY}', JSON.stringify({{step: 2, solved: []}}))")
    app_page.reload()
    expect(label(app_page, "f", "value")).not_to_have_text("")
    app_page.locator("#tab-learn").click()
    expect(app_page.locator('[data-role="lesson-where"]')).to_contain_text("Intuition")
    app_page.locator('[data-role="lesson-quiz"]').click()
    expect(app_page.locator("#tab-quiz")).to_have_attribute("aria-selected", "true")
    expect(label(app_page, "x", "grad")).to_have_text("?")
    for node, value in [("q", "-4"), ("z", "3"), ("x", "-4"), ("y", "-4")]:
        app_page.locator(f'[data-quiz-node="{node}"] input').fill(value)
        app_page.locator(f'[data-quiz-node="{node}"] input').press("Enter")
    expect(app_page.locator('[data-role="quiz-score"]')).to_contain_text("Done!")
    app_page.locator("#tab-learn").click()
    expect(app_page.locator('[data-role="lesson-solved"]')).to_have_text("Quiz done ✓")
    expect(app_page.locator('[data-role="lesson-progress"]')).to_have_text(
        "1 of 7 questions solved."
    )


@pytest.mark.parametrize(
    "stored",
    ["{not json", '{"step": 99, "solved": []}', '{"step": 1, "solved": "chain"}', "[]"],
)
def test_unreadable_progress_is_ignored_and_the_path_starts_at_its_first_step(
    app_page: Page, server_url: str, console_errors: list[str], stored: str
) -> None:
    open_link(app_page, server_url, "")
    app_page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, stored])
    app_page.reload()
    expect(label(app_page, "f", "value")).not_to_have_text("")
    app_page.locator("#tab-learn").click()
    expect(app_page.locator('[data-role="lesson-where"]')).to_have_text(
        "Step 1 of 7 · Simple expressions"
    )
    assert console_errors == []
