"""The compiled-circuit cache (value-only edits skip compilation), the time budget, and
large bodies decoded off the event loop."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MakeClient
from tests.api.helpers import circuit, entry, gate, inp


def notes_circuit(x: float, y: float, z: float) -> dict[str, Any]:
    """The notes' f = (x + y) z."""
    nodes = [inp("x", x), inp("y", y), inp("z", z), gate("q", "add", "x", "y")]
    return circuit(*nodes, gate("f", "mul", "q", "z"), output="f")


def stats(client: TestClient) -> dict[str, float]:
    response = client.get("/api/stats")
    assert response.status_code == 200
    cache: dict[str, float] = response.json()["cache"]
    return cache


def test_a_value_edit_is_served_from_the_cache_with_the_new_numbers(client: TestClient) -> None:
    first = client.post("/api/evaluate", json=notes_circuit(-2, 5, -4)).json()
    second = client.post("/api/evaluate", json=notes_circuit(1, 2, 3)).json()
    assert first["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0, "q": -4.0, "f": 1.0}
    assert second["values"]["f"] == 9.0  # (1 + 2) * 3
    assert second["gradients"] == {"x": 3.0, "y": 3.0, "z": 3.0, "q": 3.0, "f": 1.0}
    assert [step["id"] for step in second["trace"]["backward"]] == ["f", "q"]
    found = stats(client)
    assert (found["entries"], found["hits"], found["misses"]) == (1, 1, 1)
    assert found["hit_rate"] == 0.5


def test_a_structural_edit_is_a_miss(client: TestClient) -> None:
    client.post("/api/evaluate", json=notes_circuit(-2, 5, -4))
    changed = notes_circuit(-2, 5, -4)
    changed["nodes"][4]["op"] = "add"
    assert client.post("/api/evaluate", json=changed).json()["values"]["f"] == -1.0
    assert stats(client)["misses"] == 2


def test_a_bad_value_on_a_known_structure_gets_the_usual_error(client: TestClient) -> None:
    client.post("/api/evaluate", json=notes_circuit(-2, 5, -4))
    bad = notes_circuit(-2, 5, -4)
    bad["nodes"][1]["value"] = "five"
    found = entry(client.post("/api/evaluate", json=bad), 422)
    assert found["loc"] == ["body", "nodes", 1, "value"] and found["node"] == "y"


def test_a_parameter_of_another_type_is_not_taken_for_a_cached_one(client: TestClient) -> None:
    nodes = [{"id": "x", "op": "input", "value": 2}, {"id": "f", "op": "pow", "inputs": ["x"]}]
    nodes[1]["params"] = {"p": 1}
    assert client.post("/api/evaluate", json={"nodes": nodes}).status_code == 200
    nodes[1]["params"] = {"p": True}
    found = entry(client.post("/api/evaluate", json={"nodes": nodes}), 422)
    assert found["type"] == "bad_param"


def test_the_cache_keeps_at_most_its_bound(make_client: MakeClient) -> None:
    client = make_client(cache_entries=2)
    for gates in range(1, 5):
        nodes = [{"id": "x", "op": "input", "value": 0.5}]
        nodes += [
            {"id": f"g{i}", "op": "relu", "inputs": [f"g{i - 1}" if i else "x"]}
            for i in range(gates)
        ]
        assert client.post("/api/evaluate", json={"nodes": nodes}).status_code == 200
    found = stats(client)
    assert found["entries"] == 2 and found["max_entries"] == 2 and found["misses"] == 4


@pytest.mark.parametrize("route", ["/api/evaluate", "/api/codegen", "/api/gradcheck"])
def test_work_past_the_time_budget_is_stopped_with_503(make_client: MakeClient, route: str) -> None:
    client = make_client(time_budget_s=1e-9)
    found = entry(client.post(route, json=notes_circuit(-2, 5, -4)), 503)
    assert found["type"] == "time_budget" and "1e-09 s" in found["msg"]
    assert client.get("/api/health").status_code == 200


def test_a_large_body_decoded_off_the_event_loop_keeps_its_error_position(
    client: TestClient,
) -> None:
    body = b'{"nodes": [' + b'{"id": "x", "op": "input", "value": 1},' * 3000 + b"]}"
    found = entry(
        client.post("/api/evaluate", content=body, headers={"Content-Type": "application/json"}),
        422,
    )
    assert found["type"] == "json_invalid"
    assert len(body) - 4 < found["position"] < len(body)  # the trailing comma
