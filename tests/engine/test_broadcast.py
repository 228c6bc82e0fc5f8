"""numpy's broadcasting for elementwise gates: a bias stretches over a matrix, its gradient
is summed back to its own shape, and shapes that do not meet are refused at the gate."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import engine
from engine import errors
from tests.engine.helpers import central_difference, output_of

BINARY = ["add", "sub", "mul", "div", "max", "min"]


def inp(node_id: str, value: Any) -> dict[str, Any]:
    return {"id": node_id, "op": "input", "value": value}


def gate_of(op: str, a: Any, b: Any, output_grad: Any = None) -> dict[str, Any]:
    circuit: dict[str, Any] = {
        "nodes": [inp("a", a), inp("b", b), {"id": "h", "op": op, "inputs": ["a", "b"]}]
    }
    if output_grad is not None:
        circuit["output_grad"] = output_grad
    return circuit


def test_a_column_bias_adds_to_every_column_and_gets_the_row_sums() -> None:
    m = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    dH = [[1.0, 0.5, -1.0], [2.0, 0.0, 3.0]]
    result = engine.evaluate(gate_of("add", m, [[10.0], [20.0]], dH))
    assert result["values"]["h"] == [[11.0, 12.0, 13.0], [24.0, 25.0, 26.0]]
    assert result["gradients"]["b"] == [[0.5], [5.0]]  # 1 + 0.5 - 1, 2 + 0 + 3
    assert result["gradients"]["a"] == dH
    assert result["shapes"]["b"] == [2, 1] and result["shapes"]["h"] == [2, 3]


@pytest.mark.parametrize("row", [[10.0, 20.0, 30.0], [[10.0, 20.0, 30.0]]])
def test_a_row_bias_adds_to_every_row_and_gets_the_column_sums(row: Any) -> None:
    m = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    dH = [[1.0, 0.5, -1.0], [2.0, 0.0, 3.0]]
    result = engine.evaluate(gate_of("add", m, row, dH))
    assert result["values"]["h"] == [[11.0, 22.0, 33.0], [14.0, 25.0, 36.0]]
    sums = [3.0, 0.5, 2.0]
    assert result["gradients"]["b"] == (sums if len(row) == 3 else [sums])


def test_a_column_times_a_row_makes_their_outer_product() -> None:
    result = engine.evaluate(gate_of("mul", [[1.0], [2.0]], [[3.0, 4.0, 5.0]]))
    assert result["values"]["h"] == [[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]
    assert result["gradients"]["a"] == [[12.0], [12.0]]  # 3 + 4 + 5 each
    assert result["gradients"]["b"] == [[3.0, 3.0, 3.0]]  # 1 + 2 each


def random_pair(rng: np.random.Generator) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A matrix shape and a shape that broadcasts with it, in a random order."""
    rows, cols = (int(n) for n in rng.integers(2, 5, size=2))
    others = [(rows, 1), (1, cols), (cols,), (), (rows, cols), (1, 1)]
    pair = ((rows, cols), others[int(rng.integers(len(others)))])
    return pair if rng.random() < 0.5 else (pair[1], pair[0])


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    values = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)
    return values.tolist() if shape else float(values)


@pytest.mark.parametrize("op", BINARY)
@pytest.mark.parametrize("seed", range(6))
def test_broadcast_gradients_match_central_differences(op: str, seed: int) -> None:
    rng = np.random.default_rng([seed, BINARY.index(op)])
    shape_a, shape_b = random_pair(rng)
    point = {"a": away_from_zero(rng, shape_a), "b": away_from_zero(rng, shape_b)}
    out_shape = np.broadcast_shapes(shape_a, shape_b)
    circuit = gate_of(op, point["a"], point["b"], rng.standard_normal(out_shape).tolist())
    result = engine.evaluate(circuit)
    numeric = central_difference(output_of(circuit), point)
    for name, shape in (("a", shape_a), ("b", shape_b)):
        assert np.shape(result["gradients"][name]) == shape
        np.testing.assert_allclose(result["gradients"][name], numeric[name], rtol=1e-6, atol=1e-8)


def test_an_add_of_three_shapes_sums_each_gradient_back() -> None:
    point = {"k": 2.0, "c": [[1.0], [-1.0]], "r": [0.5, 1.5, -2.0]}
    circuit = {
        "nodes": [
            *(inp(name, value) for name, value in point.items()),
            {"id": "h", "op": "add", "inputs": ["k", "c", "r"]},
            {"id": "t", "op": "tanh", "inputs": ["h"]},
            {"id": "s", "op": "sum", "inputs": ["t"]},
        ]
    }
    result = engine.evaluate(circuit)
    assert result["shapes"]["h"] == [2, 3]
    numeric = central_difference(output_of(circuit), point)
    for name in point:
        np.testing.assert_allclose(result["gradients"][name], numeric[name], rtol=1e-6)


def test_the_trace_sends_a_bias_its_summed_gradient() -> None:
    result = engine.evaluate(gate_of("add", [[1.0, 2.0], [3.0, 4.0]], [[1.0], [1.0]]))
    (step,) = result["trace"]["backward"]
    assert step["inputs"][1]["sent"] == [[2.0], [2.0]]
    assert step["inputs"][1]["total"] == [[2.0], [2.0]]


def test_a_bias_in_an_expression_broadcasts() -> None:
    values = {"W": [[1.0, -1.0], [0.5, 2.0]], "X": [[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]}
    values["b"] = [[0.5], [-10.0]]
    result = engine.evaluate({"expression": "sum(relu(W @ X + b))", "values": values})
    pre = np.array(values["W"]) @ np.array(values["X"]) + np.array(values["b"])
    assert result["values"]["f"] == pytest.approx(np.maximum(pre, 0).sum())
    assert result["gradients"]["b"] == [[3.0], [0.0]]  # three columns pass; none does below


def refused(circuit: dict[str, Any]) -> errors.CircuitError:
    with pytest.raises(errors.ShapeError) as caught:
        engine.evaluate(circuit)
    return caught.value


def test_a_bias_that_does_not_fit_names_the_gate_the_shapes_and_what_fits() -> None:
    error = refused(gate_of("add", np.ones((5, 3)).tolist(), [1.0, 2.0, 3.0, 4.0]))
    assert error.node == "h" and error.loc == ("nodes", 2, "inputs")
    assert "Add ('add') got (5, 3) and (4,), which do not broadcast" in error.msg
    assert "a bias for a (5, 3) matrix has shape (5, 1), (1, 3) or (3,)" in error.msg


def test_a_column_bias_written_as_a_vector_is_refused_with_the_shape_to_use() -> None:
    """numpy lines shapes up from the right: a (5,) vector meets the 3 columns, not the rows."""
    error = refused(gate_of("mul", np.ones((5, 3)).tolist(), np.ones(5).tolist()))
    assert "(5, 3) and (5,)" in error.msg and "(5, 1)" in error.msg


def test_vectors_of_different_lengths_are_refused() -> None:
    error = refused(gate_of("sub", [1.0, 2.0], [1.0, 2.0, 3.0]))
    assert "(2,) and (3,)" in error.msg and "3 elements" in error.msg


def matmul_of(w: tuple[int, ...], x: tuple[int, ...]) -> dict[str, Any]:
    value = lambda shape: np.ones(shape).tolist() if shape else 1.0  # noqa: E731
    return {
        "nodes": [
            inp("W", value(w)),
            inp("X", value(x)),
            {"id": "D", "op": "matmul", "inputs": ["W", "X"]},
        ]
    }


@pytest.mark.parametrize(
    ("w", "x", "says"),
    [
        ((5, 10), (9, 3), "got W (5, 10) and X (9, 3): X needs 10 rows, one for each column of W"),
        ((5, 10), (9,), "X needs 10 elements, one for each column of W"),
        ((10,), (9, 3), "X needs 10 rows, one for each element of W"),
        ((5, 10), (), "got W (5, 10) and X (a scalar): matmul needs a vector or a matrix"),
    ],
)
def test_matmul_shape_errors_say_what_the_right_side_needs(
    w: tuple[int, ...], x: tuple[int, ...], says: str
) -> None:
    error = refused(matmul_of(w, x))
    assert error.node == "D" and error.loc == ("nodes", 2, "inputs")
    assert says in error.msg
