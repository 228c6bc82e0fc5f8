"""Seeded values: {"shape", "seed", "scale"} is numpy's default_rng(seed).standard_normal(shape)
times scale, checked from its spec and drawn only after the memory budget has counted it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import engine
from engine import errors
from engine.sizes import check_sizes
from engine.values import Seeded


def inp(node_id: str, value: Any) -> dict[str, Any]:
    return {"id": node_id, "op": "input", "value": value}


def numpy_draw(shape: tuple[int, ...], seed: int, scale: float = 1.0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape) * scale


def summed(*nodes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    ids = [node["id"] for node in nodes]
    return {"nodes": [*nodes, {"id": "s", "op": "sum", "inputs": ids}], "output": "s", **extra}


def test_a_seeded_input_is_numpys_standard_normal_draw_times_scale() -> None:
    circuit = summed(inp("W", {"shape": [5, 10], "seed": 3, "scale": 0.5}))
    result = engine.evaluate(circuit)
    np.testing.assert_array_equal(result["values"]["W"], numpy_draw((5, 10), 3, 0.5))
    assert result["shapes"]["W"] == [5, 10]
    assert result["gradients"]["W"] == np.ones((5, 10)).tolist()


def test_scale_defaults_to_one_and_a_vector_shape_gives_a_vector() -> None:
    result = engine.evaluate(summed(inp("v", {"shape": [4], "seed": 0})))
    np.testing.assert_array_equal(result["values"]["v"], numpy_draw((4,), 0))
    assert result["values"]["s"] == pytest.approx(float(numpy_draw((4,), 0).sum()))


def test_the_expression_form_takes_seeded_values_and_its_circuit_keeps_the_spec() -> None:
    request = {
        "expression": "sum(W @ X)",
        "values": {"W": {"shape": [5, 10], "seed": 0}, "X": {"shape": [10, 3], "seed": 1}},
    }
    result = engine.evaluate(request)
    W, X = numpy_draw((5, 10), 0), numpy_draw((10, 3), 1)
    np.testing.assert_allclose(result["gradients"]["W"], np.ones((5, 3)) @ X.T, rtol=1e-12)
    np.testing.assert_allclose(result["gradients"]["X"], W.T @ np.ones((5, 3)), rtol=1e-12)
    values = {node["id"]: node.get("value") for node in result["circuit"]["nodes"]}
    assert values["W"] == {"shape": [5, 10], "seed": 0, "scale": 1.0}


def test_a_seeded_output_grad_is_the_upstream_gradient() -> None:
    circuit = {
        "nodes": [
            inp("W", {"shape": [5, 10], "seed": 1}),
            inp("X", {"shape": [10, 3], "seed": 2}),
            {"id": "D", "op": "matmul", "inputs": ["W", "X"]},
        ],
        "output_grad": {"shape": [5, 3], "seed": 9, "scale": 2.0},
    }
    result = engine.evaluate(circuit)
    dD, X = numpy_draw((5, 3), 9, 2.0), numpy_draw((10, 3), 2)
    np.testing.assert_allclose(result["gradients"]["W"], dD @ X.T, rtol=1e-12)
    np.testing.assert_array_equal(result["gradients"]["D"], dD)


def test_compiled_reevaluation_takes_a_seeded_value_of_the_same_shape() -> None:
    compiled = engine.compile(summed(inp("v", [1.0, 2.0, 3.0])))
    result = compiled.evaluate({"v": {"shape": [3], "seed": 5}})
    np.testing.assert_array_equal(result["values"]["v"], numpy_draw((3,), 5))


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0], 2.0])
def test_a_seeded_value_of_another_shape_is_refused_before_it_is_drawn(
    monkeypatch: pytest.MonkeyPatch, values: Any
) -> None:
    compiled = engine.compile(summed(inp("v", values)))
    monkeypatch.setattr(Seeded, "draw", refuse_to_draw)
    with pytest.raises(errors.ShapeError, match="keep the shape"):
        compiled.evaluate({"v": {"shape": [1000, 1000], "seed": 5}})


def test_gradcheck_agrees_on_seeded_inputs() -> None:
    circuit = summed(inp("a", {"shape": [2, 3], "seed": 4}), inp("b", {"shape": [2, 3], "seed": 5}))
    circuit["nodes"][-1] = {"id": "m", "op": "mul", "inputs": ["a", "b"]}
    circuit["nodes"].append({"id": "s", "op": "sum", "inputs": ["m"]})
    report = engine.gradcheck(circuit)
    np.testing.assert_allclose(report["inputs"]["a"]["numeric"], numpy_draw((2, 3), 5), atol=1e-8)
    assert report["max_rel_error"] < 1e-7


BAD_SPECS = [
    ({"shape": [5, -1], "seed": 0}, ("shape", 1), "at least 1"),
    ({"shape": [0], "seed": 0}, ("shape", 0), "at least 1"),
    ({"shape": [2, 2, 2], "seed": 0}, ("shape",), "one or two whole numbers"),
    ({"shape": "5x3", "seed": 0}, ("shape",), "one or two whole numbers"),
    ({"shape": [5, 2.5], "seed": 0}, ("shape", 1), "whole number"),
    ({"shape": [5], "seed": 1.5}, ("seed",), "whole number"),
    ({"shape": [5], "seed": True}, ("seed",), "whole number"),
    ({"shape": [5], "seed": -1}, ("seed",), "from 0"),
    ({"shape": [5], "seed": 2**64}, ("seed",), "more than 64 bits"),
    ({"shape": [5]}, ("seed",), "needs 'seed'"),
    ({"seed": 1}, ("shape",), "needs 'shape'"),
    ({"shape": [5], "seed": 1, "sigma": 2}, ("sigma",), "not 'sigma'"),
    ({"shape": [5], "seed": 1, "scale": "big"}, ("scale",), "finite number"),
    ({"shape": [100], "seed": 1, "scale": 1e308}, ("scale",), "past the largest float"),
]


@pytest.mark.parametrize(("spec", "where", "says"), BAD_SPECS)
def test_a_bad_seeded_value_is_refused_naming_the_field(
    spec: dict[str, Any], where: tuple[Any, ...], says: str
) -> None:
    with pytest.raises(errors.ValueError_) as caught:
        engine.evaluate(summed(inp("W", spec)))
    assert caught.value.loc == ("nodes", 0, "value", *where)
    assert caught.value.node == "W" and says in caught.value.msg


def test_a_seeded_value_over_the_element_limit_is_refused_before_it_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Seeded, "draw", refuse_to_draw)
    with pytest.raises(errors.LimitError, match="2000000 elements") as caught:
        engine.evaluate(summed(inp("W", {"shape": [2000, 1000], "seed": 0})))
    assert caught.value.loc == ("nodes", 0, "value", "shape")


def test_the_memory_budget_counts_seeded_values_before_drawing_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 1000 x 1000 draw with its gradient and answer is over 100 MiB; 40 bytes of spec."""
    monkeypatch.setattr(Seeded, "draw", refuse_to_draw)
    limits = engine.Limits(max_request_bytes=100 * 1024 * 1024, max_gradcheck_evaluations=10**13)
    circuit = summed(inp("W", {"shape": [1000, 1000], "seed": 0}))
    with pytest.raises(errors.LimitError, match="max_request_bytes"):
        engine.evaluate(circuit, limits=limits, trace=False)
    with pytest.raises(errors.LimitError, match="max_request_bytes"):
        engine.gradcheck(circuit, limits=limits)


def test_the_stores_size_check_counts_seeded_values_without_drawing_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Seeded, "draw", refuse_to_draw)
    half = {"shape": [1000, 500], "seed": 0}
    check_sizes(summed(inp("a", half), inp("b", half)))
    with pytest.raises(errors.LimitError, match="for all nodes together"):
        check_sizes(summed(*(inp(f"a{i}", half) for i in range(9))))
    with pytest.raises(errors.ValueError_):
        check_sizes(summed(inp("a", {"shape": [3], "seed": -2})))


def refuse_to_draw(self: Seeded) -> np.ndarray:
    raise AssertionError("a seeded value was drawn before its limits were checked")
