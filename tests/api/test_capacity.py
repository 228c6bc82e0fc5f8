"""Heavy evaluations share a few slots; past them, 503 with Retry-After, while
/api/health and small requests go on being answered."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from app.capacity import request_weight
from app.schemas import NOTES_CIRCUIT
from tests.api.conftest import MakeClient
from tests.api.helpers import NOTES_GRADIENTS, circuit, gate, inp

# 40 x 60 = 2400 elements in one input: over the default heavy weight of 2000
HEAVY = circuit(inp("W", [[0.5] * 60] * 40), gate("s", "sum", "W"))


def test_weight_counts_nodes_and_value_elements() -> None:
    assert request_weight(NOTES_CIRCUIT) == 5 + 3  # five nodes, three scalar values
    assert request_weight(HEAVY) == 2 + 2400
    assert request_weight({"expression": "x * y", "values": {"x": [1, 2, 3]}}) == 5 + 3
    assert request_weight([1, 2]) == 0


@pytest.fixture
def busy_client(make_client: MakeClient) -> Iterator[TestClient]:
    """A client whose app has both heavy slots taken, as by two running big requests."""
    client = make_client(max_heavy_evaluations=2)
    capacity = client.app.state.capacity  # type: ignore[attr-defined]
    with ExitStack() as stack:
        for _ in range(2):
            stack.enter_context(capacity.slot(request_weight(HEAVY)))
        yield client


@pytest.mark.parametrize("path", ["/api/evaluate", "/api/codegen", "/api/gradcheck"])
def test_heavy_request_without_a_slot_gets_503_with_retry_after(
    busy_client: TestClient, path: str
) -> None:
    response = busy_client.post(path, json=HEAVY)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    found = response.json()["detail"][0]
    assert found["type"] == "busy" and "2402" in found["msg"]


def test_health_and_small_requests_are_answered_while_slots_are_taken(
    busy_client: TestClient,
) -> None:
    assert busy_client.get("/api/health").status_code == 200
    response = busy_client.post("/api/evaluate", json=NOTES_CIRCUIT)
    assert response.status_code == 200
    assert response.json()["gradients"] == NOTES_GRADIENTS


def test_a_freed_slot_serves_the_next_heavy_request(make_client: MakeClient) -> None:
    client = make_client(max_heavy_evaluations=1)
    for _ in range(3):  # each request gives its slot back, even a refused one
        response = client.post("/api/evaluate", json=HEAVY, params={"trace": "false"})
        assert response.status_code == 200
        assert response.json()["gradients"]["W"][0][0] == 1
    bad = circuit(inp("W", [[0.5] * 60] * 40), gate("s", "log", "W"), gate("t", "nope", "s"))
    assert client.post("/api/evaluate", json=bad).status_code == 422
    assert client.post("/api/evaluate", json=HEAVY).status_code == 200


def test_heavy_weight_is_configurable(make_client: MakeClient) -> None:
    client = make_client(max_heavy_evaluations=1, heavy_request_weight=5)
    capacity = client.app.state.capacity  # type: ignore[attr-defined]
    with capacity.slot(request_weight(HEAVY)):
        assert client.post("/api/evaluate", json=NOTES_CIRCUIT).status_code == 503
        assert (
            client.post("/api/evaluate", json={"expression": "x", "values": {"x": 1}}).status_code
            == 200
        )
