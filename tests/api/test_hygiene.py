"""HTTP hygiene: security headers on every answer, JSON-only POSTs, OPTIONS from the API,
and a client that hangs up mid-body logged as one INFO line."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message

import engine
from app.headers import inline_script_hashes
from app.main import create_app
from app.schemas import NOTES_CIRCUIT
from app.settings import Settings
from tests.api.helpers import JSON, assert_still_serving

HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
)


def assert_secured(headers: Any) -> None:
    for name in HEADERS:
        assert name in headers, name
    assert headers["x-content-type-options"] == "nosniff"
    policy = dict(
        part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/", None, 200),
        ("GET", "/api/health", None, 200),
        ("POST", "/api/evaluate", NOTES_CIRCUIT, 200),
        ("POST", "/api/evaluate", {"nodes": []}, 422),
        ("GET", "/no-such-page", None, 404),
        ("GET", "/api/evaluate", None, 405),
        ("OPTIONS", "/api/evaluate", None, 204),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == status, response.text
    assert_secured(response.headers)


def test_too_large_and_unsupported_answers_carry_the_headers(make_client: Any) -> None:
    client = make_client(max_body_bytes=10)
    assert_secured(client.post("/api/evaluate", json=NOTES_CIRCUIT).headers)
    assert_secured(client.post("/api/evaluate", content=b"{}").headers)


def test_a_500_carries_the_security_headers(
    monkeypatch: pytest.MonkeyPatch, client: TestClient
) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(engine, "evaluate", fail)
    response = client.post("/api/evaluate", json=NOTES_CIRCUIT)
    assert response.status_code == 500
    assert response.json()["detail"][0]["type"] == "internal_error"
    assert_secured(response.headers)


def test_inline_script_hashes_name_each_inline_script(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        '<script type="importmap">{ "imports": {} }</script>'
        '<script type="module" src="./js/main.js"></script>'
    )
    # from `printf '{ "imports": {} }' | openssl dgst -sha256 -binary | base64`
    assert inline_script_hashes(page) == ["'sha256-xprw4KUsBcSs5RY8PR9SRUtJBPVyjBuamAhRQGccLSI='"]
    assert inline_script_hashes(tmp_path / "missing.html") == []


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
def test_post_that_is_not_json_is_refused_415_before_the_engine_runs(
    monkeypatch: pytest.MonkeyPatch, client: TestClient, content_type: str | None
) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(engine, "evaluate", lambda *args, **kwargs: calls.append(args))
    headers = {"content-type": content_type} if content_type else {}
    raw = b'{"expression": "x + y"}'
    response = client.post("/api/evaluate", content=raw, headers=headers)
    assert response.status_code == 415
    found = response.json()["detail"][0]
    assert found["loc"] == ["header", "content-type"]
    assert "application/json" in found["msg"]
    assert calls == []


def test_json_with_a_charset_is_accepted(client: TestClient) -> None:
    raw = b'{"expression": "x * y", "values": {"x": 3, "y": 4}}'
    headers = {"content-type": "application/json; charset=utf-8"}
    response = client.post("/api/evaluate", content=raw, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["gradients"]["x"] == 4


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/evaluate", "OPTIONS, POST"),
        ("/api/parse", "OPTIONS, POST"),
        ("/api/health", "GET, OPTIONS"),
    ],
)
def test_options_on_an_api_path_answers_with_allow(
    client: TestClient, path: str, allow: str
) -> None:
    response = client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allow


def test_wrong_method_on_an_api_path_is_405_with_allow(client: TestClient) -> None:
    response = client.get("/api/evaluate")
    found = response.json()["detail"][0]
    assert response.status_code == 405
    assert response.headers["allow"] == "OPTIONS, POST"
    assert found["type"] == "method_not_allowed"


def test_options_on_an_unknown_api_path_is_404(client: TestClient) -> None:
    response = client.options("/api/nowhere")
    assert response.status_code == 404
    assert response.json()["detail"][0]["type"] == "not_found"


def test_client_that_disconnects_mid_body_is_one_info_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(Settings())
    messages: list[Message] = [
        {"type": "http.request", "body": b'{"nodes": [', "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Message:
        return messages.pop(0)

    async def send(message: Message) -> None:
        return None

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/evaluate",
        "raw_path": b"/api/evaluate",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "scheme": "http",
        "root_path": "",
    }
    with caplog.at_level(logging.DEBUG):
        asyncio.run(app(scope, receive, send))
    records = [record for record in caplog.records if record.levelno >= logging.INFO]
    assert [(record.levelname, record.name) for record in records] == [("INFO", "app")]
    assert "disconnected mid-body on POST /api/evaluate" in records[0].getMessage()
    assert records[0].exc_info is None


def test_server_still_serves_after_each_refusal(client: TestClient) -> None:
    client.post("/api/evaluate", content=b"{}", headers={"content-type": "text/plain"})
    client.options("/api/evaluate")
    client.post("/api/evaluate", content=b"{", headers=JSON)
    assert_still_serving(client)
