"""POST /api/parse: an expression becomes a circuit that /api/evaluate accepts as it is."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import assert_still_serving, entry


def parse(client: TestClient, expression: str, **values: Any) -> dict[str, Any]:
    response = client.post("/api/parse", json={"expression": expression, "values": values})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_parse_expression_gives_input_nodes_named_after_variables(client: TestClient) -> None:
    circuit = parse(client, "(x + y) * z", x=-2, y=5, z=-4)
    inputs = {node["id"]: node["value"] for node in circuit["nodes"] if node["op"] == "input"}
    assert inputs == {"x": -2, "y": 5, "z": -4}


def test_parsed_circuit_evaluates_to_notes_numbers(client: TestClient) -> None:
    circuit = parse(client, "(x + y) * z", x=-2, y=5, z=-4)
    body = client.post("/api/evaluate", json=circuit).json()
    assert body["values"][body["output"]] == -12
    assert [body["gradients"][name] for name in "xyz"] == [-4, -4, 3]


def test_parse_follows_python_precedence(client: TestClient) -> None:
    # -x**2 is -(x**2): at x = 3 it is -9 with gradient -2x = -6.
    circuit = parse(client, "-x**2", x=3)
    body = client.post("/api/evaluate", json=circuit).json()
    assert body["values"][body["output"]] == -9
    assert body["gradients"]["x"] == -6


@pytest.mark.parametrize(
    "request_body",
    [{}, [], {"expression": 5}, {"expression": None}, {"expression": "x", "values": [1]}],
    ids=["no_expression", "not_an_object", "number", "null", "values_not_an_object"],
)
def test_parse_refuses_request_without_expression_string(
    client: TestClient, request_body: Any
) -> None:
    found = entry(client.post("/api/parse", json=request_body), 422)
    assert found["msg"]
    assert_still_serving(client)


@pytest.mark.parametrize(
    ("expression", "position"),
    [("__import__('os').system('true')", 0), ("x.__class__.__mro__", 1), ("lambda: 0", 0)],
    ids=["dunder_import", "attribute_access", "lambda"],
)
def test_parse_refuses_python_outside_vocabulary(
    client: TestClient, expression: str, position: int
) -> None:
    found = entry(client.post("/api/parse", json={"expression": expression}), 422)
    assert found["loc"] == ["body", "expression"]
    assert found["position"] == position
    assert_still_serving(client)
