"""Every gate of the table against central differences, and its printed rules against
its code. The table is data, so one parametrised test covers every row."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine
from engine.gates import GATES
from engine.kernels import SCALAR
from tests.engine.helpers import central_difference, output_of, single_gate

ELEMENTWISE = [op for op, gate in GATES.items() if gate.local is not None]
PARAMS = {"pow": {"p": 2.5}, "add_const": {"c": 1.5}, "mul_const": {"a": -2.0}}


def in_domain(op: str, xs: list[float]) -> bool:
    """Points where the gate is smooth, away from kinks and poles."""
    if op in ("max", "min"):
        return abs(xs[0] - xs[1]) > 1e-2
    if op == "relu":
        return abs(xs[0]) > 1e-2
    if op in ("log", "pow"):
        return xs[0] > 0.1
    if op in ("inv",):
        return abs(xs[0]) > 0.1
    if op == "div":
        return abs(xs[1]) > 0.1
    return True


def arity_of(op: str) -> int:
    _low, high = GATES[op].arity
    return high if high is not None else 3


@pytest.mark.parametrize("op", ELEMENTWISE)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_gate_gradient_matches_central_difference(op: str, data: st.DataObject) -> None:
    xs = data.draw(st.lists(st.floats(-3, 3), min_size=arity_of(op), max_size=arity_of(op)))
    assume(in_domain(op, xs))
    circuit = single_gate(op, xs, **PARAMS.get(op, {}))
    result = engine.evaluate(circuit, trace=False)
    numeric = central_difference(output_of(circuit), {f"a{i}": x for i, x in enumerate(xs)})
    for name, expected in numeric.items():
        assert result["gradients"][name] == pytest.approx(float(expected), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("op", ELEMENTWISE)
def test_gate_gradient_on_vectors_matches_central_difference(op: str) -> None:
    rng = np.random.default_rng(7)
    xs = [rng.uniform(0.5, 2.0, size=3).tolist() for _ in range(arity_of(op))]
    if op in ("max", "min"):
        xs[1] = [x + 0.25 * (-1) ** i for i, x in enumerate(xs[0])]
    circuit = single_gate(op, xs, **PARAMS.get(op, {}))
    circuit["output_grad"] = [1.0, -2.0, 0.5]
    result = engine.evaluate(circuit, trace=False)
    numeric = central_difference(output_of(circuit), {f"a{i}": x for i, x in enumerate(xs)})
    for name, expected in numeric.items():
        np.testing.assert_allclose(result["gradients"][name], expected, rtol=1e-4, atol=1e-6)


def code_namespace(xs: list[float], out: float, params: dict[str, float]) -> dict[str, Any]:
    names = dict(zip(["x", "y", "z"], xs, strict=False))
    return {
        "exp": math.exp,
        "log": math.log,
        "tanh": math.tanh,
        "max": max,
        "min": min,
        "float": float,
        "sum": lambda v: v,
        "out": out,
        **names,
        **params,
    }


@pytest.mark.parametrize("op", [*ELEMENTWISE, "sum"])
def test_printed_rules_compute_what_the_gate_computes(op: str) -> None:
    """forward_code and local_code (shown to users, used by code generators) agree with
    the callables; these strings are the table's own, not user input."""
    gate = GATES[op]
    xs = [0.7, 1.9][: min(arity_of(op), 2)]
    params = PARAMS.get(op, {})
    out = gate.forward(SCALAR, xs, params)
    namespace = code_namespace(xs, out, params)
    assert eval(gate.forward_code, namespace) == pytest.approx(out)
    if gate.local is not None:
        locals_ = gate.local(SCALAR, xs, out, params)
        printed = [eval(code, namespace) for code in gate.local_code]
        per_port = printed * len(xs) if len(printed) == 1 else printed
        assert per_port == pytest.approx(list(locals_))


def test_max_tie_sends_everything_to_the_first_input() -> None:
    result = engine.evaluate(single_gate("max", [2.0, 2.0]))
    assert (result["gradients"]["a0"], result["gradients"]["a1"]) == (1.0, 0.0)


def test_min_tie_sends_everything_to_the_first_input() -> None:
    result = engine.evaluate(single_gate("min", [2.0, 2.0]))
    assert (result["gradients"]["a0"], result["gradients"]["a1"]) == (1.0, 0.0)


def test_relu_at_zero_passes_no_gradient() -> None:
    assert engine.evaluate(single_gate("relu", [0.0]))["gradients"]["a0"] == 0.0


def test_sigmoid_is_stable_far_from_zero() -> None:
    result = engine.evaluate(single_gate("sigmoid", [-800.0]))
    assert result["values"]["out"] == pytest.approx(0.0, abs=1e-300)
    assert result["gradients"]["a0"] == pytest.approx(0.0, abs=1e-300)


def test_every_gate_is_described_for_the_api() -> None:
    described = {row["op"]: row for row in engine.list_gates()}
    assert set(described) >= {
        "input",
        "const",
        "add",
        "sub",
        "mul",
        "div",
        "neg",
        "max",
        "min",
        "pow",
        "exp",
        "log",
        "inv",
        "add_const",
        "mul_const",
        "sigmoid",
        "tanh",
        "relu",
        "matmul",
        "sum",
    }
    for row in described.values():
        assert row["title"] and row["forward"] and row["pattern"] and row["undefined"]
    assert described["add_const"]["params"] == ["c"]
    assert described["add"]["arity"] == {"min": 2, "max": None}


@settings(max_examples=25, deadline=None)
@given(
    dims=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
    data=st.data(),
)
def test_matmul_and_sum_gradients_match_central_difference(
    dims: tuple[int, int, int], data: st.DataObject
) -> None:
    """The two gates whose backward is not elementwise, over random shapes."""
    n, k, m = dims
    entries = st.floats(-2, 2, allow_subnormal=False)
    a = data.draw(st.lists(st.lists(entries, min_size=k, max_size=k), min_size=n, max_size=n))
    b = data.draw(st.lists(st.lists(entries, min_size=m, max_size=m), min_size=k, max_size=k))
    weights = data.draw(st.lists(st.lists(entries, min_size=m, max_size=m), min_size=n, max_size=n))
    circuit = {
        "nodes": [
            {"id": "a", "op": "input", "value": a},
            {"id": "b", "op": "input", "value": b},
            {"id": "w", "op": "input", "value": weights},
            {"id": "m", "op": "matmul", "inputs": ["a", "b"]},
            {"id": "p", "op": "mul", "inputs": ["m", "w"]},
            {"id": "s", "op": "sum", "inputs": ["p"]},
        ]
    }
    result = engine.evaluate(circuit, trace=False)
    numeric = central_difference(output_of(circuit), {"a": a, "b": b})
    np.testing.assert_allclose(result["gradients"]["a"], numeric["a"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result["gradients"]["b"], numeric["b"], rtol=1e-5, atol=1e-6)
