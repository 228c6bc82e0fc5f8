"""The tape (scalar circuits in file order) against the general evaluator: the same answers,
trace included, and the general evaluator's errors wherever the tape cannot vouch."""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Any

import pytest

import engine
from engine import errors
from engine.gates import GATES
from engine.kernels import SCALAR
from engine.tape_ops import RULES, X, Y

EVERY_TAPE_GATE = (
    "max(x, y) - min(x, z) + x / y + exp(z) * log(y) + tanh(x) - sigmoid(z) "
    "+ relu(x) + relu(-x) + 1 / y + 3 * x + (x + 2) ** 3 + x ** 2"
)


def general(circuit: dict[str, Any]) -> dict[str, Any]:
    """The same circuit with read-only node mappings, which only the general evaluator takes."""
    return {**circuit, "nodes": [MappingProxyType(node) for node in circuit["nodes"]]}


def scalar_examples() -> list[dict[str, Any]]:
    examples = [example["circuit"] for example in engine.list_examples()]
    return [c for c in examples if all(not isinstance(n.get("value"), list) for n in c["nodes"])]


CIRCUITS = [
    engine.parse(EVERY_TAPE_GATE, {"x": 0.7, "y": 1.3, "z": -0.4}),
    engine.parse(EVERY_TAPE_GATE, {"x": -0.0, "y": 2.0, "z": 0.0}),
    engine.parse("max(x, x) * min(y, y) - x * x", {"x": 2.0, "y": -1.0}),
    *(engine.random_circuit(400, seed=seed) for seed in range(4)),
    *scalar_examples(),
]


def test_the_parsed_circuit_has_every_gate_the_tape_runs() -> None:
    ops = {node["op"] for node in CIRCUITS[0]["nodes"]}
    assert set(RULES) <= ops


@pytest.mark.parametrize("circuit", CIRCUITS)
def test_tape_and_general_evaluator_give_the_same_answer(circuit: dict[str, Any]) -> None:
    compiled = engine.compile(circuit)
    assert compiled.tape is not None
    assert engine.compile(general(circuit)).tape is None
    assert engine.evaluate(circuit) == engine.evaluate(general(circuit))


@pytest.mark.parametrize("op", sorted(RULES))
@pytest.mark.parametrize("x", [-1.5, -0.0, 0.0, 0.25, 2.0])
@pytest.mark.parametrize("y", [-0.0, 0.5, 2.0])
def test_each_rule_computes_what_its_gate_row_computes(op: str, x: float, y: float) -> None:
    gate = GATES[op]
    f, left, right = RULES[op]
    params = dict.fromkeys(gate.params, y)
    operand = {X: x, Y: y, **params}
    inputs = (x, y)[: gate.arity[0]]
    try:
        expected = gate.forward(SCALAR, inputs, params)
    except (ArithmeticError, ValueError):
        return
    a = operand.get(left, left) if isinstance(left, str) else left
    b = operand.get(right, right) if isinstance(right, str) else right
    got = f(a, b)
    assert got == expected and math.copysign(1, got) == math.copysign(1, expected)


def test_new_values_rerun_the_compiled_circuit() -> None:
    compiled = engine.compile(engine.parse("(x + y) * z", {"x": -2, "y": 5, "z": -4}))
    again = compiled.evaluate({"x": 1, "y": 2, "z": 3})
    assert again["values"]["f"] == 9.0
    assert again["gradients"] == {"x": 3.0, "y": 3.0, "z": 3.0, "add1": 3.0, "f": 1.0}
    assert compiled.evaluate()["values"]["f"] == -12.0


def test_new_values_are_checked() -> None:
    compiled = engine.compile(engine.parse("x * y", {"x": 1, "y": 2}))
    with pytest.raises(errors.ValueError_) as caught:
        compiled.evaluate({"x": math.inf})
    assert caught.value.loc == ("values", "x")
    with pytest.raises(errors.ValueError_, match="not an input"):
        compiled.evaluate({"f": 1.0})
    with pytest.raises(errors.ShapeError):
        compiled.evaluate({"x": [1.0, 2.0]})


def test_a_value_that_overflows_on_rerun_is_named_by_the_general_evaluator() -> None:
    compiled = engine.compile(engine.parse("exp(x) * y", {"x": 1, "y": 2}))
    with pytest.raises(errors.NonFiniteError) as caught:
        compiled.evaluate({"x": 1000.0})
    assert caught.value.node == "exp1"


def test_a_gradient_that_overflows_is_named_like_before() -> None:
    """sqrt-like x ** 0.5 at a tiny x: the value is finite, its local gradient is not."""
    circuit = engine.parse("x ** 0.5 * y", {"x": 0.0, "y": 1.0})
    with pytest.raises(errors.NonFiniteError) as fast:
        engine.evaluate(circuit)
    with pytest.raises(errors.NonFiniteError) as slow:
        engine.evaluate(general(circuit))
    assert fast.value.to_dict() == slow.value.to_dict()


@pytest.mark.parametrize(
    "circuit",
    [engine.random_circuit(5000, seed=1), engine.parse("sum(W @ x)", {"W": [[1, 2]], "x": [3, 4]})],
    ids=["tape", "general"],
)
def test_an_evaluation_past_its_deadline_stops(circuit: dict[str, Any]) -> None:
    with pytest.raises(errors.DeadlineError, match="time budget of 1e-09 s"):
        engine.evaluate(circuit, deadline=engine.Deadline(1e-9))
    assert engine.evaluate(circuit, deadline=engine.Deadline(60))["output"] == circuit["output"]


def chain(gates: int, op: str = "relu") -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "x", "op": "input", "value": 0.5}]
    for i in range(gates):
        nodes.append({"id": f"g{i}", "op": op, "inputs": [nodes[-1]["id"]]})
    return {"nodes": nodes}


def test_the_cache_keeps_its_node_budget_and_counts_hits() -> None:
    cache = engine.CircuitCache(max_entries=10, max_nodes=30)
    run = engine.Limits()
    for circuit in (chain(19), chain(19), chain(19, "tanh"), chain(40)):
        cache.evaluate(circuit, run, trace=False, deadline=None)
    stats = cache.stats()
    assert (stats["entries"], stats["nodes"]) == (1, 20)  # the tanh chain; 41 nodes never fit
    assert (stats["hits"], stats["misses"]) == (1, 3)


def test_a_circuit_larger_than_the_cache_is_evaluated_without_its_structure_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = engine.CircuitCache(max_entries=10, max_nodes=30)

    def no_key(circuit: object, *rest: object) -> None:
        raise AssertionError("the structure key was computed for a circuit the cache never keeps")

    monkeypatch.setattr(engine.cache.native, "structure", no_key)
    monkeypatch.setattr(engine.cache, "structure_key", no_key)
    answer = cache.evaluate(chain(40), engine.Limits(), trace=False, deadline=None)
    assert (answer["values"]["g39"], answer["gradients"]["x"]) == (0.5, 1.0)  # relu's of 0.5
    assert (cache.stats()["entries"], cache.stats()["misses"]) == (0, 1)
