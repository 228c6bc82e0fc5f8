"""Seeded values over HTTP: answered with the drawn numbers, refused with 422/413 saying
which field of which node, and weighed by the numbers they ask for."""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from app.capacity import request_weight
from tests.api.helpers import circuit, entry, gate, inp


def draw(shape: tuple[int, ...], seed: int, scale: float = 1.0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape) * scale


def matmul(w: Any, x: Any) -> dict[str, Any]:
    return circuit(inp("W", w), inp("X", x), gate("D", "matmul", "W", "X"), gate("s", "sum", "D"))


def test_evaluate_answers_with_the_drawn_values(client: TestClient) -> None:
    body = matmul({"shape": [5, 10], "seed": 0, "scale": 0.1}, {"shape": [10, 3], "seed": 1})
    response = client.post("/api/evaluate", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    W, X = draw((5, 10), 0, 0.1), draw((10, 3), 1)
    np.testing.assert_array_equal(answer["values"]["W"], W)
    np.testing.assert_allclose(answer["values"]["D"], W @ X, rtol=1e-12)
    np.testing.assert_allclose(answer["gradients"]["W"], np.ones((5, 3)) @ X.T, rtol=1e-12)
    assert answer["shapes"]["W"] == [5, 10]


def test_the_expression_form_takes_seeded_values(client: TestClient) -> None:
    body = {
        "expression": "sum(W @ X)",
        "values": {"W": {"shape": [5, 10], "seed": 0}, "X": {"shape": [10, 3], "seed": 1}},
    }
    answer = client.post("/api/evaluate", json=body).json()
    assert answer["values"]["f"] == float(np.sum(draw((5, 10), 0) @ draw((10, 3), 1)))
    checked = client.post("/api/gradcheck", json=body).json()
    assert checked["max_rel_error"] < 1e-7


def test_parse_keeps_the_spec_in_the_circuit(client: TestClient) -> None:
    body = {"expression": "sum(v * 2)", "values": {"v": {"shape": [4], "seed": 7}}}
    parsed = client.post("/api/parse", json=body).json()
    assert parsed["nodes"][0]["value"] == {"shape": [4], "seed": 7, "scale": 1.0}


def test_a_bad_seed_is_refused_422_at_the_field(client: TestClient) -> None:
    body = matmul({"shape": [5, 10], "seed": 1.5}, [[1.0]])
    found = entry(client.post("/api/evaluate", json=body), 422)
    assert found["loc"] == ["body", "nodes", 0, "value", "seed"]
    assert found["type"] == "bad_value" and found["node"] == "W"
    assert "whole number" in found["msg"]


def test_a_negative_dimension_is_refused_422_at_the_dimension(client: TestClient) -> None:
    body = {"expression": "sum(W)", "values": {"W": {"shape": [3, -2], "seed": 0}}}
    found = entry(client.post("/api/evaluate", json=body), 422)
    assert found["loc"] == ["body", "values", "W", "shape", 1]


def test_too_many_elements_are_refused_413(client: TestClient) -> None:
    body = matmul({"shape": [100_000, 100_000], "seed": 0}, {"shape": [100_000, 1], "seed": 0})
    found = entry(client.post("/api/evaluate", json=body), 413)
    assert found["loc"] == ["body", "nodes", 0, "value", "shape"]
    assert "10000000000 elements" in found["msg"]


def test_a_seeded_value_weighs_the_numbers_it_asks_for() -> None:
    body = circuit(inp("W", {"shape": [40, 60], "seed": 0}), gate("s", "sum", "W"))
    assert request_weight(body) == 2 + 2400
    assert request_weight({"expression": "x", "values": {"x": {"shape": "?"}}}) == 1
