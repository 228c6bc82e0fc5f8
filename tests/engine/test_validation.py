"""Each malformed circuit is refused with a typed error that names the node."""

from __future__ import annotations

from typing import Any

import pytest

import engine
from engine import errors


def circuit(*nodes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"nodes": list(nodes), **extra}


X = {"id": "x", "op": "input", "value": 2.0}
Y = {"id": "y", "op": "input", "value": 3.0}


def refuse(bad: Any, error: type[errors.CircuitError]) -> errors.CircuitError:
    with pytest.raises(error) as caught:
        engine.evaluate(bad)
    return caught.value


def test_not_an_object_is_refused() -> None:
    assert "JSON object" in refuse([1, 2], errors.BadCircuitError).msg


def test_missing_nodes_list_is_refused() -> None:
    assert refuse({"nodes": "x"}, errors.BadCircuitError).loc == ("nodes",)


def test_duplicate_ids_name_the_id_and_both_places() -> None:
    error = refuse(circuit(X, dict(X)), errors.DuplicateIdError)
    assert error.node == "x" and "nodes[0]" in error.msg and "nodes[1]" in error.msg
    assert error.loc == ("nodes", 1, "id")


def test_unknown_op_names_the_node_and_lists_the_gates() -> None:
    error = refuse(
        circuit(X, {"id": "g", "op": "frobnicate", "inputs": ["x"]}), errors.UnknownOpError
    )
    assert error.node == "g" and "frobnicate" in error.msg and "sigmoid" in error.msg


@pytest.mark.parametrize(
    ("op", "inputs"), [("mul", ["x"]), ("exp", ["x", "y"]), ("add", ["x"]), ("input", ["x"])]
)
def test_wrong_arity_is_refused(op: str, inputs: list[str]) -> None:
    bad = {"id": "g", "op": op, "inputs": inputs, "value": 1}
    error = refuse(circuit(X, Y, bad), errors.ArityError)
    assert error.node == "g" and error.loc == ("nodes", 2, "inputs")


def test_dangling_input_names_the_node_and_the_missing_id() -> None:
    error = refuse(
        circuit(X, {"id": "g", "op": "mul", "inputs": ["x", "w"]}), errors.DanglingInputError
    )
    assert error.node == "g" and "'w'" in error.msg and error.loc == ("nodes", 1, "inputs", 1)


def test_missing_param_is_refused() -> None:
    error = refuse(circuit(X, {"id": "g", "op": "pow", "inputs": ["x"]}), errors.ParamError)
    assert error.node == "g" and "'p'" in error.msg


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "2", True, None])
def test_non_finite_or_non_numeric_param_is_refused(value: Any) -> None:
    bad = {"id": "g", "op": "add_const", "inputs": ["x"], "params": {"c": value}}
    assert refuse(circuit(X, bad), errors.ParamError).node == "g"


def test_unknown_param_is_refused() -> None:
    bad = {"id": "g", "op": "exp", "inputs": ["x"], "params": {"p": 2}}
    assert "no parameter 'p'" in refuse(circuit(X, bad), errors.ParamError).msg


def test_cycle_lists_the_ids_around_it() -> None:
    error = refuse(
        circuit(
            X,
            {"id": "a", "op": "add", "inputs": ["x", "b"]},
            {"id": "b", "op": "exp", "inputs": ["a"]},
        ),
        errors.CycleError,
    )
    assert isinstance(error, errors.CycleError)
    assert (sorted(error.cycle) == ["a", "b"] and "a -> b -> a" in error.msg) or "b -> a -> b" in (
        error.msg
    )


def test_self_loop_is_a_cycle() -> None:
    error = refuse(circuit(X, {"id": "a", "op": "add", "inputs": ["x", "a"]}), errors.CycleError)
    assert error.node == "a"


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        -float("inf"),
        "3",
        None,
        True,
        [],
        [[1, 2], [3]],
        [1, "a"],
        [[[1]]],
        10**400,
    ],
)
def test_bad_values_are_refused_naming_the_node(value: Any) -> None:
    error = refuse(circuit({"id": "x", "op": "input", "value": value}), errors.ValueError_)
    assert error.node == "x" and error.loc == ("nodes", 0, "value")


def test_missing_value_is_refused() -> None:
    assert refuse(circuit({"id": "x", "op": "input"}), errors.ValueError_).node == "x"


def test_named_output_must_exist() -> None:
    assert "'nope'" in refuse(circuit(X, output="nope"), errors.OutputError).msg


def test_several_sinks_and_no_output_named_are_refused() -> None:
    error = refuse(circuit(X, Y), errors.OutputError)
    assert "2 sinks" in error.msg and "x" in error.msg and "y" in error.msg


def test_shape_mismatch_names_the_gate() -> None:
    a = {"id": "a", "op": "input", "value": [1.0, 2.0]}
    b = {"id": "b", "op": "input", "value": [1.0, 2.0, 3.0]}
    error = refuse(circuit(a, b, {"id": "s", "op": "add", "inputs": ["a", "b"]}), errors.ShapeError)
    assert error.node == "s" and "(2,) and (3,)" in error.msg


def test_matmul_inner_dimensions_must_agree() -> None:
    a = {"id": "a", "op": "input", "value": [[1.0, 2.0]]}
    error = refuse(circuit(a, {"id": "m", "op": "matmul", "inputs": ["a", "a"]}), errors.ShapeError)
    assert error.node == "m" and "a (1, 2) and a (1, 2)" in error.msg


def test_output_grad_must_have_the_output_shape() -> None:
    a = {"id": "a", "op": "input", "value": [1.0, 2.0]}
    bad = circuit(a, {"id": "e", "op": "exp", "inputs": ["a"]}, output_grad=[1.0])
    assert refuse(bad, errors.ShapeError).loc == ("output_grad",)


def test_node_limit_is_enforced_before_any_work() -> None:
    nodes = [{"id": f"n{i}", "op": "input", "value": 1} for i in range(11)]
    with pytest.raises(errors.LimitError, match="limit of 10"):
        engine.evaluate({"nodes": nodes}, limits=engine.Limits(max_nodes=10))


def test_tensor_element_limit_covers_results_too() -> None:
    col = {"id": "c", "op": "input", "value": [[1.0]] * 40}
    row = {"id": "r", "op": "input", "value": [[1.0] * 40]}
    outer = circuit(col, row, {"id": "m", "op": "matmul", "inputs": ["c", "r"]})
    with pytest.raises(errors.LimitError) as caught:
        engine.evaluate(outer, limits=engine.Limits(max_tensor_elements=1000))
    assert caught.value.node == "m"


@pytest.mark.parametrize(
    ("expression", "node_op", "msg"),
    [
        ("1 / (x - 2)", "inv", "Reciprocal needs an input that is not zero; it got 0"),
        ("y / (x - 2)", "div", "Divide needs a divisor that is not zero; it got 0"),
        ("log(x - 3)", "log", "Natural log needs a positive input; it got -1"),
        ("exp(x * 1000)", "exp", "Exponential: its value is too large to represent"),
        ("exp(x * 180) * exp(x * 180)", "mul", "Multiply: its value is too large to represent"),
        (
            "(x - 3) ** 0.5",
            "pow",
            "Power needs a base of at least 0 when p is fractional; it got -1",
        ),
    ],
)
def test_non_finite_result_names_the_node_and_says_why(
    expression: str, node_op: str, msg: str
) -> None:
    parsed = engine.parse(expression, {"x": 2.0, "y": 1.0})
    with pytest.raises(errors.NonFiniteError) as caught:
        engine.evaluate(parsed)
    op_of = {node["id"]: node["op"] for node in parsed["nodes"]}
    assert op_of[caught.value.node] == node_op
    assert caught.value.msg.startswith(msg)
    assert f"({node_op})" not in caught.value.msg and "finite" not in caught.value.msg


def test_non_finite_gradient_names_its_node() -> None:
    """sqrt at 0 has a finite value but an infinite local gradient."""
    with pytest.raises(errors.NonFiniteError, match="slope is infinite") as caught:
        engine.evaluate(engine.parse("x ** 0.5", {"x": 0.0}))
    assert caught.value.node == "f"
    assert caught.value.msg.endswith("it got 0")


def test_a_tensor_outside_a_gate_domain_names_the_element() -> None:
    values = {"v": [[1.0, 2.0], [-4.0, 3.0]]}
    with pytest.raises(errors.NonFiniteError) as caught:
        engine.evaluate(engine.parse("log(v)", values))
    assert caught.value.msg == "Natural log needs a positive input; it got -4 (element [1, 0])"


def test_an_overflowing_gradient_says_which_input_it_was_sent_to() -> None:
    with pytest.raises(errors.NonFiniteError) as caught:
        engine.evaluate(engine.parse("1e300 * (a * b)", {"a": 1e-10, "b": 1e10}))
    assert caught.value.msg.startswith("Multiply: its gradient sent to 'a' is too large")


def test_errors_serialise_in_fastapis_shape() -> None:
    error = refuse(
        circuit(X, {"id": "g", "op": "mul", "inputs": ["x", "w"]}), errors.DanglingInputError
    )
    assert error.to_dict() == {
        "loc": ["nodes", 1, "inputs", 1],
        "msg": error.msg,
        "type": "dangling_input",
        "node": "g",
    }


def test_total_elements_over_all_nodes_are_limited() -> None:
    """A small request whose chain of gates would fill memory is refused before any work."""
    nodes: list[dict[str, Any]] = [{"id": "v", "op": "input", "value": [1.0] * 100}]
    nodes += [{"id": f"e{k}", "op": "exp", "inputs": ["v"]} for k in range(30)]
    nodes.append({"id": "s", "op": "add", "inputs": [f"e{k}" for k in range(30)]})
    with pytest.raises(errors.LimitError, match="limit of 1000 for all nodes") as caught:
        engine.evaluate({"nodes": nodes}, limits=engine.Limits(max_total_elements=1000))
    assert caught.value.node == "e9"  # v and e0..e8 make 1,000


def test_gradcheck_cost_is_limited() -> None:
    matrix = [[1.0] * 30] * 30
    circuit = {
        "nodes": [
            {"id": "a", "op": "input", "value": matrix},
            {"id": "b", "op": "input", "value": matrix},
            {"id": "m", "op": "matmul", "inputs": ["a", "b"]},
            {"id": "s", "op": "sum", "inputs": ["m"]},
        ]
    }
    with pytest.raises(errors.LimitError, match="1800 input elements over 2701 elements"):
        engine.gradcheck(circuit, limits=engine.Limits(max_gradcheck_evaluations=10_000))


@pytest.mark.parametrize("version", [2, "1", True, None])
def test_an_unknown_format_version_is_refused(version: Any) -> None:
    error = refuse(circuit(X, version=version), errors.BadCircuitError)
    assert error.loc == ("version",) and "version 1" in error.msg


def test_format_version_1_and_no_version_are_read() -> None:
    assert engine.evaluate(circuit(X, version=1))["version"] == engine.FORMAT_VERSION == 1
    assert engine.evaluate(circuit(X))["values"] == {"x": 2.0}
