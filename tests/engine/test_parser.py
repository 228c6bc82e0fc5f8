"""Expressions to circuits: precedence, folding, values, and errors with positions."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import engine
from engine import errors
from engine.gates import FUNCTIONS
from tests.engine.helpers import central_difference, output_of


def value_of(expression: str, **values: float) -> float:
    result = engine.evaluate(engine.parse(expression, values), trace=False)
    return float(result["values"][result["output"]])


def ops(expression: str) -> list[str]:
    return [node["op"] for node in engine.parse(expression)["nodes"]]


def position_of_error(expression: str) -> int | None:
    with pytest.raises(errors.ParseError) as caught:
        engine.parse(expression)
    assert str(caught.value.position) in caught.value.msg
    return caught.value.position


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("-x**2", -9.0),
        ("2**3**2", 2.0**9),
        ("2^3^2", 2.0**9),
        ("x - y - 1", 0.0),
        ("x / y / 2", 0.75),
        ("-x * y", -6.0),
        ("x ** -1", 1 / 3),
        ("-2 ** 2", -4.0),
        ("2 * -x", -6.0),
        ("(x + y) * 2", 10.0),
        ("x + y * 2", 7.0),
        ("+x", 3.0),
        ("1e3 * x", 3000.0),
        (".5 * x", 1.5),
        ("x^2 + 1", 10.0),
        ("max(x, y) - min(x, y)", 1.0),
        ("sigmoid(0 * x)", 0.5),
        ("relu(-x) + relu(x)", 3.0),
        ("log(exp(x))", 3.0),
        ("tanh(x - x)", 0.0),
        ("1 - x", -2.0),
        ("6 / x", 2.0),
        ("2 ** 2 * x", 12.0),
    ],
)
def test_expressions_follow_pythons_precedence(expression: str, expected: float) -> None:
    assert value_of(expression, x=3.0, y=2.0) == pytest.approx(expected)


def test_variables_become_inputs_named_after_them_with_their_values() -> None:
    circuit = engine.parse("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    inputs = {node["id"]: node["value"] for node in circuit["nodes"] if node["op"] == "input"}
    assert inputs == {"x": -2.0, "y": 5.0, "z": -4.0}
    assert circuit["output"] == "f" and circuit["nodes"][-1]["id"] == "f"


def test_a_variable_used_twice_is_one_input_that_forks() -> None:
    circuit = engine.parse("x * x")
    assert ops("x * x") == ["input", "mul"] and circuit["nodes"][1]["inputs"] == ["x", "x"]
    assert engine.evaluate(engine.parse("x * x", {"x": 3}))["gradients"]["x"] == 6.0


def test_missing_values_start_at_one_and_extra_values_are_ignored() -> None:
    circuit = engine.parse("x + y", {"x": 4, "unused": 9})
    assert {n["id"]: n.get("value") for n in circuit["nodes"] if n["op"] == "input"} == {
        "x": 4.0,
        "y": 1.0,
    }


def test_numbers_fold_into_the_notes_unary_gates() -> None:
    assert ops("x + 1") == ["input", "add_const"]
    assert ops("2 * x") == ["input", "mul_const"]
    assert ops("x / 4") == ["input", "mul_const"]
    assert ops("1 / x") == ["input", "inv"]
    assert ops("x ** 2") == ["input", "pow"]
    assert ops("x - 1") == ["input", "add_const"]
    assert ops("2 - x") == ["input", "const", "sub"]
    assert ops("-x") == ["input", "neg"]
    assert ops("2 * 3 + x") == ["input", "add_const"]


def test_sigmoid_written_out_parses_to_the_notes_primitive_gates() -> None:
    assert ops("1 / (1 + exp(-x))") == ["input", "neg", "exp", "add_const", "inv"]


def test_a_lone_number_or_variable_is_a_circuit() -> None:
    assert engine.evaluate(engine.parse("42"))["values"] == {"f": 42.0}
    assert engine.evaluate(engine.parse("x", {"x": 2}))["gradients"] == {"x": 1.0}


def test_generated_ids_never_take_a_variable_name() -> None:
    circuit = engine.parse("add1 + f * mul1")
    ids = [node["id"] for node in circuit["nodes"]]
    assert len(ids) == len(set(ids)) and "f" in ids and circuit["output"] != "f"


def test_tensor_values_and_matmul() -> None:
    result = engine.evaluate(engine.parse("sum(W @ x)", {"W": [[1, 2], [3, 4]], "x": [1, 1]}))
    assert result["values"]["f"] == 10.0
    assert result["gradients"]["x"] == [4.0, 6.0]


def calls_of_every_function() -> list[tuple[str, int]]:
    """(function name, number of arguments): its fewest and, when it has no limit, three more."""
    calls = []
    for name, gate in FUNCTIONS.items():
        fewest, most = gate.arity
        calls += [(name, count) for count in sorted({fewest, most or fewest + 3})]
    return calls


@pytest.mark.parametrize(("name", "count"), calls_of_every_function())
def test_every_function_the_table_lists_parses_with_its_arity(name: str, count: int) -> None:
    point = {f"a{i}": 0.4 + 0.3 * i for i in range(count)}
    circuit = engine.parse(f"{name}({', '.join(point)})", point)
    gate = circuit["nodes"][-1]
    assert (gate["op"], gate["inputs"]) == (FUNCTIONS[name].op, list(point))
    result = engine.evaluate(circuit, trace=False)
    numeric = central_difference(output_of(circuit), point)
    for variable, expected in numeric.items():
        assert result["gradients"][variable] == pytest.approx(float(expected), rel=1e-5)


def test_sum_of_several_inputs_totals_every_element_and_sends_each_the_gradient() -> None:
    values = {"x": [1.0, 2.0], "y": [[3.0], [4.0]], "z": 5.0}
    result = engine.evaluate(engine.parse("sum(x, y, z) * 2", values))
    assert result["values"]["f"] == 30.0  # (1 + 2 + 3 + 4 + 5) * 2
    assert result["gradients"]["x"] == [2.0, 2.0]
    assert result["gradients"]["y"] == [[2.0], [2.0]]
    assert result["gradients"]["z"] == 2.0


def test_sum_of_weighted_tensors_matches_central_differences() -> None:
    point = {"a": [[0.5, -1.0], [2.0, 0.25]], "b": [1.5, -0.5], "w": [3.0, -2.0]}
    circuit = engine.parse("sum(a * a, b * w, sum(b)) ** 2", point)
    result = engine.evaluate(circuit, trace=False)
    numeric = central_difference(output_of(circuit), point)
    for name, expected in numeric.items():
        np.testing.assert_allclose(result["gradients"][name], expected, rtol=1e-5)


@pytest.mark.parametrize(
    ("expression", "msg"),
    [
        ("x / 0", "Divide needs a divisor that is not zero; it got 0, at position 2"),
        ("log(0)", "Natural log needs a positive input; it got 0, at position 0"),
        ("(-8) ** 0.5", "Power needs a base of at least 0 when p is fractional; it got -8, "),
        ("1 / (2 - 2)", "Divide needs a divisor that is not zero; it got 0, at position 2"),
    ],
)
def test_numbers_the_builder_cannot_fold_are_explained_in_the_gates_words(
    expression: str, msg: str
) -> None:
    with pytest.raises(errors.ParseError) as caught:
        engine.parse(expression)
    assert caught.value.msg.startswith(msg)
    assert "constant" not in caught.value.msg


@pytest.mark.parametrize(
    ("expression", "position"),
    [
        ("x +", 3),
        ("(x + y", 0),
        ("x + y)", 5),
        ("x y", 2),
        ("2x", 1),
        ("", 0),
        ("x + * y", 4),
        ("foo(x)", 0),
        ("max(x)", 0),
        ("max(x, y, z)", 8),
        ("exp(x, y)", 5),
        ("x ** y", 5),
        ("x $ y", 2),
        ("exp + 1", 0),
        ("()", 1),
        ("x, y", 1),
        ("1e999 * x", 0),
        ("x / 0", 2),
        ("log(0)", 0),
    ],
)
def test_parse_errors_carry_the_character_position(expression: str, position: int) -> None:
    assert position_of_error(expression) == position


def test_a_bad_value_is_named_by_its_variable() -> None:
    with pytest.raises(errors.ValueError_) as caught:
        engine.parse("x + 1", {"x": "nan"})
    assert caught.value.loc == ("values", "x") and caught.value.node == "x"


def test_deep_nesting_parses_without_recursion() -> None:
    depth = 20_000
    roomy = engine.Limits(max_expression_chars=100_000)
    circuit = engine.parse("(" * depth + "x + 1" + ")" * depth, {"x": 1}, roomy)
    assert engine.evaluate(circuit)["values"]["f"] == 2.0


def test_long_chains_parse_and_accumulate_at_the_fork() -> None:
    terms = 20_000
    roomy = engine.Limits(max_expression_chars=100_000)
    circuit = engine.parse(" + ".join(["x"] * terms), {"x": 0.5}, roomy)
    result = engine.evaluate(circuit, trace=False)
    assert result["gradients"]["x"] == terms
    assert result["values"]["f"] == terms / 2


def test_expression_length_limit() -> None:
    with pytest.raises(errors.LimitError, match="limit of 10"):
        engine.parse("x" + " + x" * 5, limits=engine.Limits(max_expression_chars=10))


@pytest.mark.parametrize("bad", [None, 3, ["x"]])
def test_expression_must_be_a_string(bad: Any) -> None:
    with pytest.raises(errors.ParseError):
        engine.parse(bad)


def test_values_must_be_an_object() -> None:
    with pytest.raises(errors.BadCircuitError):
        engine.parse("x", [1])  # type: ignore[arg-type]


def test_evaluate_accepts_an_expression_and_returns_its_circuit() -> None:
    result = engine.evaluate({"expression": "x * y", "values": {"x": 4, "y": -3}})
    assert result["gradients"]["x"] == -3 and result["circuit"]["output"] == "f"
    assert math.isclose(result["values"]["f"], -12)


def test_evaluating_an_expression_refuses_a_variable_with_no_value() -> None:
    with pytest.raises(errors.MissingValueError) as caught:
        engine.evaluate({"expression": "x * y", "values": {"x": 4}})
    assert (caught.value.loc, caught.value.node) == (("values", "y"), "y")
