"""POST /api/codegen: the staged code runs as it is and holds /api/evaluate's numbers, for
every example and for hundreds of random scalar and tensor circuits; what evaluate
refuses, codegen refuses the same way."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import engine
from tests.api.conftest import MakeClient
from tests.api.helpers import (
    NOTES_GRADIENTS,
    assert_code_runs_like_evaluate,
    circuit,
    entry,
    gate,
    inp,
    run_code,
)

ELEMENTWISE = ["add", "sub", "mul", "max", "min"]
UNARY = ["tanh", "sigmoid", "relu", "neg", "exp", "pow", "add_const", "mul_const"]
PARAMS = {"pow": "p", "add_const": "c", "mul_const": "a"}


def random_tensor_circuit(seed: int) -> dict[str, Any]:
    """Three to five inputs of shapes (), (n,), (m, n), (n, p) and (m,), then up to 12
    gates: elementwise ones over equal shapes or a scalar, matmuls whose inner sizes
    agree, and sums of anything."""
    rng = random.Random(seed)
    m, n, p = rng.randint(1, 4), rng.randint(2, 4), rng.randint(1, 3)
    pool = [(), (n,), (m, n), (n, p), (m,)]
    shapes: dict[str, tuple[int, ...]] = {}
    nodes = []
    for k in range(rng.randint(3, 5)):
        shape = rng.choice(pool)
        shapes[f"in{k}"] = shape
        nodes.append(inp(f"in{k}", _random_value(rng, shape)))
    for k in range(rng.randint(1, 12)):
        made = _random_gate(rng, f"g{k}", shapes)
        if made is not None:
            nodes.append(made[0])
            shapes[made[0]["id"]] = made[1]
    out = nodes[-1]["id"]
    body = circuit(*nodes, output=out)
    if shapes[out] and rng.random() < 0.5:
        body["output_grad"] = _random_value(rng, shapes[out])
    return body


def _random_value(rng: random.Random, shape: tuple[int, ...]) -> Any:
    if not shape:
        return round(rng.uniform(-1, 1), 3)
    return [_random_value(rng, shape[1:]) for _ in range(shape[0])]


def _random_gate(
    rng: random.Random, node: str, shapes: dict[str, tuple[int, ...]]
) -> tuple[dict[str, Any], tuple[int, ...]] | None:
    ids = list(shapes)
    kind = rng.choice(["elementwise", "unary", "matmul", "sum", "add3"])
    a = rng.choice(ids)
    fits = [b for b in ids if shapes[b] == shapes[a] or not shapes[b] or not shapes[a]]
    if kind == "unary":
        op = rng.choice(UNARY)
        params = {PARAMS[op]: rng.choice([2.0, -0.5, 1.5])} if op in PARAMS else {}
        if op == "pow":
            params = {"p": rng.choice([2.0, 3.0])}
        return gate(node, op, a, **params), shapes[a]
    if kind in ("elementwise", "add3"):
        picked = [a] + [rng.choice(fits) for _ in range(1 if kind == "elementwise" else 2)]
        op = rng.choice(ELEMENTWISE) if kind == "elementwise" else "add"
        return gate(node, op, *picked), max((shapes[i] for i in picked), key=len)
    if kind == "sum":
        return gate(node, "sum", *rng.sample(ids, min(len(ids), rng.randint(1, 3)))), ()
    pairs = [
        (x, y)
        for x in ids
        for y in ids
        if shapes[x] and shapes[y] and shapes[x][-1] == shapes[y][0]
    ]
    if not pairs:
        return None
    x, y = rng.choice(pairs)
    return gate(node, "matmul", x, y), shapes[x][:-1] + shapes[y][1:]


@pytest.fixture
def steady(make_client: MakeClient, tmp_path: Path) -> Iterator[TestClient]:
    """A client kept open (one event-loop thread for every request), its store in tmp_path."""
    with make_client(data_dir=tmp_path) as client:
        yield client


@pytest.mark.parametrize("example", engine.list_examples(), ids=lambda example: example["id"])
def test_codegen_of_every_example_runs_like_evaluate(
    client: TestClient, example: dict[str, Any]
) -> None:
    staged = assert_code_runs_like_evaluate(client, example["circuit"])
    assert staged["language"] == "python"


def test_codegen_of_random_scalar_circuits_runs_like_evaluate(steady: TestClient) -> None:
    for seed in range(200):
        body = engine.random_circuit(5 + seed % 40, seed=seed, inputs=2 + seed % 7)
        assert assert_code_runs_like_evaluate(steady, body), seed


def test_codegen_of_random_tensor_circuits_runs_like_evaluate(steady: TestClient) -> None:
    answered = 0
    for seed in range(200):
        body = random_tensor_circuit(seed)
        answered += bool(assert_code_runs_like_evaluate(steady, body))
    assert answered >= 150  # most are valid; the rest are refused as evaluate refuses them


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "max", "min"])
@pytest.mark.parametrize("shape", [[5, 1], [1, 3], [3], [1, 1], []])
def test_codegen_sums_a_broadcast_gradient_back_to_its_input_shape(
    client: TestClient, op: str, shape: list[int]
) -> None:
    """A bias of each shape numpy stretches over a 5x3 matrix, on either port."""
    value = {"shape": shape, "seed": 2} if shape else 1.5
    bias = {"id": "b", "op": "input", "value": value}
    for inputs in (["A", "b"], ["b", "A"]):
        body = {
            "nodes": [
                {"id": "A", "op": "input", "value": {"shape": [5, 3], "seed": 1}},
                bias,
                {"id": "h", "op": op, "inputs": inputs},
                {"id": "f", "op": "sum", "inputs": ["h"]},
            ],
            "output": "f",
        }
        assert "code" in assert_code_runs_like_evaluate(client, body)


def test_codegen_of_an_expression_answers_its_circuit(client: TestClient) -> None:
    body = {"expression": "(x + y) * z", "values": {"x": -2, "y": 5, "z": -4}}
    staged = assert_code_runs_like_evaluate(client, body)
    assert [node["id"] for node in staged["circuit"]["nodes"]][:3] == ["x", "y", "z"]
    namespace = run_code(staged["code"])
    for node in ("x", "y", "z"):
        assert namespace[staged["gradients"][node]] == NOTES_GRADIENTS[node]


def test_codegen_refuses_a_log_of_a_negative_number_as_evaluate_does(client: TestClient) -> None:
    body = circuit(inp("x", -1.0), gate("l", "log", "x"))
    assert_code_runs_like_evaluate(client, body)
    found = entry(client.post("/api/codegen", json=body), 422)
    assert found["node"] == "l" and "positive" in found["msg"]


def test_codegen_refuses_a_dangling_input_naming_the_node(client: TestClient) -> None:
    body = circuit(inp("x"), gate("q", "add", "x", "w"))
    found = entry(client.post("/api/codegen", json=body), 422)
    assert found["node"] == "q" and found["loc"] == ["body", "nodes", 1, "inputs", 1]


def test_codegen_over_the_memory_budget_is_refused_naming_the_code(
    make_client: MakeClient,
) -> None:
    client = make_client(max_request_bytes=100_000)
    body = engine.random_circuit(200, seed=1)
    assert client.post("/api/evaluate", json=body, params={"trace": "false"}).status_code == 200
    found = entry(client.post("/api/codegen", json=body), 413)
    assert "staged code" in found["msg"] and "max_request_bytes" in found["msg"]


def test_codegen_of_too_many_nodes_is_refused_with_413(make_client: MakeClient) -> None:
    client = make_client(max_nodes=10)
    found = entry(client.post("/api/codegen", json=engine.random_circuit(20)), 413)
    assert "over the limit of 10" in found["msg"]
