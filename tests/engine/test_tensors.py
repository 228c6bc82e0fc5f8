"""Vectors and matrices: matmul's dW = dD·Xᵀ, dX = Wᵀ·dD, broadcasting and sum-back."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import engine
from tests.engine.helpers import central_difference, output_of


def inp(node_id: str, value: Any) -> dict[str, Any]:
    return {"id": node_id, "op": "input", "value": value}


def test_matmul_gradients_are_dD_Xt_and_Wt_dD() -> None:
    rng = np.random.default_rng(231)
    W, X, dD = (
        rng.standard_normal((5, 10)),
        rng.standard_normal((10, 3)),
        rng.standard_normal((5, 3)),
    )
    circuit = {
        "nodes": [
            inp("W", W.tolist()),
            inp("X", X.tolist()),
            {"id": "D", "op": "matmul", "inputs": ["W", "X"]},
        ],
        "output_grad": dD.tolist(),
    }
    result = engine.evaluate(circuit)
    np.testing.assert_allclose(result["gradients"]["W"], dD.dot(X.T), rtol=1e-12)
    np.testing.assert_allclose(result["gradients"]["X"], W.T.dot(dD), rtol=1e-12)
    assert np.shape(result["gradients"]["W"]) == (5, 10)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([[1.0, 2.0], [3.0, -1.0]], [0.5, -2.0]),  # matrix · vector
        ([0.5, -2.0], [[1.0, 2.0], [3.0, -1.0]]),  # vector · matrix
        ([1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]),
    ],  # dot product
)
def test_matmul_with_vectors_matches_central_difference(a: Any, b: Any) -> None:
    circuit = {
        "nodes": [
            inp("a", a),
            inp("b", b),
            {"id": "m", "op": "matmul", "inputs": ["a", "b"]},
            {"id": "s", "op": "sum", "inputs": ["m"]},
        ]
    }
    result = engine.evaluate(circuit)
    numeric = central_difference(output_of(circuit), {"a": a, "b": b})
    np.testing.assert_allclose(result["gradients"]["a"], numeric["a"], rtol=1e-6)
    np.testing.assert_allclose(result["gradients"]["b"], numeric["b"], rtol=1e-6)


def test_a_scalar_beside_a_tensor_broadcasts_and_its_gradient_sums_back() -> None:
    circuit = {
        "nodes": [
            inp("v", [1.0, 2.0, 3.0]),
            inp("k", 2.0),
            {"id": "m", "op": "mul", "inputs": ["v", "k"]},
        ],
        "output_grad": [1.0, 1.0, 1.0],
    }
    result = engine.evaluate(circuit)
    assert result["values"]["m"] == [2.0, 4.0, 6.0]
    assert result["gradients"]["k"] == 6.0  # 1 + 2 + 3
    assert result["gradients"]["v"] == [2.0, 2.0, 2.0]
    assert result["shapes"]["k"] == [] and result["shapes"]["m"] == [3]


def test_sum_sends_its_gradient_to_every_element() -> None:
    circuit = {
        "nodes": [
            inp("M", [[1.0, 2.0], [3.0, 4.0]]),
            {"id": "s", "op": "sum", "inputs": ["M"]},
            {"id": "f", "op": "mul_const", "inputs": ["s"], "params": {"a": 3}},
        ]
    }
    result = engine.evaluate(circuit)
    assert result["values"]["s"] == 10.0
    assert result["gradients"]["M"] == [[3.0, 3.0], [3.0, 3.0]]


def test_tensor_output_defaults_to_a_gradient_of_ones() -> None:
    circuit = {"nodes": [inp("v", [1.0, -1.0]), {"id": "e", "op": "exp", "inputs": ["v"]}]}
    result = engine.evaluate(circuit)
    np.testing.assert_allclose(result["gradients"]["v"], np.exp([1.0, -1.0]))
    assert result["gradients"]["e"] == [1.0, 1.0]


def test_linear_layer_with_a_loss_matches_central_difference() -> None:
    """sum(sigmoid(W @ x + b) * y): matmul, broadcast-free add, elementwise, reduce."""
    point = {
        "W": [[0.2, -0.5, 1.0], [0.7, 0.1, -0.3]],
        "x": [1.0, 2.0, -1.0],
        "b": [0.1, -0.2],
        "y": [1.0, -2.0],
    }
    circuit = engine.parse("sum(sigmoid(W @ x + b) * y)", point)
    result = engine.evaluate(circuit)
    numeric = central_difference(output_of(circuit), point)
    for name in point:
        np.testing.assert_allclose(result["gradients"][name], numeric[name], rtol=1e-6)


def test_a_tensor_the_output_ignores_gets_a_zero_gradient_of_its_shape() -> None:
    circuit = {
        "nodes": [
            inp("v", [1.0, 2.0]),
            inp("x", 3.0),
            {"id": "f", "op": "mul_const", "inputs": ["x"], "params": {"a": 2}},
        ],
        "output": "f",
    }
    assert engine.evaluate(circuit)["gradients"]["v"] == [0.0, 0.0]
