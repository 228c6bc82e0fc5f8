"""POST /api/gradcheck: backprop beside central differences, per input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

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
