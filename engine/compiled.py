"""A circuit validated and compiled once, evaluated as often as its values change.

>>> import engine
>>> compiled = engine.compile(engine.parse("(x + y) * z", {"x": -2, "y": 5, "z": -4}))
>>> compiled.evaluate()["gradients"]["x"]
-4.0
>>> compiled.evaluate({"x": 1, "z": 2})["values"]["f"]
12.0
>>> compiled.arrays({"x": 1, "z": 2})[0].tolist()  # values in the answer's order
[1.0, 5.0, 2.0, 6.0, 12.0]

Scalar circuits listed in a topological order run on the tape (`engine.tape`); every
other circuit, and any run the tape cannot vouch for, on the general evaluator
(`engine.evaluate`), which gives the same answers and names every error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from engine import errors
from engine.bounds import check_bounds
from engine.budget import check_memory
from engine.circuit import FORMAT_VERSION, Program, compile_circuit
from engine.deadline import Deadline
from engine.evaluate import backward, forward, to_json
from engine.flat import flatten, numbers
from engine.gc_pause import gc_paused
from engine.group_trace import outer_answer
from engine.groups import Group, expand, located
from engine.native import answer_dicts, native_flatten
from engine.tape import Tape
from engine.tape_loops import NotOnTape
from engine.tape_trace import tape_trace
from engine.values import Limits, check_leaf, drawn, shape_of


class Compiled:
    """`engine.compile`'s result: `evaluate` it with new values of its inputs."""

    def __init__(self, circuit: Any, limits: Limits = Limits()) -> None:
        flat = native_flatten(circuit, limits)  # bounds checked, and no group: none is flat
        self.groups = None if flat is not None else expand(circuit, limits)
        if self.groups is not None:
            circuit = self.groups.circuit
        with located(self.groups):
            if flat is None:
                flat = flatten(circuit, limits)
                if flat is not None:  # compile_circuit checks them on the general path
                    check_bounds(circuit, limits)
            self.circuit, self.limits = circuit, limits
            self.tape = None if flat is None else Tape.of(flat)
            self.program = compile_circuit(circuit, limits) if flat is None else None

    def evaluate(
        self,
        values: Mapping[str, Any] | None = None,
        *,
        trace: bool = False,
        deadline: Deadline | None = None,
    ) -> dict[str, Any]:
        """The contract's answer, `values` (input id -> number or array) replacing the
        circuit's own values of those inputs."""
        with gc_paused(), located(self.groups):
            answer = self._evaluate(values, trace, deadline)
        if self.groups is None:
            return answer
        return outer_answer(self.groups, answer, self._local_gradients)

    def arrays(
        self, values: Mapping[str, Any] | None = None, *, deadline: Deadline | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every node's value and gradient as float64 arrays in the answer's `order`, with
        `values` as in `evaluate`: a re-evaluation without the answer's dicts. Only for
        scalar circuits without groups (others raise `ShapeError`: use `evaluate`)."""
        if self.tape is None or self.groups is not None:
            raise errors.ShapeError(
                "arrays() takes a scalar circuit without groups; evaluate() takes any",
                loc=("values",),
            )
        with gc_paused():
            leaves = self._tape_leaves(values)
            try:
                if leaves is not None:
                    found, grads, _ = self.tape.run(leaves, deadline)
                    return found, grads
            except NotOnTape:
                pass
            answer = self._general(_given(values), False, deadline)  # names the error
        return np.array(list(answer["values"].values())), np.array(
            list(answer["gradients"].values())
        )

    def _local_gradients(self, group: Group, values: dict[str, Any]) -> list[Any] | None:
        """A scalar group's d out / d port at these values, by backprop through its body
        alone (None for tensors: their local gradient is a Jacobian)."""
        point = [values[port] for port in group.flat_ports]
        if not all(isinstance(v, float) for v in (*point, values[group.output])):
            return None
        given = dict(zip(group.ports, point, strict=True))
        nodes = [
            {**node, "value": given[node["id"]]} if node["id"] in given else node
            for node in group.body["nodes"]
        ]
        body = {"nodes": nodes, "output": group.body["output"]}
        gradients = Compiled(body, self.limits).evaluate()["gradients"]
        return [gradients[port] for port in group.ports]

    def _evaluate(
        self, values: Mapping[str, Any] | None, trace: bool, deadline: Deadline | None
    ) -> dict[str, Any]:
        leaves = None if self.tape is None else self._tape_leaves(values)
        if leaves is None:
            return self._general(_given(values), trace, deadline)
        return self.run_tape(leaves, trace, deadline)

    def _tape_leaves(self, values: Mapping[str, Any] | None) -> list[float] | None:
        """The tape's leaf values with `values` in place (each checked), or None where one
        is not a number (the general evaluator then checks its shape)."""
        assert self.tape is not None
        leaves = list(self.tape.flat.values)
        rank = {node: r for r, node in enumerate(self._leaf_ids())}
        for node, value in _given(values).items():
            if node not in rank:
                raise _not_an_input(node)
            leaf = check_leaf(value, ("values", node), node, self.limits)
            if not isinstance(leaf, float):
                return None
            leaves[rank[node]] = leaf
        return leaves

    def leaves_of(self, circuit: Mapping[str, Any]) -> list[float] | None:
        """The leaf values of `circuit` (same structure) when all are finite numbers and the
        circuit runs on the tape; None otherwise."""
        if self.tape is None:
            return None
        nodes = circuit["nodes"]
        return numbers([nodes[k].get("value") for k in self.tape.flat.leaves.tolist()])

    def run_tape(
        self, leaves: list[float], trace: bool = False, deadline: Deadline | None = None
    ) -> dict[str, Any]:
        """The answer from the tape with these leaf values (in `flat.leaves` order)."""
        assert self.tape is not None
        flat = self.tape.flat
        try:
            values, grads, steps = self.tape.run(leaves, deadline, trace)
        except NotOnTape:
            given = dict(zip(self._leaf_ids(), leaves, strict=True))
            return self._general(given, trace, deadline)
        answer = _answer(flat.ids[flat.output], *answer_dicts(flat.ids, values, grads))
        if trace:
            answer["trace"] = tape_trace(flat, values, grads, steps, answer)
        return answer

    def _leaf_ids(self) -> list[str]:
        assert self.tape is not None
        return [self.tape.flat.ids[k] for k in self.tape.flat.leaves.tolist()]

    def _general(
        self, given: Mapping[str, Any], trace: bool, deadline: Deadline | None
    ) -> dict[str, Any]:
        """The general evaluator's answer, the one that names every error."""
        if self.program is None:
            self.program = compile_circuit(self.circuit, self.limits)
        program = self.program
        check_memory(program, trace, self.limits)
        program.draw()
        init = list(program.init)
        where = {node: k for k, node in enumerate(program.ids)}
        for node, value in given.items():
            k = where.get(node, -1)
            if k < 0 or not program.gates[k].leaf:
                raise _not_an_input(node)
            leaf = check_leaf(value, ("values", node), node, self.limits)
            init[k] = drawn(_same_shape(leaf, program, k))
        run = backward(program, forward(program, init, deadline), trace, deadline)
        shapes = {node: list(s) for node, s in zip(program.ids, program.shapes, strict=True)}
        values = dict(zip(program.ids, map(to_json, run.values), strict=True))
        grads = dict(zip(program.ids, map(to_json, run.grads), strict=True))
        output = program.ids[program.output]
        answer = _answer(output, values, grads, shapes, list(program.ids))
        if trace:
            answer["trace"] = {"forward": run.forward_steps, "backward": run.backward_steps}
        return answer


def _answer(
    output: str, values: dict[str, Any], grads: dict[str, Any], shapes: Any, order: list[str]
) -> dict[str, Any]:
    """The contract's answer from values and gradients by id, already in JSON form."""
    return {
        "version": FORMAT_VERSION,
        "output": output,
        "values": values,
        "gradients": grads,
        "shapes": shapes,
        "order": order,
    }


def _given(values: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise errors.ValueError_("values must map input ids to numbers", loc=("values",))
    return values


def _not_an_input(node: Any) -> errors.CircuitError:
    return errors.ValueError_(f"{node!r} is not an input of the circuit", loc=("values", node))


def _same_shape(value: Any, program: Program, k: int) -> Any:
    if shape_of(value) != program.shapes[k]:
        raise errors.ShapeError(
            f"node '{program.ids[k]}': a new value must keep the shape "
            f"{list(program.shapes[k])}, got {list(shape_of(value))}",
            loc=("values", program.ids[k]),
            node=program.ids[k],
        )
    return value
