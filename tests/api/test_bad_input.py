"""Every bad-input row of the contract: a 4xx whose detail says what and where, then service.

Each case is one request; each test checks the status, that `detail` names the
node (or the position in an expression or in the JSON text), and that the
server answers the notes' example right after.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import JSON, assert_still_serving, circuit, entry, gate, inp

XYZ = [inp("x", -2), inp("y", 5), inp("z", -4)]

# (case id, request body, the node the error must name)
NODE_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("unknown_op", circuit(*XYZ, gate("q", "frobnicate", "x", "y")), "q"),
    ("wrong_arity", circuit(*XYZ, gate("f", "mul", "x", "y", "z")), "f"),
    ("missing_inputs", circuit(*XYZ, {"id": "f", "op": "mul"}), "f"),
    ("dangling_input", circuit(*XYZ, gate("f", "mul", "x", "w")), "f"),
    ("duplicate_id", circuit(*XYZ, inp("x", 1), gate("f", "add", "x", "y", "z")), "x"),
    ("non_finite_value", circuit(inp("x", "inf"), gate("f", "neg", "x")), "x"),
    ("non_numeric_value", circuit(inp("x", [1, "a"]), gate("f", "neg", "x")), "x"),
    ("ragged_value", circuit(inp("x", [[1, 2], [3]]), gate("f", "neg", "x")), "x"),
    (
        "mismatched_shapes",
        circuit(inp("a", [1, 2]), inp("b", [1, 2, 3]), gate("f", "add", "a", "b")),
        "f",
    ),
    (
        "matmul_inner_dims",
        circuit(inp("a", [[1, 2]]), inp("b", [[1, 2]]), gate("f", "matmul", "a", "b")),
        "f",
    ),
    ("missing_param", circuit(inp("x", 1), gate("f", "add_const", "x")), "f"),
]


@pytest.mark.parametrize(
    ("request_body", "node"),
    [case[1:] for case in NODE_CASES],
    ids=[case[0] for case in NODE_CASES],
)
def test_evaluate_refuses_bad_circuit_naming_node(
    client: TestClient, request_body: dict[str, Any], node: str
) -> None:
    found = entry(client.post("/api/evaluate", json=request_body), 422)
    assert found["node"] == node
    assert f"'{node}'" in found["msg"]
    assert_still_serving(client)


# (case id, request body, the node, what the learner reads: the gate's title and why)
NOT_FINITE_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "divide_by_zero",
        circuit(inp("x", 1), inp("y", 0), gate("q", "div", "x", "y"), gate("f", "neg", "q")),
        "q",
        "Divide needs a divisor that is not zero; it got 0",
    ),
    (
        "log_of_negative",
        circuit(inp("x", -1), gate("l", "log", "x"), gate("f", "mul_const", "l", a=2)),
        "l",
        "Natural log needs a positive input; it got -1",
    ),
    (
        "exp_overflow",
        circuit(inp("x", 1000), gate("e", "exp", "x"), gate("f", "add_const", "e", c=1)),
        "e",
        "Exponential: its value is too large to represent (over 1.8e+308)",
    ),
]


@pytest.mark.parametrize(
    ("request_body", "node", "msg"),
    [case[1:] for case in NOT_FINITE_CASES],
    ids=[case[0] for case in NOT_FINITE_CASES],
)
def test_evaluate_says_why_a_gate_has_no_value_in_plain_words(
    client: TestClient, request_body: dict[str, Any], node: str, msg: str
) -> None:
    found = entry(client.post("/api/evaluate", json=request_body), 422)
    assert (found["node"], found["loc"], found["msg"]) == (node, ["body", "nodes", node], msg)
    assert_still_serving(client)


def test_evaluate_refuses_cycle_listing_it(client: TestClient) -> None:
    request = circuit(
        inp("x"),
        gate("a", "add", "x", "b"),
        gate("b", "add", "x", "a"),
        gate("f", "neg", "b"),
        output="f",
    )
    found = entry(client.post("/api/evaluate", json=request), 422)
    assert found["type"] == "cycle"
    assert set(found["cycle"]) == {"a", "b"}
    assert found["node"] in {"a", "b"}
    assert_still_serving(client)


def test_evaluate_refuses_output_that_is_not_a_node(client: TestClient) -> None:
    found = entry(client.post("/api/evaluate", json=circuit(*XYZ, output="nope")), 422)
    assert found["loc"] == ["body", "output"]
    assert "'nope'" in found["msg"]
    assert_still_serving(client)


def test_evaluate_refuses_several_sinks_without_output(client: TestClient) -> None:
    request = circuit(inp("x"), gate("f", "neg", "x"), gate("g", "exp", "x"))
    found = entry(client.post("/api/evaluate", json=request), 422)
    assert found["loc"] == ["body", "output"]
    assert "f" in found["msg"] and "g" in found["msg"]
    assert_still_serving(client)


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        (b'{"nodes": [', 11),
        (b'{"nodes": [}', 11),
        (b"", 0),
    ],
    ids=["truncated", "bad_bracket", "empty"],
)
def test_evaluate_refuses_malformed_json_with_position(
    client: TestClient, raw: bytes, position: int
) -> None:
    response = client.post("/api/evaluate", content=raw, headers=JSON)
    found = entry(response, 422)
    assert found["type"] == "json_invalid"
    assert found["loc"] == ["body", position]
    assert_still_serving(client)


@pytest.mark.parametrize("literal", ["1e999", "-1e400", "NaN", "Infinity", "-Infinity"])
def test_non_finite_literal_is_refused_naming_its_node(client: TestClient, literal: str) -> None:
    raw = (
        '{"nodes": [{"id": "x", "op": "input", "value": 1},'
        f' {{"id": "w", "op": "input", "value": [[1, 2], [3, {literal}]]}}]}}'
    )
    found = entry(client.post("/api/evaluate", content=raw.encode(), headers=JSON), 422)
    assert found["type"] == "not_finite"
    assert found["loc"] == ["body", "nodes", 1, "value", 1, 1]
    assert found["node"] == "w"
    assert literal in found["msg"] and "node 'w'" in found["msg"]
    assert_still_serving(client)


def test_non_finite_value_of_an_expression_is_refused_naming_the_variable(
    client: TestClient,
) -> None:
    raw = b'{"expression": "x * y", "values": {"x": 2, "y": NaN}}'
    found = entry(client.post("/api/evaluate", content=raw, headers=JSON), 422)
    assert found["loc"] == ["body", "values", "y"]
    assert "NaN" in found["msg"]


def test_evaluate_refuses_body_that_is_not_an_object(client: TestClient) -> None:
    entry(client.post("/api/evaluate", json=[1, 2, 3]), 422)
    assert_still_serving(client)


@pytest.mark.parametrize(
    ("expression", "position"),
    [
        ("(x + y", 0),  # the '(' that is never closed
        ("x + * y", 4),
        ("x $ y", 2),
        ("__import__('os')", 0),
        ("x.__class__", 1),
        ("(lambda: 1)()", 1),
        ("exp(x, y, z)", 5),  # the first ',' exp cannot take
        ("open(x)", 0),
    ],
    ids=[
        "unclosed",
        "missing_operand",
        "unknown_char",
        "dunder_import",
        "attribute_access",
        "lambda",
        "too_many_arguments",
        "unknown_function",
    ],
)
def test_evaluate_refuses_bad_expression_with_position(
    client: TestClient, expression: str, position: int
) -> None:
    response = client.post("/api/evaluate", json={"expression": expression, "values": {}})
    found = entry(response, 422)
    assert found["loc"] == ["body", "expression"]
    assert found["type"] == "parse_error"
    assert found["position"] == position, found
    assert_still_serving(client)
