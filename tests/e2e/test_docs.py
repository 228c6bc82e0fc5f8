"""/docs works with the network closed: Swagger UI comes from the app, not a CDN."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.e2e


def test_docs_render_their_operations_with_the_network_closed(
    app_page: Page, server_url: str, console_errors: list[str]
) -> None:
    ours = urlsplit(server_url).netloc
    refused: list[str] = []

    def only_ours(route: Route) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    app_page.route("**/*", only_ours)
    app_page.goto(f"{server_url}/docs")
    operations = app_page.locator(".opblock-summary-path")
    expect(operations.filter(has_text="/api/evaluate")).to_be_visible()
    paths = ("/api/parse", "/api/gradcheck", "/api/gates", "/api/examples", "/api/health")
    for path in (*paths, "/api/stats", "/api/circuits", "/api/codegen", "/api/sweep"):
        expect(operations.filter(has_text=path).first).to_be_visible()
    posts = "evaluate, parse, gradcheck, codegen, sweep, save"
    expect(app_page.locator(".opblock-post")).to_have_count(len(posts.split(", ")))
    assert refused == []
    assert console_errors == []


def test_redoc_is_not_served_from_a_cdn(app_page: Page, server_url: str) -> None:
    response = app_page.request.get(f"{server_url}/redoc")
    assert response.status == 404
