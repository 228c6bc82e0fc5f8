"""engine.codegen: staged code in the notes' style, checked against the notes' own numbers
and against central differences of formulas written here, never the engine's output."""

from __future__ import annotations

import doctest
import importlib
import keyword
import math
import re
from typing import Any

import numpy as np
import pytest

import engine
from engine import errors, pynames
from engine.examples import EXAMPLES
from tests.api.helpers import run_code
from tests.engine.helpers import central_difference, output_of


def example(example_id: str) -> dict[str, Any]:
    return next(e["circuit"] for e in EXAMPLES if e["id"] == example_id)


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def staged_f(x: float, y: float) -> float:
    """The notes' f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²), as one formula."""
    return (x + sigmoid(y)) / (sigmoid(x) + (x + y) ** 2)


def lines_of(staged: dict[str, Any], node: str, part: str) -> list[str]:
    code = staged["code"].splitlines()
    return [code[n - 1] for n in staged["lines"][node][part]]


def test_staged_example_code_gets_the_gradients_of_the_notes_formula() -> None:
    staged = engine.codegen(example("staged"))
    namespace = run_code(staged["code"])
    h = 1e-6
    dx = (staged_f(3 + h, -4) - staged_f(3 - h, -4)) / (2 * h)
    dy = (staged_f(3, -4 + h) - staged_f(3, -4 - h)) / (2 * h)
    assert namespace["f"] == pytest.approx(staged_f(3, -4), rel=1e-12)
    assert namespace["dx"] == pytest.approx(dx, rel=1e-7)
    assert namespace["dy"] == pytest.approx(dy, rel=1e-7)


def test_staged_example_reads_like_the_notes() -> None:
    code = engine.codegen(example("staged"))["code"]
    assert "sigy = sigmoid(y)  #(1)" in code
    assert "xpysqr = xpy ** 2  #(5)" in code
    assert "f = num * invden  #(8)" in code
    assert "dxpy = (2 * xpy) * dxpysqr  #(5)" in code
    assert "dden = (-1 / den ** 2) * dinvden  #(7)" in code
    # x feeds three gates: its first gradient is assigned, the next two are added
    assert re.findall(r"^dx (\+?=) .*#\((\d)\)$", code, re.M) == [
        ("=", "4"),
        ("+=", "3"),
        ("+=", "2"),
    ]
    assert re.findall(r"^dy (\+?=) .*#\((\d)\)$", code, re.M) == [("=", "4"), ("+=", "1")]
    assert code.index("# inputs") < code.index("# forward pass") < code.index("# backward pass")
    assert "numpy" not in code


def test_neuron_code_gets_the_notes_numbers() -> None:
    """The notes: the sigmoid gets 1.0 and gives 0.73, its local gradient ≈ 0.2, and the
    circuit figure shows w0: -0.20, x0: 0.39, w1: -0.39, x1: -0.59, w2: 0.20."""
    for example_id in ("neuron", "neuron-primitives"):
        staged = engine.codegen(example(example_id))
        namespace = run_code(staged["code"])
        grad = {node: namespace[var] for node, var in staged["gradients"].items()}
        assert namespace["dot"] == 1.0
        assert namespace["f"] == pytest.approx(0.73, abs=0.005)
        assert grad["dot"] == pytest.approx(0.2, abs=0.005)
        notes = {"w0": -0.20, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.20}
        for node, want in notes.items():
            assert grad[node] == pytest.approx(want, abs=0.005), (example_id, node)


def test_lines_name_each_gates_forward_and_backward_lines() -> None:
    staged = engine.codegen(example("staged"))
    assert lines_of(staged, "x", "forward") == ["x = 3.0"]
    assert lines_of(staged, "num", "forward") == ["num = x + sigy  #(2)"]
    assert lines_of(staged, "num", "backward") == [
        "dx += (1) * dnum  #(2)",
        "dsigy = (1) * dnum  #(2)",
    ]
    assert staged["code"].splitlines()[staged["seed"] - 1] == "df = 1.0"
    assert lines_of(staged, "f", "backward") == [
        "dnum = (invden) * df  #(8)",
        "dinvden = (num) * df  #(8)",
    ]
    assert lines_of(staged, "x", "backward") == []


TRICKY_IDS = [
    "x",
    "dx",
    "x-1",
    "x_1",
    "lambda",
    "1st",
    "σ",
    "ﬁ",
    "fi",
    "math",
    "np",
    "sum",
    "ict",
    "__builtins__",
    "+",
    "-",
    "d",
    "a\nb = 1",
    "__import__('os').getcwd()",
    "x² + 1",
]


def test_any_ids_get_distinct_safe_names_and_the_code_runs() -> None:
    """Keywords, builtins, digits, NFKC twins (ﬁ and fi), d-names, newlines, code: ids
    reach the code only as the names made from them."""
    nodes: list[dict[str, Any]] = [
        {"id": node, "op": "input", "value": 0.5 + k / 10} for k, node in enumerate(TRICKY_IDS)
    ]
    nodes.append({"id": "out", "op": "add", "inputs": TRICKY_IDS})
    circuit = {"nodes": nodes, "output": "out"}
    staged = engine.codegen(circuit)
    names = [*staged["names"].values(), *staged["gradients"].values()]
    assert len(set(names)) == len(names)
    assert all(name.isidentifier() and not keyword.iskeyword(name) for name in names)
    assert not set(names) & pynames.RESERVED
    assert "__import__(" not in staged["code"] and "getcwd()" not in staged["code"]
    namespace = run_code(staged["code"])
    for k, node in enumerate(TRICKY_IDS):
        assert namespace[staged["names"][node]] == 0.5 + k / 10
        assert namespace[staged["gradients"][node]] == 1.0


def test_tensor_code_sums_a_scalars_gradient_back_and_spreads_a_sums() -> None:
    """c scales a vector; sum totals it: dc = Σ v, and every element of the vector gets 1·c."""
    circuit = {
        "nodes": [
            {"id": "c", "op": "input", "value": 2.0},
            {"id": "v", "op": "input", "value": [1.0, -2.0, 0.5]},
            {"id": "cv", "op": "mul", "inputs": ["c", "v"]},
            {"id": "s", "op": "sum", "inputs": ["cv"]},
        ],
        "output": "s",
    }
    staged = engine.codegen(circuit)
    assert "dc = np.sum((v) * dcv)" in staged["code"]
    assert "dcv = np.full_like(cv, (1) * ds)" in staged["code"]
    namespace = run_code(staged["code"])
    assert namespace["dc"] == pytest.approx(-0.5)
    np.testing.assert_array_equal(namespace["dv"], [2.0, 2.0, 2.0])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]], [[1.0, -1.0, 2.0], [0.5, 0.25, -2.0]]),
        ([1.0, -2.0], [[1.0, -1.0, 2.0], [0.5, 0.25, -2.0]]),
        ([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]], [0.5, -1.5]),
        ([1.0, -2.0, 0.5], [0.5, -1.5, 2.0]),
    ],
    ids=["matrix-matrix", "vector-matrix", "matrix-vector", "vector-vector"],
)
def test_matmul_code_gets_central_difference_gradients_for_every_rank(a: Any, b: Any) -> None:
    circuit = {
        "nodes": [
            {"id": "A", "op": "input", "value": a},
            {"id": "B", "op": "input", "value": b},
            {"id": "D", "op": "matmul", "inputs": ["A", "B"]},
            {"id": "T", "op": "tanh", "inputs": ["D"]},
            {"id": "s", "op": "sum", "inputs": ["T"]},
        ],
        "output": "s",
    }
    namespace = run_code(engine.codegen(circuit)["code"])
    numeric = central_difference(output_of(circuit), {"A": a, "B": b})
    np.testing.assert_allclose(namespace["dA"], numeric["A"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(namespace["dB"], numeric["B"], rtol=1e-6, atol=1e-9)


def test_nodes_the_output_does_not_depend_on_get_a_zero_gradient() -> None:
    circuit = {
        "nodes": [
            {"id": "x", "op": "input", "value": 2.0},
            {"id": "v", "op": "input", "value": [1.0, 2.0]},
            {"id": "side", "op": "mul", "inputs": ["x", "v"]},
            {"id": "f", "op": "exp", "inputs": ["x"]},
        ],
        "output": "f",
    }
    namespace = run_code(engine.codegen(circuit)["code"])
    assert namespace["dx"] == pytest.approx(math.exp(2.0), rel=1e-15)
    np.testing.assert_array_equal(namespace["dside"], [0.0, 0.0])
    np.testing.assert_array_equal(namespace["dv"], [0.0, 0.0])


def test_code_of_a_circuit_outside_its_domain_is_refused_naming_the_gate() -> None:
    circuit = {
        "nodes": [
            {"id": "x", "op": "input", "value": 0.0},
            {"id": "r", "op": "pow", "inputs": ["x"], "params": {"p": 0.5}},
        ]
    }
    with pytest.raises(errors.NonFiniteError) as refused:
        engine.codegen(circuit)
    assert refused.value.node == "r"


def test_code_over_the_memory_budget_is_refused_before_it_is_written() -> None:
    limits = engine.Limits(max_request_bytes=200_000)
    circuit = engine.random_circuit(100)
    engine.evaluate(circuit, trace=False, limits=limits)
    with pytest.raises(errors.LimitError, match="staged code"):
        engine.codegen(circuit, limits=limits)


def test_codegen_docstrings_run() -> None:
    for name in ("engine.codegen", "engine.pynames"):
        assert doctest.testmod(importlib.import_module(name)).failed == 0
