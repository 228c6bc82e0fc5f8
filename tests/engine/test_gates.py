"""Every gate of the table against central differences, and its printed rules against
its code. The table is data, so one parametrised test covers every row."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine
from engine.gates import GATES
from engine.kernels import SCALAR, TENSOR
from engine.rules import compile_forward
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


def reference(text: str, xs: list[float], out: float, params: dict[str, float]) -> Any:
    """The rule text evaluated by Python itself over plain floats: `...` written out as
    the remaining inputs (x2, x3, ...), max/min/float/sum as Python's own."""
    names = ["x", "y", *(f"x{i}" for i in range(2, len(xs)))][: len(xs)]
    named = 2 if re.search(r"\by\b", text) else 1
    spelled = re.sub(
        r"(\s*[+,]\s*)\.\.\.",
        lambda m: "".join(m.group(1) + name for name in names[named:]),
        text,
    )
    namespace = {
        "exp": math.exp,
        "log": math.log,
        "tanh": math.tanh,
        "sigmoid": lambda v: 1 / (1 + math.exp(-v)),
        "max": max,
        "min": min,
        "float": float,
        "sum": lambda *vs: math.fsum(vs),
        "out": out,
        **dict(zip(names, xs, strict=True)),
        **params,
    }
    return eval(spelled, {"__builtins__": {}}, namespace)  # the table's own text


def inputs_for(op: str, rng: np.random.Generator) -> list[float]:
    """A random point where the gate is defined and smooth."""
    while True:
        xs = rng.uniform(-3, 3, size=arity_of(op)).tolist()
        if in_domain(op, xs):
            return xs


@pytest.mark.parametrize("op", [*ELEMENTWISE, "sum"])
def test_rule_text_and_compiled_rules_agree(op: str) -> None:
    """forward_code and local_code are the one source: the callables compiled from them
    compute what Python's own reading of the text computes, at random points."""
    gate, rng = GATES[op], np.random.default_rng(11)
    params = PARAMS.get(op, {})
    for _ in range(20):
        xs = inputs_for(op, rng)
        out = gate.forward(SCALAR, xs, params)
        assert out == pytest.approx(reference(gate.forward_code, xs, out, params))
        if gate.local is not None:
            printed = [reference(code, xs, out, params) for code in gate.local_code]
            per_port = printed * len(xs) if len(printed) == 1 else printed
            assert list(gate.local(SCALAR, xs, out, params)) == pytest.approx(per_port)


@pytest.mark.parametrize("op", ELEMENTWISE)
def test_tensor_kernels_compute_the_rule_text_element_by_element(op: str) -> None:
    gate, rng = GATES[op], np.random.default_rng(5)
    params = PARAMS.get(op, {})
    points = [inputs_for(op, rng) for _ in range(6)]
    columns = [np.array(column) for column in zip(*points, strict=True)]
    out = gate.forward(TENSOR, columns, params)
    assert gate.local is not None
    local = gate.local(TENSOR, columns, out, params)
    for row, xs in enumerate(points):
        assert out[row] == pytest.approx(reference(gate.forward_code, xs, out[row], params))
        printed = [reference(code, xs, out[row], params) for code in gate.local_code]
        per_port = printed * len(xs) if len(printed) == 1 else printed
        assert [np.broadcast_to(g, out.shape)[row] for g in local] == pytest.approx(per_port)


def test_matmul_printed_rule_is_what_its_vjp_sends() -> None:
    rng = np.random.default_rng(3)
    x, y, g = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
    gate = GATES["matmul"]
    assert gate.vjp is not None
    sent = gate.vjp([x, y], x @ y, g, {})
    namespace = {"x": x, "y": y, "g": g}
    np.testing.assert_allclose(gate.forward(TENSOR, [x, y], {}), eval(gate.forward_code, namespace))
    for code, got in zip(gate.local_code, sent, strict=True):
        np.testing.assert_allclose(got, eval(code, {"__builtins__": {}}, namespace))


def test_a_rule_outside_the_vocabulary_is_refused_when_the_table_loads() -> None:
    with pytest.raises(ValueError, match="__import__"):
        compile_forward("__import__('os')", [])
    with pytest.raises(ValueError, match="Attribute"):
        compile_forward("x.real", [])


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
    assert (described["input"]["leaf"], described["const"]["leaf"], described["add"]["leaf"]) == (
        True,
        True,
        False,
    )
    assert described["pow"]["defaults"] == {"p": 2.0}
    assert described["add_const"]["defaults"] == {"c": 1.0}
    assert described["mul_const"]["defaults"] == {"a": 1.0}
    assert (described["pow"]["display"], described["mul_const"]["display"]) == ("^{p}", "×{a}")
    assert (described["add_const"]["display"], described["tanh"]["display"]) == ("+{c}", "tanh")
    assert (described["log"]["function"], described["inv"]["function"]) == ("log", None)
    assert described["sum"]["arity"] == {"min": 1, "max": None}


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
