"""Hypothesis property tests: random text into the parser, random JSON into validation,
random valid circuits into evaluate and codegen. The answer is right or a 4xx, never a 500 or a hang
(pytest-timeout bounds each test). Gradients are compared with central differences of
a forward pass written here with the math module, not the engine's."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.main import create_app
from app.settings import Settings
from engine.gates import GATES
from tests.api.helpers import JSON as JSON_HEADERS
from tests.api.helpers import assert_code_runs_like_evaluate

CLIENT = TestClient(create_app(Settings()))  # one app for every example
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Expressions: mostly the parser's own vocabulary, so most of them get far.
TOKENS = ["x", "y", "z", "2", "0.5", "1e3", "+", "-", "*", "/", "**", "^", "@", "(", ")", ","]
VOCABULARY = st.sampled_from(
    [*TOKENS, " ", "exp", "log", "tanh", "sigmoid", "relu", "max", "min", "sum", "١", "__", "["]
)


@PROPERTY
@given(st.one_of(st.text(max_size=80), st.lists(VOCABULARY, max_size=30).map("".join)))
def test_random_text_is_parsed_or_refused_with_a_4xx(expression: str) -> None:
    for path in ("/api/parse", "/api/evaluate"):
        response = CLIENT.post(path, json={"expression": expression, "values": {"x": 0.5}})
        assert response.status_code in {200, 413, 422}, (expression, response.text)
        if response.status_code != 200:
            assert response.json()["detail"][0]["msg"]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELD = st.sampled_from(["id", "op", "inputs", "value", "params", "output", "label"])
NODE = st.dictionaries(FIELD, JSON | st.sampled_from(["x", "add", "input", "mul", "f"]), max_size=5)
CIRCUITISH = st.fixed_dictionaries(
    {"nodes": st.lists(NODE, max_size=5)}, optional={"output": JSON, "version": JSON}
)


@PROPERTY
@given(st.one_of(JSON, CIRCUITISH))
def test_random_json_is_answered_or_refused_with_a_4xx(body: Any) -> None:
    for path in ("/api/evaluate", "/api/gradcheck", "/api/parse", "/api/sweep"):
        raw = json.dumps(body).encode()  # `json=None` would send no body at all
        response = CLIENT.post(path, content=raw, headers=JSON_HEADERS)
        assert response.status_code in {200, 413, 422}, (body, response.text)


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# The forward rules, written again from the notes with the math module.
RULES: dict[str, Callable[..., float]] = {
    "add": lambda *xs: sum(xs),
    "mul": lambda x, y: x * y,
    "sub": lambda x, y: x - y,
    "tanh": math.tanh,
    "sigmoid": sigmoid,
    "neg": lambda x: -x,
}
ARITY = {"add": 2, "mul": 2, "sub": 2, "tanh": 1, "sigmoid": 1, "neg": 1}


@st.composite
def circuits(draw: st.DrawFn) -> dict[str, Any]:
    """Two to four inputs, then one to eight gates, each reading earlier nodes."""
    count = draw(st.integers(2, 4))
    value = st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 3))
    nodes: list[dict[str, Any]] = [
        {"id": f"x{i}", "op": "input", "value": draw(value)} for i in range(count)
    ]
    for k in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(sorted(RULES)))
        ids = [node["id"] for node in nodes]
        inputs = [draw(st.sampled_from(ids)) for _ in range(ARITY[op])]
        nodes.append({"id": f"g{k}", "op": op, "inputs": inputs})
    return {"nodes": nodes, "output": nodes[-1]["id"]}


def forward(circuit: dict[str, Any], values: dict[str, float]) -> float:
    seen = dict(values)
    for node in circuit["nodes"]:
        if node["op"] != "input":
            seen[node["id"]] = RULES[node["op"]](*(seen[ref] for ref in node["inputs"]))
    return seen[circuit["output"]]


@PROPERTY
@given(circuits())
def test_random_circuits_get_the_central_difference_gradients(circuit: dict[str, Any]) -> None:
    response = CLIENT.post("/api/evaluate", json=circuit, params={"trace": "false"})
    assert response.status_code == 200, response.text
    answer = response.json()
    inputs = {node["id"]: node["value"] for node in circuit["nodes"] if node["op"] == "input"}
    assert answer["values"][circuit["output"]] == pytest.approx(forward(circuit, inputs), abs=1e-9)
    h = 1e-6
    for name, value in inputs.items():
        up = forward(circuit, {**inputs, name: value + h})
        down = forward(circuit, {**inputs, name: value - h})
        numeric = (up - down) / (2 * h)
        assert answer["gradients"][name] == pytest.approx(numeric, rel=1e-4, abs=1e-6), name


GATE_ROWS = [gate for gate in GATES.values() if not gate.leaf and gate.op != "matmul"]


@st.composite
def any_gate_circuits(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs, then gates of every scalar row of the table with any of their arities and
    params: some are outside a gate's domain (log of a negative, 0 to a negative power)."""
    number = st.floats(-3, 3, allow_nan=False).map(lambda v: round(v, 2))
    nodes: list[dict[str, Any]] = [
        {"id": f"x{i}", "op": "input", "value": draw(number)}
        for i in range(draw(st.integers(1, 3)))
    ]
    for k in range(draw(st.integers(1, 8))):
        gate = draw(st.sampled_from(GATE_ROWS))
        fewest, most = gate.arity
        arity = draw(st.integers(fewest, fewest + 2 if most is None else most))
        ids = [node["id"] for node in nodes]
        node = {
            "id": f"g{k}",
            "op": gate.op,
            "inputs": [draw(st.sampled_from(ids)) for _ in range(arity)],
        }
        if gate.params:
            node["params"] = {
                name: draw(number | st.sampled_from([0.5, 2.0])) for name in gate.params
            }
        nodes.append(node)
    return {"nodes": nodes, "output": nodes[-1]["id"]}


@PROPERTY
@given(any_gate_circuits())
def test_random_circuits_get_staged_code_that_runs_like_evaluate(circuit: dict[str, Any]) -> None:
    assert_code_runs_like_evaluate(CLIENT, circuit)
