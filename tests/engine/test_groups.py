"""Group nodes: flattened into primitive gates, with the group's own value, gradient and
trace step, checked against the notes' numbers and central differences."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest

import engine
from engine import errors
from engine.cache import structure_key
from engine.examples import list_examples
from engine.gates import GATES
from tests.engine.helpers import central_difference, output_of

EXAMPLES = {example["id"]: example["circuit"] for example in list_examples()}
NEURON_INPUTS = EXAMPLES["neuron"]["nodes"][:-1]  # w0, x0, ..., dot; the sigmoid gate is f


def group(
    node_id: str, inputs: list[str], ports: list[str], *body: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    leaves = [{"id": port, "op": "input", "value": 0} for port in ports]
    return {"id": node_id, "op": "group", "inputs": inputs, "ports": ports,
            "body": {"nodes": [*leaves, *body], **extra}}  # fmt: skip


def gate(node_id: str, op: str, *inputs: str, **params: float) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "op": op, "inputs": list(inputs)}
    return {**node, "params": params} if params else node


def sigmoid_group(node_id: str, source: str) -> dict[str, Any]:
    """The notes' sigmoid gate spelled out as x(-1), exp, +1, 1/x, as a group."""
    expansion = copy.deepcopy(GATES["sigmoid"].expansion)
    return {"id": node_id, "op": "group", "name": "sigmoid", "inputs": [source], **expansion}


def grouped_neuron() -> dict[str, Any]:
    return {"nodes": [*NEURON_INPUTS, sigmoid_group("f", "dot")], "output": "f"}


def refuse(circuit: dict[str, Any], error: type[errors.CircuitError]) -> errors.CircuitError:
    with pytest.raises(error) as caught:
        engine.evaluate(circuit)
    return caught.value


def test_the_grouped_neuron_gets_the_notes_gradients() -> None:
    """The notes: dw = [-0.20, -0.39, 0.20] (w1: -0.39 · ... ), dx = [0.39, -0.59]."""
    grads = engine.evaluate(grouped_neuron())["gradients"]
    notes = {"w0": -0.196, "x0": 0.393, "w1": -0.393, "x1": -0.590, "w2": 0.196}
    for name, value in notes.items():
        assert grads[name] == pytest.approx(value, abs=1e-3)


def test_outside_wires_are_identical_grouped_expanded_and_as_one_gate() -> None:
    grouped = engine.evaluate(grouped_neuron())
    for other in ("neuron", "neuron-primitives"):
        answer = engine.evaluate(EXAMPLES[other])
        for node in [n["id"] for n in NEURON_INPUTS] + ["f"]:
            assert grouped["values"][node] == pytest.approx(answer["values"][node], rel=1e-15)
            assert grouped["gradients"][node] == pytest.approx(answer["gradients"][node], rel=1e-15)


def test_inner_nodes_are_reported_under_the_groups_id() -> None:
    answer = engine.evaluate(grouped_neuron())
    values = answer["values"]
    assert values["f/x"] == 1.0  # dot = 2·(-1) + (-3)·(-2) + (-3)
    assert values["f/neg"] == -1.0
    assert values["f/e"] == pytest.approx(math.exp(-1))
    assert values["f/den"] == pytest.approx(1 + math.exp(-1))
    assert values["f"] == values["f/f"] == pytest.approx(1 / (1 + math.exp(-1)))
    assert answer["output"] == "f" and answer["gradients"]["f"] == 1.0
    assert answer["order"].index("f") == answer["order"].index("f/f") + 1


def test_the_trace_shows_the_group_as_one_gate_with_its_local_gradient() -> None:
    trace = engine.evaluate(grouped_neuron())["trace"]
    assert [s["id"] for s in trace["forward"]] == [n["id"] for n in NEURON_INPUTS] + ["f"]
    first = trace["backward"][0]
    assert (first["id"], first["op"], first["name"], first["inputs"][0]["input"]) == (
        "f",
        "group",
        "sigmoid",
        "dot",
    )
    assert trace["forward"][-1] == {"id": "f", "op": "group", "name": "sigmoid", "inputs": ["dot"],
                                    "value": pytest.approx(1 / (1 + math.exp(-1)))}  # fmt: skip
    sigma = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    numeric = (sigma(1 + 1e-6) - sigma(1 - 1e-6)) / 2e-6  # d sigma / dx at dot = 1
    assert first["inputs"][0]["local"] == pytest.approx(numeric, rel=1e-8)
    assert first["inputs"][0]["sent"] == pytest.approx(numeric, rel=1e-8)
    assert not any("/" in step["id"] for step in trace["backward"])


def test_a_group_reading_one_input_twice_gets_both_ports_gradients() -> None:
    square = group("sq", ["x", "x"], ["a", "b"], gate("m", "mul", "a", "b"))
    circuit = {"nodes": [{"id": "x", "op": "input", "value": 3.0}, square, gate("f", "exp", "sq")]}
    answer = engine.evaluate(circuit)
    numeric = central_difference(output_of(circuit), {"x": 3.0})
    assert answer["gradients"]["x"] == pytest.approx(float(numeric["x"]), rel=1e-6)
    step = next(s for s in answer["trace"]["backward"] if s["id"] == "sq")
    assert [p["local"] for p in step["inputs"]] == [3.0, 3.0]
    assert [p["accumulated"] for p in step["inputs"]] == [False, True]
    assert step["inputs"][1]["total"] == pytest.approx(answer["gradients"]["x"])


def test_nested_groups_flatten_and_match_central_differences() -> None:
    inner = group("d", ["p", "q"], ["u", "v"], gate("r", "div", "u", "v"))
    outer = group(
        "g",
        ["x", "y"],
        ["a", "b"],
        gate("s", "add", "a", "b"),
        inner,
        gate("o", "mul", "d", "a"),
        output="o",
    )
    inner["inputs"] = ["s", "b"]
    circuit = {
        "nodes": [
            {"id": "x", "op": "input", "value": 1.5},
            {"id": "y", "op": "input", "value": -0.5},
            outer,
        ]
    }
    answer = engine.evaluate(circuit)
    numeric = central_difference(output_of(circuit), {"x": 1.5, "y": -0.5})
    for name in ("x", "y"):
        assert answer["gradients"][name] == pytest.approx(float(numeric[name]), rel=1e-6)
    assert answer["values"]["g/d/r"] == pytest.approx(1.0 / -0.5)
    assert answer["values"]["g/d"] == answer["values"]["g/d/r"]
    local = answer["trace"]["backward"][0]["inputs"]
    assert [p["local"] for p in local] == pytest.approx(
        [float(numeric["x"]), float(numeric["y"])], rel=1e-6
    )


@pytest.mark.parametrize("op", [op for op, row in GATES.items() if row.expansion])
@pytest.mark.parametrize("point", [(0.7, -1.3), (-2.0, 0.4)])
def test_each_composites_expansion_computes_the_gate(op: str, point: tuple[float, float]) -> None:
    expansion = GATES[op].expansion
    assert expansion is not None
    names = ["x", "y"][: len(expansion["ports"])]
    leaves = [{"id": n, "op": "input", "value": v} for n, v in zip(names, point, strict=False)]
    as_gate = {"nodes": [*leaves, gate("f", op, *names)]}
    as_group = {"nodes": [*leaves, {"id": "f", "op": "group", "inputs": names, **expansion}]}
    one, spelled = engine.evaluate(as_gate), engine.evaluate(as_group)
    assert spelled["values"]["f"] == pytest.approx(one["values"]["f"], rel=1e-12)
    numeric = central_difference(output_of(as_gate), dict(zip(names, point, strict=False)))
    local = [p["local"] for p in spelled["trace"]["backward"][0]["inputs"]]
    assert local == pytest.approx([float(numeric[n]) for n in names], rel=1e-6)


def test_a_tensor_group_evaluates_elementwise_without_a_scalar_local_gradient() -> None:
    vector = [-1.0, 0.0, 2.0]
    circuit = {
        "nodes": [
            {"id": "v", "op": "input", "value": vector},
            sigmoid_group("s", "v"),
            gate("t", "sum", "s"),
        ]
    }
    answer = engine.evaluate(circuit)
    sig = 1 / (1 + np.exp(-np.array(vector)))
    assert answer["values"]["s"] == pytest.approx(sig.tolist())
    assert answer["gradients"]["v"] == pytest.approx((sig * (1 - sig)).tolist())
    step = next(s for s in answer["trace"]["backward"] if s["id"] == "s")
    assert step["inputs"][0]["local"] is None


def test_gradcheck_and_compile_take_groups() -> None:
    report = engine.gradcheck(grouped_neuron())
    assert (
        set(report["inputs"]) == {"w0", "x0", "w1", "x1", "w2"} and report["max_rel_error"] < 1e-7
    )
    compiled = engine.compile(grouped_neuron())
    assert compiled.evaluate({"x0": -1.5})["gradients"]["w0"] == pytest.approx(
        0.25 * -1.5
    )  # dot = 0
    assert structure_key(grouped_neuron()) is None  # never cached: the body is not in the key


def test_an_unknown_op_inside_a_body_is_located_inside_it() -> None:
    circuit = grouped_neuron()
    circuit["nodes"][-1]["body"]["nodes"][2]["op"] = "exq"
    error = refuse(circuit, errors.UnknownOpError)
    assert error.loc == ("nodes", 9, "body", "nodes", 2, "op") and error.node == "f/e"


def test_a_dangling_input_and_a_cycle_inside_a_body_are_located() -> None:
    circuit = grouped_neuron()
    body = circuit["nodes"][-1]["body"]["nodes"]
    body[3]["inputs"] = ["nowhere"]
    error = refuse(circuit, errors.DanglingInputError)
    assert error.loc == ("nodes", 9, "body", "nodes", 3, "inputs", 0) and "f/nowhere" in error.msg
    body[3]["inputs"] = ["f"]  # den reads the body's output, which reads den
    assert refuse(circuit, errors.CycleError).loc[:4] == ("nodes", 9, "body", "nodes")


@pytest.mark.parametrize(
    ("change", "loc", "words"),
    [
        (lambda g: g.pop("body"), ("body",), "needs a 'body'"),
        (lambda g: g.update(ports=["x", "x"], inputs=["dot", "dot"]), ("ports", 1), "listed twice"),
        (lambda g: g.update(ports=["neg"]), ("ports", 0), "not an input node"),
        (lambda g: g.update(inputs=["dot", "w0"]), ("inputs",), "2 input(s) but 1 port(s)"),
        (lambda g: g["body"].update(output="zz"), ("body", "output"), "not a node of its body"),
        (
            lambda g: g["body"]["nodes"].append({"id": "k", "op": "input", "value": 1}),
            ("body", "nodes", 5),
            "not one of its ports",
        ),
        (
            lambda g: g["body"]["nodes"].append({"op": "exp"}),
            ("body", "nodes", 5),
            "non-empty string",
        ),
    ],
)
def test_malformed_groups_are_refused_with_a_loc_inside_the_group(
    change: Any, loc: tuple[Any, ...], words: str
) -> None:
    circuit = grouped_neuron()
    change(circuit["nodes"][-1])
    error = refuse(circuit, errors.ValidationError)
    assert error.loc == ("nodes", 9, *loc) and words in error.msg and error.node == "f"


def test_a_body_with_two_sinks_needs_its_output_named() -> None:
    two = group("g", ["x"], ["a"], gate("p", "exp", "a"), gate("q", "neg", "a"))
    circuit = {"nodes": [{"id": "x", "op": "input", "value": 1.0}, two]}
    assert "2 sinks" in refuse(circuit, errors.OutputError).msg
    two["body"]["output"] = "q"
    assert engine.evaluate(circuit)["values"]["g"] == -1.0  # the dead gate p does not become a sink


def test_deep_nesting_and_too_many_nodes_are_refused() -> None:
    node = group("g0", ["x"], ["a"], gate("n", "neg", "a"))
    for depth in range(1, 10):
        node = group(f"g{depth}", ["x"], ["a"], {**node, "inputs": ["a"]})
    error = refuse({"nodes": [{"id": "x", "op": "input", "value": 1.0}, node]}, errors.LimitError)
    assert "nest more than 8 deep" in error.msg
    limits = engine.Limits(max_nodes=12)
    with pytest.raises(errors.LimitError) as caught:
        engine.evaluate(grouped_neuron(), limits=limits)
    assert "over the limit of 12" in caught.value.msg and caught.value.loc[:3] == (
        "nodes",
        9,
        "body",
    )


def test_a_node_that_is_not_an_object_beside_a_group_is_named_by_its_place() -> None:
    circuit = grouped_neuron()
    circuit["nodes"].insert(0, 7)
    error = refuse(circuit, errors.BadCircuitError)
    assert error.loc == ("nodes", 0) and "must be an object" in error.msg
