"""POST /api/evaluate: the notes' numbers for circuits, expressions and tensors."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from tests.api.helpers import (
    NOTES_CIRCUIT,
    NOTES_GRADIENTS,
    NOTES_VALUES,
    assert_still_serving,
    circuit,
    entry,
    gate,
    inp,
)


def test_evaluate_notes_circuit_gives_notes_numbers(client: TestClient) -> None:
    response = client.post("/api/evaluate", json=NOTES_CIRCUIT)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["output"] == "f"
    assert body["values"] == NOTES_VALUES
    assert body["gradients"] == NOTES_GRADIENTS


def test_evaluate_answers_with_json_content_type(client: TestClient) -> None:
    response = client.post("/api/evaluate", json=NOTES_CIRCUIT)
    assert response.headers["content-type"] == "application/json"


def test_evaluate_includes_trace_by_default(client: TestClient) -> None:
    body = client.post("/api/evaluate", json=NOTES_CIRCUIT).json()
    backward = body["trace"]["backward"]
    assert [step["id"] for step in backward] == ["f", "q"]
    sent_to_q = backward[0]["inputs"][0]
    assert (sent_to_q["input"], sent_to_q["local"], sent_to_q["sent"]) == ("q", -4, -4)


def test_evaluate_trace_false_leaves_out_trace(client: TestClient) -> None:
    response = client.post("/api/evaluate", params={"trace": "false"}, json=NOTES_CIRCUIT)
    assert response.status_code == 200
    assert "trace" not in response.json()


def test_evaluate_expression_gives_notes_numbers(client: TestClient) -> None:
    request = {"expression": "(x + y) * z", "values": {"x": -2, "y": 5, "z": -4}}
    body = client.post("/api/evaluate", json=request).json()
    assert body["values"]["f"] == -12
    assert {name: body["gradients"][name] for name in "xyz"} == {"x": -4, "y": -4, "z": 3}
    assert {node["id"] for node in body["circuit"]["nodes"]} >= {"x", "y", "z", "f"}


def test_evaluate_accepts_extra_fields(client: TestClient) -> None:
    nodes = [
        {**node, "label": node["id"].upper(), "ui": {"x": 10, "y": 20}}
        for node in NOTES_CIRCUIT["nodes"]
    ]
    request = {**NOTES_CIRCUIT, "nodes": nodes, "version": 1, "ui": {"zoom": 2}}
    response = client.post("/api/evaluate", json=request)
    assert response.status_code == 200, response.text
    assert response.json()["gradients"] == NOTES_GRADIENTS


def test_evaluate_fork_accumulates_gradient(client: TestClient) -> None:
    # f = x * x at x = 3: df/dx = 2x = 6, the two contributions adding up.
    request = circuit(inp("x", 3), gate("f", "mul", "x", "x"))
    assert client.post("/api/evaluate", json=request).json()["gradients"]["x"] == 6


def test_evaluate_matmul_gives_notes_gradients(client: TestClient) -> None:
    # The notes: dW = dD . X^T and dX = W^T . dD.
    w, x, dd = [[1, 2, 3], [4, 5, 6]], [[1, 0], [0, 1], [1, 1]], [[1, 2], [3, 4]]
    request = circuit(
        inp("W", w), inp("X", x), gate("D", "matmul", "W", "X"), output="D", output_grad=dd
    )
    body = client.post("/api/evaluate", json=request).json()
    w_, x_, dd_ = np.array(w), np.array(x), np.array(dd)
    assert body["values"]["D"] == (w_ @ x_).tolist()
    assert body["gradients"]["W"] == (dd_ @ x_.T).tolist()
    assert body["gradients"]["X"] == (w_.T @ dd_).tolist()
    assert body["shapes"]["D"] == [2, 2]


def test_evaluate_second_sink_gets_zero_gradient(client: TestClient) -> None:
    request = circuit(
        inp("a", 2), inp("b", 3), gate("f", "mul", "a", "b"), gate("g", "neg", "a"), output="f"
    )
    gradients = client.post("/api/evaluate", json=request).json()["gradients"]
    assert gradients["g"] == 0
    assert gradients["a"] == 3


def test_evaluate_chain_of_5000_gates_is_answered(client: TestClient) -> None:
    # x + 1 + 1 + ... five thousand times: value x + 5000, gradient 1.
    nodes = [inp("x", 0.5)]
    nodes += [
        gate(f"g{i}", "add_const", nodes[-1]["id"] if i == 0 else f"g{i - 1}", c=1)
        for i in range(5000)
    ]
    response = client.post("/api/evaluate", params={"trace": "false"}, json=circuit(*nodes))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["values"]["g4999"] == 5000.5
    assert body["gradients"]["x"] == 1


def test_evaluate_expression_refuses_a_variable_with_no_value(client: TestClient) -> None:
    """A misspelt name must not silently become 1.0."""
    request = {"expression": "(x + y) * z", "values": {"x": -2, "y": 5, "zz": -4}}
    found = entry(client.post("/api/evaluate", json=request), 422)
    assert (found["loc"], found["type"], found["node"]) == (["body", "values", "z"], "missing", "z")
    assert "'z' has no value" in found["msg"]
    assert_still_serving(client)


def test_gradcheck_of_an_expression_refuses_a_variable_with_no_value(client: TestClient) -> None:
    found = entry(client.post("/api/gradcheck", json={"expression": "x * y", "values": {}}), 422)
    assert found["loc"] == ["body", "values", "x"]


def test_parse_still_gives_a_missing_variable_the_value_one(client: TestClient) -> None:
    response = client.post("/api/parse", json={"expression": "x * y", "values": {"x": 3}})
    values = {node["id"]: node.get("value") for node in response.json()["nodes"]}
    assert (values["x"], values["y"]) == (3, 1)
