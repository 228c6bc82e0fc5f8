"""engine.sweep: one input over a range, checked against closed forms and central differences."""

from __future__ import annotations

import math
from typing import Any

import pytest

import engine
from engine import errors
from tests.engine.helpers import central_difference, output_of


def grid(start: float, stop: float, points: int) -> list[float]:
    return [start + i * (stop - start) / (points - 1) for i in range(points)]


def test_sweep_notes_circuit_is_a_line_of_slope_z() -> None:
    request = {"expression": "(x + y) * z", "values": {"x": -2, "y": 5, "z": -4}}
    answer = engine.sweep({**request, "input": "x", "from": -5, "to": 5, "points": 11})
    assert answer["xs"] == pytest.approx(grid(-5, 5, 11))
    assert answer["values"] == pytest.approx([(x + 5) * -4 for x in grid(-5, 5, 11)])
    assert answer["gradients"] == [-4.0] * 11
    assert (answer["input"], answer["output"]) == ("x", "f")


def test_sweep_sigmoid_matches_its_closed_form() -> None:
    request = {"expression": "sigmoid(x)", "values": {"x": 0}}
    answer = engine.sweep({**request, "input": "x", "from": -6, "to": 6, "points": 25})
    sig = [1 / (1 + math.exp(-x)) for x in grid(-6, 6, 25)]
    assert answer["values"] == pytest.approx(sig, rel=1e-12)
    assert answer["gradients"] == pytest.approx([s * (1 - s) for s in sig], rel=1e-12)


def test_sweep_max_routes_gradient_to_the_larger_input() -> None:
    request = {"expression": "max(x, y)", "values": {"x": 0, "y": 1}}
    answer = engine.sweep({**request, "input": "x", "from": -1, "to": 3, "points": 5})
    assert answer["values"] == [1.0, 1.0, 1.0, 2.0, 3.0]
    assert answer["gradients"] == [0.0, 0.0, 1.0, 1.0, 1.0]  # the tie at 1 goes to x


def test_sweep_gradient_adds_up_at_forks() -> None:
    request = {"expression": "x * x + 3 * x", "values": {"x": 0}}
    answer = engine.sweep({**request, "input": "x", "from": -2, "to": 2, "points": 9})
    assert answer["gradients"] == pytest.approx([2 * x + 3 for x in grid(-2, 2, 9)])


@pytest.mark.parametrize("seed", range(6))
def test_sweep_of_random_circuit_matches_point_by_point_and_central_differences(seed: int) -> None:
    circuit = engine.random_circuit(60, seed=seed, inputs=4)
    name = next(n["id"] for n in circuit["nodes"] if n["op"] == "input")
    answer = engine.sweep({**circuit, "input": name, "from": 0.2, "to": 1.4, "points": 7})
    f = output_of(circuit)
    for x, value, grad in zip(answer["xs"], answer["values"], answer["gradients"], strict=True):
        if value is None:
            continue
        assert value == pytest.approx(f({name: x}), rel=1e-9, abs=1e-12)
        numeric = float(central_difference(f, {name: x}, h=1e-6)[name])
        assert grad == pytest.approx(numeric, rel=1e-4, abs=1e-6)


def test_sweep_of_sum_of_scalars_adds_them() -> None:
    nodes = [
        {"id": "x", "op": "input", "value": 1.0},
        {"id": "y", "op": "input", "value": 2.0},
        {"id": "s", "op": "sum", "inputs": ["x", "y", "x"]},
    ]
    answer = engine.sweep({"nodes": nodes, "input": "x", "from": 0, "to": 1, "points": 3})
    assert answer["values"] == [2.0, 3.0, 4.0]
    assert answer["gradients"] == [2.0, 2.0, 2.0]


def test_sweep_answers_null_where_the_circuit_is_undefined() -> None:
    request = {"expression": "log(x)", "values": {"x": 1}}
    answer = engine.sweep({**request, "input": "x", "from": -1, "to": 1, "points": 3})
    assert answer["values"] == [None, None, 0.0]
    assert answer["gradients"] == [None, None, 1.0]


def sweep_of(**fields: Any) -> dict[str, Any]:
    request = {"expression": "x * y", "values": {"x": 1, "y": 2}}
    return {**request, "input": "x", "from": 0, "to": 1, "points": 5, **fields}


@pytest.mark.parametrize(
    ("fields", "loc", "words"),
    [
        ({"input": "q"}, ("input",), "inputs are x, y"),
        ({"input": 3}, ("input",), "'input' must name"),
        ({"from": 2}, ("to",), "must be less than"),
        ({"from": "a"}, ("from",), "must be a number"),
        ({"from": -1e308, "to": 1e308}, ("to",), "too wide"),
        ({"to": None}, ("to",), "must be a number"),
        ({"points": 1}, ("points",), "at least 2"),
        ({"points": 2.5}, ("points",), "whole number"),
        ({"points": True}, ("points",), "whole number"),
    ],
)
def test_sweep_refuses_bad_fields_saying_where(
    fields: dict[str, Any], loc: tuple[str, ...], words: str
) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        engine.sweep(sweep_of(**fields))
    assert caught.value.loc == loc
    assert words in caught.value.msg


def test_sweep_refuses_too_many_points() -> None:
    with pytest.raises(errors.LimitError, match="over the limit of 50"):
        engine.sweep(sweep_of(points=51), limits=engine.Limits(max_sweep_points=50))


def test_sweep_refuses_too_many_numbers_in_all() -> None:
    with pytest.raises(errors.LimitError, match="holds 300 numbers"):
        engine.sweep(sweep_of(points=100), limits=engine.Limits(max_total_elements=299))


def test_sweep_refuses_tensor_circuits_naming_the_node() -> None:
    request = {"expression": "x * w", "values": {"x": 1, "w": [1, 2]}}
    with pytest.raises(errors.ShapeError, match="scalar circuits only") as caught:
        engine.sweep({**request, "input": "x", "from": 0, "to": 1})
    assert caught.value.node == "w"


def test_sweep_stops_at_its_deadline() -> None:
    deadline = engine.Deadline(0.0)
    with pytest.raises(errors.DeadlineError):
        engine.sweep(sweep_of(), deadline=deadline)
