"""Validate a circuit once and compile it to flat arrays for the evaluator.

`compile_circuit` takes the contract's JSON shape (plain dicts and lists) and
either raises a typed `CircuitError` naming the node, or returns a `Program`:
nodes in a deterministic topological order (ties broken by their order in the
file), each gate's inputs as indices into that order, its inferred shape, and
whether it runs on the scalar or the tensor kernels.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from engine import errors
from engine.bounds import check_bounds
from engine.gates import GATES, Gate
from engine.kernels import Value
from engine.shapes import SCALAR_SHAPE, Shape, infer_shape
from engine.values import Limits, Seeded, check_leaf, drawn, kind_of, shape_of

FORMAT_VERSION = 1  # of the circuit JSON; saved circuits carry it as "version"


@dataclass
class Program:
    """A validated circuit in topological order, ready to evaluate many times."""

    ids: list[str]
    gates: list[Gate]
    inputs: list[tuple[int, ...]]
    params: list[dict[str, float]]
    shapes: list[Shape]
    tensor: list[bool]
    init: list[Value | Seeded]  # the value of each input/const node, None for gates
    output: int
    output_grad: Value | Seeded
    needed: list[bool]  # True where the output depends on the node

    def draw(self) -> None:
        """Draw the seeded values, once (check the memory budget first: `engine.budget`)."""
        if any(isinstance(value, Seeded) for value in (*self.init, self.output_grad)):
            self.init = list(map(drawn, self.init))
            self.output_grad = drawn(self.output_grad)


def compile_circuit(circuit: Any, limits: Limits = Limits()) -> Program:
    """Validate `circuit` (the contract's JSON) and compile it to a `Program`."""
    nodes = _check_envelope(circuit, limits)  # first: a wrong version is a 422 before any 413
    check_bounds(circuit, limits)
    by_id = _check_nodes(nodes)
    order = _topological_order(nodes, by_id)
    output = _find_output(circuit, nodes, by_id)
    return _build(circuit, nodes, by_id, order, output, limits)


def _check_envelope(circuit: Any, limits: Limits) -> list[Any]:
    if not isinstance(circuit, Mapping):
        raise errors.BadCircuitError(f"a circuit must be a JSON object, got {kind_of(circuit)}")
    version = circuit.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise errors.BadCircuitError(
            f"circuit format version {version!r} is not supported (this engine reads "
            f"version {FORMAT_VERSION})",
            loc=("version",),
        )
    nodes = circuit.get("nodes")
    if not isinstance(nodes, list):
        raise errors.BadCircuitError("a circuit needs a 'nodes' list", loc=("nodes",))
    if not nodes:
        raise errors.BadCircuitError("the circuit has no nodes", loc=("nodes",))
    if len(nodes) > limits.max_nodes:
        raise errors.LimitError(
            f"{len(nodes)} nodes is over the limit of {limits.max_nodes}", loc=("nodes",)
        )
    return nodes


def _check_nodes(nodes: list[Any]) -> dict[str, int]:
    by_id: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            raise errors.BadCircuitError(
                f"nodes[{i}] must be an object, got {kind_of(node)}", loc=("nodes", i)
            )
        node_id = node.get("id")
        if not isinstance(node_id, str) or not node_id:
            raise errors.BadCircuitError(
                f"nodes[{i}] needs an 'id' that is a non-empty string", loc=("nodes", i, "id")
            )
        if node_id in by_id:
            raise errors.DuplicateIdError(
                f"node id '{node_id}' is used twice (nodes[{by_id[node_id]}] and nodes[{i}])",
                loc=("nodes", i, "id"),
                node=node_id,
            )
        by_id[node_id] = i
    for i, node in enumerate(nodes):
        _check_node(i, node, by_id)
    return by_id


def _check_node(i: int, node: Mapping[str, Any], by_id: dict[str, int]) -> None:
    node_id = node["id"]
    op = node.get("op")
    gate = GATES.get(op) if isinstance(op, str) else None
    if gate is None:
        known = ", ".join([*GATES, "group"])
        raise errors.UnknownOpError(
            f"node '{node_id}': unknown op {op!r}; the gates are {known}",
            loc=("nodes", i, "op"),
            node=node_id,
        )
    inputs = node.get("inputs", [])
    if not isinstance(inputs, list) or not all(isinstance(ref, str) for ref in inputs):
        raise errors.BadCircuitError(
            f"node '{node_id}': 'inputs' must be a list of node ids",
            loc=("nodes", i, "inputs"),
            node=node_id,
        )
    low, high = gate.arity
    if len(inputs) < low or (high is not None and len(inputs) > high):
        raise errors.ArityError(
            f"node '{node_id}': {gate.named()} takes {gate.arity_text()} input(s), "
            f"got {len(inputs)}",
            loc=("nodes", i, "inputs"),
            node=node_id,
        )
    for port, ref in enumerate(inputs):
        if ref not in by_id:
            raise errors.DanglingInputError(
                f"node '{node_id}': input {port} names '{ref}', which is not a node",
                loc=("nodes", i, "inputs", port),
                node=node_id,
            )
    _check_params(i, node, gate)
    if gate.leaf and "value" not in node:
        raise errors.ValueError_(
            f"node '{node_id}': an {op} node needs a 'value'",
            loc=("nodes", i, "value"),
            node=node_id,
        )


def _check_params(i: int, node: Mapping[str, Any], gate: Gate) -> None:
    node_id = node["id"]
    params = node.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise errors.ParamError(
            f"node '{node_id}': 'params' must be an object",
            loc=("nodes", i, "params"),
            node=node_id,
        )
    for name in gate.params:
        if name not in params:
            raise errors.ParamError(
                f"node '{node_id}': {gate.named()} needs the parameter '{name}'",
                loc=("nodes", i, "params", name),
                node=node_id,
            )
    for name, value in params.items():
        if name not in gate.params:
            wanted = ", ".join(gate.params) or "none"
            raise errors.ParamError(
                f"node '{node_id}': {gate.named()} has no parameter '{name}' (it takes {wanted})",
                loc=("nodes", i, "params", name),
                node=node_id,
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(float(value))
        ):
            raise errors.ParamError(
                f"node '{node_id}': parameter '{name}' must be a finite number, got {value!r}",
                loc=("nodes", i, "params", name),
                node=node_id,
            )


def _topological_order(nodes: list[Any], by_id: dict[str, int]) -> list[int]:
    """Topological order, ties broken by file order (networkx's lexicographical sort).

    When every node only reads nodes listed before it (parsed and drawn circuits), that
    order is the file order itself, found without building a graph.
    """
    if all(by_id[ref] < i for i, node in enumerate(nodes) for ref in node.get("inputs", [])):
        return list(range(len(nodes)))
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(len(nodes)))
    graph.add_edges_from(
        (by_id[ref], i) for i, node in enumerate(nodes) for ref in node.get("inputs", [])
    )
    try:
        return list(nx.lexicographical_topological_sort(graph))
    except nx.NetworkXUnfeasible:
        cycle = [nodes[edge[0]]["id"] for edge in nx.find_cycle(graph)]
        raise errors.CycleError(cycle, loc=("nodes", by_id[cycle[0]], "inputs")) from None


def _find_output(circuit: Mapping[str, Any], nodes: list[Any], by_id: dict[str, int]) -> int:
    named = circuit.get("output")
    if named is not None:
        if not isinstance(named, str) or named not in by_id:
            raise errors.OutputError(
                f"the output {named!r} is not a node of the circuit", loc=("output",)
            )
        return by_id[named]
    used = {ref for node in nodes for ref in node.get("inputs", [])}
    sinks = [node["id"] for node in nodes if node["id"] not in used]
    if len(sinks) != 1:
        raise errors.OutputError(
            f"the circuit has {len(sinks)} sinks ({', '.join(sinks[:10])}); "
            "name the one to differentiate in 'output'",
            loc=("output",),
        )
    return by_id[sinks[0]]


def _build(
    circuit: Mapping[str, Any],
    nodes: list[Any],
    by_id: dict[str, int],
    order: list[int],
    output: int,
    limits: Limits,
) -> Program:
    position = {file_index: k for k, file_index in enumerate(order)}
    count = len(order)
    program = Program(
        ids=[nodes[i]["id"] for i in order],
        gates=[GATES[nodes[i]["op"]] for i in order],
        inputs=[tuple(position[by_id[ref]] for ref in nodes[i].get("inputs", [])) for i in order],
        params=[{k: float(v) for k, v in (nodes[i].get("params") or {}).items()} for i in order],
        shapes=[SCALAR_SHAPE] * count,
        tensor=[False] * count,
        init=[None] * count,
        output=position[output],
        output_grad=1.0,
        needed=[False] * count,
    )
    total = 0
    for k, i in enumerate(order):
        node, loc = nodes[i], ("nodes", i)
        if program.gates[k].leaf:
            program.init[k] = check_leaf(node["value"], (*loc, "value"), node["id"], limits)
            program.shapes[k] = shape_of(program.init[k])
        else:
            inputs = [(program.ids[j], program.shapes[j]) for j in program.inputs[k]]
            program.shapes[k] = infer_shape(program.gates[k], node["id"], inputs, (*loc, "inputs"))
            program.tensor[k] = any(shape for _, shape in inputs)
        total += math.prod(program.shapes[k])
        _check_size(node["id"], loc, program.shapes[k], total, limits)
    program.output_grad = _output_grad(circuit, program, limits)
    _mark_needed(program)
    return program


def _check_size(node: str, loc: errors.Loc, shape: Shape, total: int, limits: Limits) -> None:
    """One node's result, and all nodes' results together, must fit the limits."""
    if math.prod(shape) > limits.max_tensor_elements:
        raise errors.LimitError(
            f"node '{node}': its result of shape {list(shape)} is over the limit of "
            f"{limits.max_tensor_elements} elements",
            loc=loc,
            node=node,
        )
    if total > limits.max_total_elements:
        raise errors.LimitError(
            f"node '{node}': the circuit's values reach {total} elements here, over the limit "
            f"of {limits.max_total_elements} for all nodes together",
            loc=loc,
            node=node,
        )


def _output_grad(circuit: Mapping[str, Any], program: Program, limits: Limits) -> Value | Seeded:
    shape = program.shapes[program.output]
    given = circuit.get("output_grad")
    if given is None:
        return np.ones(shape) if shape else 1.0
    grad = check_leaf(given, ("output_grad",), None, limits)
    if shape_of(grad) != shape:
        raise errors.ShapeError(
            f"output_grad has shape {list(shape_of(grad))} but the output "
            f"'{program.ids[program.output]}' has shape {list(shape)}",
            loc=("output_grad",),
            node=program.ids[program.output],
        )
    return grad


def _mark_needed(program: Program) -> None:
    program.needed[program.output] = True
    for k in range(program.output, -1, -1):
        if program.needed[k]:
            for j in program.inputs[k]:
                program.needed[j] = True
