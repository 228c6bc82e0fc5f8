"""The notes' worked examples, checked against the numbers printed in the notes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import engine

EXAMPLES = {example["id"]: example for example in engine.list_examples()}


def run(example_id: str) -> dict[str, Any]:
    return engine.evaluate(EXAMPLES[example_id]["circuit"])


def test_multiply_example_gradients_are_the_swapped_inputs() -> None:
    result = run("multiply")
    assert result["values"]["f"] == -12
    assert (result["gradients"]["x"], result["gradients"]["y"]) == (-3, 4)


def test_max_example_routes_gradient_to_the_larger_input() -> None:
    result = run("max")
    assert result["values"]["f"] == 4
    assert (result["gradients"]["x"], result["gradients"]["y"]) == (1, 0)


def test_add_mul_example_matches_the_notes() -> None:
    result = run("add-mul")
    assert (result["values"]["q"], result["values"]["f"]) == (3, -12)
    assert result["gradients"] == {"x": -4, "y": -4, "z": 3, "q": -4, "f": 1}


@pytest.mark.parametrize("example_id", ["neuron", "neuron-primitives"])
def test_neuron_gradients_match_the_notes(example_id: str) -> None:
    grads = run(example_id)["gradients"]
    assert run(example_id)["values"]["f"] == pytest.approx(0.73, abs=0.005)
    assert [grads["x0"], grads["x1"]] == pytest.approx([0.39, -0.59], abs=0.005)
    assert [grads["w0"], grads["w1"], grads["w2"]] == pytest.approx([-0.2, -0.39, 0.2], abs=0.005)


def test_neuron_with_primitive_gates_gives_the_sigmoid_gate_gradients() -> None:
    grouped, primitive = run("neuron")["gradients"], run("neuron-primitives")["gradients"]
    for name in ("w0", "w1", "w2", "x0", "x1", "dot"):
        assert primitive[name] == pytest.approx(grouped[name], rel=1e-12)


def test_neuron_primitive_chain_shows_the_local_gradient_near_one_fifth() -> None:
    """The notes: the sigmoid's input 1.0 gives output 0.73 and local gradient about 0.2."""
    result = run("neuron-primitives")
    assert result["values"]["dot"] == 1.0
    assert result["gradients"]["dot"] == pytest.approx(0.2, abs=0.005)


def test_staged_example_matches_the_notes_stage_by_stage() -> None:
    result = run("staged")
    x, y = 3.0, -4.0
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    values = result["values"]
    assert values["sigy"] == pytest.approx(sig(y))
    assert values["xpysqr"] == pytest.approx((x + y) ** 2)
    assert values["f"] == pytest.approx((x + sig(y)) / (sig(x) + (x + y) ** 2))
    assert result["gradients"]["x"] == pytest.approx(2.06, abs=0.005)
    assert result["gradients"]["y"] == pytest.approx(1.59, abs=0.005)


def test_staged_example_trace_accumulates_at_the_forks() -> None:
    """x feeds sigx, xpy and num: the notes' `dx += ...` lines are contributions 2 and 3."""
    steps = run("staged")["trace"]["backward"]
    to_x = [port for step in steps for port in step["inputs"] if port["input"] == "x"]
    assert len(to_x) == 3
    assert [port["accumulated"] for port in to_x] == [False, True, True]
    assert to_x[-1]["total"] == pytest.approx(2.06, abs=0.005)
    assert to_x[1]["total"] == pytest.approx(to_x[0]["sent"] + to_x[1]["sent"])


def test_patterns_example_add_distributes_max_routes_mul_swaps() -> None:
    grads = run("patterns")["gradients"]
    assert grads["xy"] == grads["m"] == 2.0
    assert (grads["z"], grads["w"]) == (2.0, 0.0)
    assert (grads["x"], grads["y"]) == (-8.0, 6.0)


@pytest.mark.parametrize("scale", [1.0, 10.0, 1000.0])
def test_scaled_inputs_example_scales_the_weight_gradient_by_the_same_factor(
    scale: float,
) -> None:
    circuit = EXAMPLES["scaled-inputs"]["circuit"]
    grads = engine.compile(circuit).evaluate({"s": scale})["gradients"]
    assert grads["w"] == 3.0 * scale  # dw = s·x with x = 3
    assert grads["sx"] == 2.0  # the scaled data's own gradient is w, whatever the scale
    assert grads["x"] == 2.0 * scale


def test_matmul_example_gives_dW_dD_Xt_and_dX_Wt_dD() -> None:
    circuit = EXAMPLES["matmul"]["circuit"]
    nodes = {node["id"]: node for node in circuit["nodes"]}
    W, X = np.array(nodes["W"]["value"]), np.array(nodes["X"]["value"])
    dD = np.array(circuit["output_grad"])
    assert (W.shape, X.shape, dD.shape) == ((5, 10), (10, 3), (5, 3))
    result = engine.evaluate(circuit)
    np.testing.assert_allclose(result["values"]["D"], W.dot(X))
    np.testing.assert_allclose(result["gradients"]["W"], dD.dot(X.T))
    np.testing.assert_allclose(result["gradients"]["X"], W.T.dot(dD))
    assert result["shapes"]["W"] == [5, 10]


def leaves(example_id: str) -> dict[str, np.ndarray]:
    nodes = EXAMPLES[example_id]["circuit"]["nodes"]
    return {node["id"]: np.array(node["value"]) for node in nodes if node["op"] == "input"}


def test_two_layer_example_gradients_are_the_hand_derived_backprop() -> None:
    """The backward pass written out by hand with numpy, the way the notes derive it."""
    v = leaves("two-layer")
    z1 = v["W1"] @ v["X"] + v["b1"]
    a1 = np.maximum(z1, 0)
    err = v["W2"] @ a1 + v["b2"] - v["y"]
    dz2 = 2 * err
    dz1 = (v["W2"].T @ dz2) * (z1 > 0)
    expected = {
        "W2": dz2 @ a1.T,
        "b2": dz2.sum(),
        "W1": dz1 @ v["X"].T,
        "b1": dz1.sum(axis=1, keepdims=True),
        "X": v["W1"].T @ dz1,
        "y": -dz2,
    }
    result = run("two-layer")
    assert result["values"]["loss"] == pytest.approx(float(np.sum(err**2)))
    for name, grad in expected.items():
        np.testing.assert_allclose(result["gradients"][name], grad, rtol=1e-12, err_msg=name)
    assert result["shapes"]["b1"] == [5, 1] and result["shapes"]["z1"] == [5, 4]
    assert 0 < np.count_nonzero(z1 > 0) < z1.size  # the ReLUs pass some and block some


def test_data_times_1000_example_scales_the_weight_gradient_by_1000() -> None:
    v = leaves("data-times-1000")
    np.testing.assert_array_equal(v["W"], v["V"])
    result = run("data-times-1000")
    dW = np.ones((2, 4)) @ v["X"].T
    np.testing.assert_allclose(result["gradients"]["W"], dW, rtol=1e-12)
    np.testing.assert_allclose(result["gradients"]["V"], 1000 * dW, rtol=1e-12)
    np.testing.assert_allclose(result["values"]["E"], 1000 * np.array(result["values"]["D"]))


def test_every_example_has_what_the_menu_shows() -> None:
    assert len(EXAMPLES) >= 8
    for example in EXAMPLES.values():
        assert example["title"] and example["section"] and example["description"]
        assert engine.evaluate(example["circuit"])["output"] == example["circuit"]["output"]
