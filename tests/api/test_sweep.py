"""POST /api/sweep: the output and its gradient along one input's range."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.capacity import request_weight
from tests.api.conftest import MakeClient
from tests.api.helpers import NOTES_CIRCUIT, assert_still_serving, entry


def test_sweep_input_of_notes_circuit(client: TestClient) -> None:
    request = {**NOTES_CIRCUIT, "input": "z", "from": -2, "to": 2, "points": 5}
    response = client.post("/api/sweep", json=request)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["xs"] == [-2.0, -1.0, 0.0, 1.0, 2.0]
    assert body["values"] == [3.0 * z for z in body["xs"]]  # q = x + y = 3
    assert body["gradients"] == [3.0] * 5
    assert (body["input"], body["output"]) == ("z", "f")


def test_sweep_input_of_expression_with_default_points(client: TestClient) -> None:
    request = {"expression": "x ** 3", "values": {"x": 1}, "input": "x", "from": -1, "to": 1}
    body = client.post("/api/sweep", json=request).json()
    assert len(body["xs"]) == 101
    assert body["gradients"] == pytest.approx([3 * x * x for x in body["xs"]])


def test_sweep_input_answers_null_where_undefined(client: TestClient) -> None:
    request = {"expression": "1 / x", "values": {"x": 1}, "input": "x", "from": -1, "to": 1}
    body = client.post("/api/sweep", json={**request, "points": 3}).json()
    assert body["values"] == [-1.0, None, 1.0]
    assert body["gradients"] == [-1.0, None, -1.0]


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"input": "nope"}, ["body", "input"]),
        ({"from": 5}, ["body", "to"]),
        ({"points": 0}, ["body", "points"]),
        ({"to": "1"}, ["body", "to"]),
    ],
)
def test_sweep_input_refuses_bad_fields_saying_where(
    client: TestClient, fields: dict[str, Any], loc: list[str]
) -> None:
    request = {**NOTES_CIRCUIT, "input": "x", "from": 0, "to": 1, **fields}
    found = entry(client.post("/api/sweep", json=request), 422)
    assert found["loc"] == loc
    assert_still_serving(client)


def test_sweep_input_refuses_tensor_circuit(client: TestClient) -> None:
    request = {"expression": "sum(w)", "values": {"w": [1, 2]}, "input": "w", "from": 0, "to": 1}
    found = entry(client.post("/api/sweep", json=request), 422)
    assert found["type"] == "shape_mismatch"
    assert "scalar circuits only" in found["msg"]


def test_sweep_input_refuses_too_many_points(make_client: MakeClient) -> None:
    client = make_client(max_sweep_points=100)
    request = {**NOTES_CIRCUIT, "input": "x", "from": 0, "to": 1, "points": 101}
    found = entry(client.post("/api/sweep", json=request), 413)
    assert found["loc"] == ["body", "points"]


def test_sweep_input_weighs_its_points_for_the_heavy_slots(make_client: MakeClient) -> None:
    client = make_client(max_heavy_evaluations=1, heavy_request_weight=100)
    light = {**NOTES_CIRCUIT, "input": "x", "from": 0, "to": 1, "points": 10}
    heavy = {**light, "points": 20}  # 5 nodes x 20 points
    capacity = client.app.state.capacity  # type: ignore[attr-defined]
    with capacity.slot(request_weight(heavy) * 20):  # the one slot is taken
        assert client.post("/api/sweep", json=light).status_code == 200
        response = client.post("/api/sweep", json=heavy)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"


def test_sweep_input_names_a_bad_circuit_before_a_bad_range(client: TestClient) -> None:
    request = {"expression": "x * y", "values": {"x": 1}, "input": "x", "points": 10**9}
    found = entry(client.post("/api/sweep", json=request), 422)
    assert found["loc"] == ["body", "values", "y"]
