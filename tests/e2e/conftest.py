"""Browser tests: the real app in a thread, Debian's Chromium driven by pytest-playwright.

Under CI=true a missing Chromium fails the run; elsewhere the browser tests skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, serve_app

# a loaded 2-core machine can take seconds to lay out a big circuit: conditions get 10 s
expect.set_options(timeout=10_000)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium with flags that keep it off the network."""
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A wide screen, as in a lecture hall."""
    return {**browser_context_args, "viewport": {"width": 1600, "height": 900}}


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The real app (API and static front end) on a free local port for the session."""
    with serve_app() as url:
        yield url


@pytest.fixture(scope="session")
def base_url(server_url: str) -> str:
    """Our server (this also replaces pytest-base-url's fixture, which warns under pytest 9)."""
    return server_url


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of the page, for tests to assert none."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def app_page(page: Page, server_url: str, console_errors: list[str]) -> Page:
    """The page, with its console watched, and its default timeout kept short."""
    page.set_default_timeout(10_000)
    return page
