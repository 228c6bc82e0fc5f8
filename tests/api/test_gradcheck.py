"""POST /api/gradcheck: backprop beside central differences, per input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import engine
from tests.api.helpers import NOTES_CIRCUIT, assert_still_serving, entry


def test_check_gradients_agrees_on_notes_circuit(client: TestClient) -> None:
    response = client.post("/api/gradcheck", json=NOTES_CIRCUIT)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["inputs"]["x"]["analytic"] == -4
    assert body["inputs"]["z"]["numeric"] == pytest.approx(3, rel=1e-6)
    assert body["max_rel_error"] < 1e-6


def test_check_gradients_takes_expression_and_step(client: TestClient) -> None:
    request = {"expression": "x * y", "values": {"x": 4, "y": -3}}
    body = client.post("/api/gradcheck", params={"h": 1e-4}, json=request).json()
    assert body["h"] == 1e-4
    assert body["inputs"]["x"]["numeric"] == pytest.approx(-3, rel=1e-6)


@pytest.mark.parametrize("h", ["0", "-1", "2", "abc"])
def test_check_gradients_refuses_bad_step(client: TestClient, h: str) -> None:
    response = client.post("/api/gradcheck", params={"h": h}, json=NOTES_CIRCUIT)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "h"]
    assert_still_serving(client)


def test_check_gradients_refuses_bad_circuit_naming_node(client: TestClient) -> None:
    request = {"nodes": [{"id": "x", "op": "input", "value": 1}, {"id": "f", "op": "nope"}]}
    found = entry(client.post("/api/gradcheck", json=request), 422)
    assert found["node"] == "f"


def tensor_examples() -> list[dict[str, Any]]:
    """Every example of the catalog with a vector or a matrix in it."""
    examples = engine.list_examples()
    return [e for e in examples if any(engine.evaluate(e["circuit"])["shapes"].values())]


def test_the_catalog_has_the_tensor_examples() -> None:
    found = {example["id"] for example in tensor_examples()}
    assert {"matmul", "two-layer", "data-times-1000"} <= found


@pytest.mark.parametrize("example", tensor_examples(), ids=lambda example: example["id"])
def test_every_gradient_of_every_tensor_example_passes_gradcheck(
    client: TestClient, example: dict[str, Any]
) -> None:
    body = client.post("/api/gradcheck", json=example["circuit"]).json()
    inputs = [n["id"] for n in example["circuit"]["nodes"] if n["op"] == "input"]
    assert sorted(body["inputs"]) == sorted(inputs)
    for name, row in body["inputs"].items():
        assert row["rel_error"] < 1e-6, (name, row)
        assert np.shape(row["analytic"]) == np.shape(row["numeric"])
