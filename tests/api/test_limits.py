"""Size limits: refused with 413 and the limit in the message, before the work is done."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import MIB, Settings, get_settings
from engine import Limits
from tests.api.conftest import MakeClient
from tests.api.helpers import JSON, assert_still_serving, circuit, entry, gate, inp


def chain(length: int) -> dict[str, object]:
    """x, then `length` add_const gates in a row."""
    nodes = [inp("x", 0.5), gate("g0", "add_const", "x", c=1)]
    nodes += [gate(f"g{i}", "add_const", f"g{i - 1}", c=1) for i in range(1, length)]
    return circuit(*nodes)


def test_body_over_default_8_mib_is_refused_413(client: TestClient) -> None:
    response = client.post("/api/evaluate", content=b" " * (8 * MIB + 1), headers=JSON)
    found = entry(response, 413)
    assert str(8 * MIB) in found["msg"]
    assert_still_serving(client)


def test_body_limit_is_configurable(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=1000)
    found = entry(client.post("/api/evaluate", json=chain(40)), 413)
    assert "1000 bytes" in found["msg"]
    assert client.post("/api/evaluate", json=chain(3)).status_code == 200


def test_too_many_nodes_is_refused_413(client: TestClient) -> None:
    response = client.post("/api/evaluate", params={"trace": "false"}, json=chain(100_000))
    found = entry(response, 413)
    assert "100000" in found["msg"]
    assert_still_serving(client)


def test_node_limit_is_configurable(make_client: MakeClient) -> None:
    client = make_client(max_nodes=10)
    assert "10" in entry(client.post("/api/evaluate", json=chain(10)), 413)["msg"]
    assert client.post("/api/evaluate", json=chain(9)).status_code == 200


@pytest.mark.parametrize("path", ["/api/evaluate", "/api/parse"])
def test_expression_over_10000_chars_is_refused_413(client: TestClient, path: str) -> None:
    expression = "x" + " + x" * 2500
    found = entry(client.post(path, json={"expression": expression}), 413)
    assert "10000" in found["msg"]
    assert_still_serving(client)


def test_tensor_element_limit_is_configurable(make_client: MakeClient) -> None:
    client = make_client(max_tensor_elements=4)
    request = circuit(inp("a", [1, 2, 3, 4, 5]), gate("f", "sum", "a"))
    found = entry(client.post("/api/evaluate", json=request), 413)
    assert found["node"] == "a"
    assert "4" in found["msg"]


def test_deep_parentheses_are_answered_or_refused(client: TestClient) -> None:
    expression = "(" * 5000 + "x + 1" + ")" * 5000
    response = client.post("/api/evaluate", json={"expression": expression, "values": {"x": 2}})
    assert response.status_code in {200, 413, 422}, response.text
    if response.status_code == 200:
        body = response.json()
        assert body["values"][body["output"]] == 3
        assert body["gradients"]["x"] == 1
    assert_still_serving(client)


def test_deeply_nested_json_is_refused_422(client: TestClient) -> None:
    found = entry(client.post("/api/evaluate", content=b"[" * 100_000, headers=JSON), 422)
    assert "depth" in found["msg"]
    assert_still_serving(client)


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_env_var_changes_a_limit(monkeypatch: pytest.MonkeyPatch, fresh_settings: None) -> None:
    monkeypatch.setenv("BACKPROP_MAX_NODES", "3")
    assert get_settings().max_nodes == 3
    with TestClient(create_app()) as client:
        assert "3" in entry(client.post("/api/evaluate", json=chain(3)), 413)["msg"]


def test_settings_default_to_contract_limits(fresh_settings: None) -> None:
    limits = Settings().limits()
    assert (limits.max_nodes, limits.max_expression_chars, limits.max_tensor_elements) == (
        100_000,
        10_000,
        1_000_000,
    )
    assert Settings().max_body_bytes == 8 * MIB
    assert Settings().limits() == Limits()


def test_gradient_check_that_would_take_minutes_is_refused_413(client: TestClient) -> None:
    matrix = [[1.0] * 200] * 200
    request = circuit(
        inp("a", matrix), inp("b", matrix), gate("m", "matmul", "a", "b"), gate("f", "sum", "m")
    )
    found = entry(client.post("/api/gradcheck", json=request), 413)
    assert "5000000" in found["msg"] and "80000 input elements" in found["msg"]
    assert_still_serving(client)


def test_total_elements_limit_is_configurable(make_client: MakeClient) -> None:
    client = make_client(max_total_elements=10)
    request = circuit(
        inp("a", [1, 2, 3, 4]), gate("e", "exp", "a"), gate("t", "tanh", "e"), gate("f", "sum", "t")
    )
    found = entry(client.post("/api/evaluate", json=request), 413)
    assert found["node"] == "t" and "10" in found["msg"]


def test_node_id_over_100_chars_is_refused_without_echoing_it(client: TestClient) -> None:
    long_id = "x" * 1_000_000
    request = circuit(inp(long_id, 2.0), gate("f", "exp", long_id))
    response = client.post("/api/evaluate", json=request)
    found = entry(response, 413)
    assert found["loc"] == ["body", "nodes", 0, "id"]
    assert "max_id_chars" in found["msg"] and "100" in found["msg"]
    assert len(response.content) < 1000
    assert_still_serving(client)


def test_an_input_id_over_the_limit_is_refused_at_its_port(make_client: MakeClient) -> None:
    client = make_client(max_id_chars=5)
    request = circuit(inp("x", 2.0), gate("f", "add", "x", "y" * 6))
    found = entry(client.post("/api/evaluate", json=request), 413)
    assert found["loc"] == ["body", "nodes", 1, "inputs", 1]
    assert found["node"] == "f"
    assert client.post("/api/evaluate", json=circuit(inp("abcde", 1.0))).status_code == 200


def test_inputs_per_gate_over_100_is_refused(client: TestClient) -> None:
    request = circuit(inp("x", 1.0), gate("s", "add", *["x"] * 101))
    found = entry(client.post("/api/evaluate", json=request), 413)
    assert found["node"] == "s" and found["loc"] == ["body", "nodes", 1, "inputs"]
    assert "101" in found["msg"] and "max_gate_inputs" in found["msg"]
    answer = client.post(
        "/api/evaluate", json=circuit(inp("x", 1.0), gate("s", "add", *["x"] * 100))
    )
    assert answer.status_code == 200
    assert answer.json()["gradients"]["x"] == 100  # x fans out to 100 ports, each sends 1


@pytest.mark.parametrize("path", ["/api/evaluate", "/api/codegen", "/api/gradcheck"])
def test_inputs_per_gate_limit_is_configurable(make_client: MakeClient, path: str) -> None:
    client = make_client(max_gate_inputs=3)
    found = entry(client.post(path, json=circuit(inp("x"), gate("s", "add", *["x"] * 4))), 413)
    assert "max_gate_inputs" in found["msg"]
    assert (
        client.post(path, json=circuit(inp("x"), gate("s", "add", *["x"] * 3))).status_code == 200
    )


def test_memory_budget_is_configurable_and_counts_the_trace(make_client: MakeClient) -> None:
    client = make_client(max_request_bytes=4 * MIB)
    # 100 x 100 = 10,000 elements: values and gradients fit in 4 MiB, the trace does not
    request = circuit(inp("W", [[0.5] * 100] * 100), gate("t", "tanh", "W"), gate("f", "sum", "t"))
    assert client.post("/api/evaluate", json=request, params={"trace": "false"}).status_code == 200
    found = entry(client.post("/api/evaluate", json=request), 413)
    assert "max_request_bytes" in found["msg"] and "4 MiB" in found["msg"]
    assert "trace" in found["msg"]
