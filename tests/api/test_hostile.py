"""No request makes a 500: hostile bodies on every endpoint are answered or refused with a 4xx."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

import engine
from tests.api.helpers import JSON, assert_still_serving, circuit, gate, inp

HOSTILE_JSON: list[Any] = [
    None, True, 1, "circuit", [], {}, [[[]]],
    {"nodes": None}, {"nodes": {}}, {"nodes": "x"}, {"nodes": [None]}, {"nodes": [[]]},
    {"nodes": [{"id": 5, "op": "input", "value": 1}]},
    {"nodes": [{"id": "", "op": "input", "value": 1}]},
    {"nodes": [{"id": "x", "op": None}]},
    {"nodes": [{"id": "x", "op": ["input"], "value": 1}]},
    {"nodes": [{"id": "x", "op": "input"}]},
    {"nodes": [{"id": "x", "op": "input", "value": {}}]},
    {"nodes": [{"id": "x", "op": "input", "value": True}]},
    {"nodes": [{"id": "x", "op": "input", "value": []}]},
    {"nodes": [{"id": "x", "op": "input", "value": [[[1]]]}]},
    {"nodes": [{"id": "x", "op": "input", "value": "1"}]},
    {"nodes": [inp("x"), {"id": "f", "op": "neg", "inputs": "x"}]},
    {"nodes": [inp("x"), {"id": "f", "op": "neg", "inputs": [0]}]},
    {"nodes": [inp("x"), {"id": "f", "op": "neg", "inputs": None}]},
    {"nodes": [inp("x"), {"id": "f", "op": "add_const", "inputs": ["x"], "params": []}]},
    {"nodes": [inp("x"), {"id": "f", "op": "add_const", "inputs": ["x"], "params": {"c": "1"}}]},
    {"nodes": [inp("x"), {"id": "f", "op": "add_const", "inputs": ["x"], "params": {"c": True}}]},
    {"nodes": [inp("x"), {"id": "f", "op": "pow", "inputs": ["x"], "params": {"p": 1e300}}]},
    {"nodes": [inp("x", 0), {"id": "f", "op": "pow", "inputs": ["x"], "params": {"p": -1}}]},
    {"nodes": [inp("x", [1, 2])], "output": 5},
    {"nodes": [inp("x", [1, 2])], "output": ["x"]},
    {"nodes": [inp("x", [1, 2])], "output_grad": "x"},
    {"nodes": [inp("x", [1, 2])], "output_grad": [1, 2, 3]},
    {"nodes": [inp("x", 1), gate("f", "f", "f")]},
    {"nodes": [gate("f", "add", "f", "f")]},
    {"nodes": [inp("__proto__"), gate("constructor", "neg", "__proto__")]},
    circuit(inp("a", [[1e300, 1e300]]), inp("b", [[1e300], [1]]), gate("f", "matmul", "a", "b")),
    {"expression": None}, {"expression": 5}, {"expression": ["x"]}, {"expression": ""},
    {"expression": "x", "values": []}, {"expression": "x", "values": {"x": "a"}},
    {"expression": "x", "values": {"x": None}}, {"expression": "ｘ + 1"},
    {"expression": "x\x00"}, {"expression": "1e999 * x"}, {"expression": "10 ** 10 ** 10"},
    {"expression": "exp(exp(exp(100)))"}, {"expression": "9" * 5000}, {"expression": "-" * 9000},
    {"expression": "x" + " ** x" * 2000}, {"expression": "f(" * 3000},
    {"expression": "x", "nodes": [inp("x")]},
]  # fmt: skip

HOSTILE_RAW: list[bytes] = [
    b"\xff\xfe\x00", b"{" * 50_000, b'"' + b"\\u" * 1000, b"[1," * 300_000,
    b'{"nodes": [' + b'{"id": "x", "op": "input", "value": ' + b"[" * 1200 + b"1" + b"]" * 1200,
    b"1" * 100_000,
]  # fmt: skip

ENDPOINTS = ["/api/evaluate", "/api/codegen", "/api/parse", "/api/gradcheck", "/api/sweep"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_hostile_json_bodies_never_get_5xx(client: TestClient, path: str) -> None:
    for request in HOSTILE_JSON:
        response = client.post(path, json=request)
        assert response.status_code < 500, (request, response.text)
        assert response.status_code == 200 or response.json()["detail"], request
    assert_still_serving(client)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_hostile_raw_bodies_get_4xx(client: TestClient, path: str) -> None:
    for raw in HOSTILE_RAW:
        response = client.post(path, content=raw, headers=JSON)
        assert 400 <= response.status_code < 500, (raw[:40], response.text)
    assert_still_serving(client)


def test_bad_content_length_gets_400(client: TestClient) -> None:
    response = client.post("/api/evaluate", content=b"{}", headers={**JSON, "content-length": "zz"})
    assert response.status_code == 400
    assert_still_serving(client)


def test_trace_flag_that_is_not_a_boolean_gets_422(client: TestClient) -> None:
    response = client.post("/api/evaluate", params={"trace": "banana"}, json={})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "trace"]


def raising(error: Exception) -> Any:
    """A stand-in for an engine function that fails with `error`."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    return fail


def test_last_resort_answers_json_500_without_internals(
    monkeypatch: pytest.MonkeyPatch, client: TestClient
) -> None:
    monkeypatch.setattr(engine, "evaluate", raising(RuntimeError("secret internals")))
    client_no_raise = TestClient(client.app, raise_server_exceptions=False)
    response = client_no_raise.post("/api/evaluate", json={})
    assert response.status_code == 500
    assert response.json()["detail"][0]["type"] == "internal_error"
    assert "secret" not in response.text
    monkeypatch.undo()
    assert_still_serving(client_no_raise)


def test_recursion_error_is_refused_422(
    monkeypatch: pytest.MonkeyPatch, client: TestClient
) -> None:
    monkeypatch.setattr(engine, "evaluate", raising(RecursionError("too deep")))
    response = client.post("/api/evaluate", json={})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "too_deep"
