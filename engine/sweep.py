"""One input swept over a range: the output and its gradient at every point, vectorised.

The swept input holds all the points at once as a numpy vector, so each gate runs
once on whole arrays (its forward rule and its local gradient from the gate table,
on the `TENSOR` kernels) instead of once per point; the chain rule is the same
``grad[input] += local * grad[gate]`` as everywhere else. Scalar circuits only: a
sweep of a circuit holding a vector or a matrix would need a vector per element.

A point where the output or the gradient is not a finite number (log of a negative
input, say) is answered as null rather than refusing the whole sweep.

>>> import engine
>>> answer = engine.sweep({"expression": "x * x", "values": {"x": 3},
...                        "input": "x", "from": -1, "to": 1, "points": 3})
>>> answer["values"], answer["gradients"]
([1.0, 0.0, 1.0], [-2.0, 0.0, 2.0])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import errors
from engine.api import circuit_of
from engine.circuit import Program, compile_circuit
from engine.deadline import Deadline
from engine.gates import GATES, Gate
from engine.kernels import TENSOR, Value
from engine.values import Limits, kind_of

DEFAULT_POINTS = 101


@dataclass(frozen=True)
class Span:
    """What to sweep: an input, the range's ends, and how many evenly spaced points."""

    input: str
    start: float
    stop: float
    points: int


def sweep(
    request: Any, *, limits: Limits = Limits(), deadline: Deadline | None = None
) -> dict[str, Any]:
    """The output and d(output)/d(input) at `points` evenly spaced values of one input
    from `from` to `to`, every other input kept at its value; `request` is a circuit or
    ``{"expression", "values"}`` with the fields ``input``, ``from``, ``to``, ``points``."""
    circuit, _ = circuit_of(request, limits)
    program = compile_circuit(circuit, limits)  # the circuit's own errors come first
    span = read_span(request, limits)
    k = _swept_node(program, span.input)
    _check_size(program, span, limits)
    xs = np.linspace(span.start, span.stop, span.points)
    with np.errstate(all="ignore"):
        values = _forward(program, k, xs, deadline)
        grad = _gradient(program, values, k, deadline)
    defined = _defined(values, span.points)
    return {
        "input": span.input,
        "output": program.ids[program.output],
        "xs": xs.tolist(),
        "values": _finite_or_null(values[program.output], defined),
        "gradients": _finite_or_null(grad, defined),
    }


def read_span(request: Any, limits: Limits) -> Span:
    """The sweep's own fields, each checked, with where a bad one is."""
    if not isinstance(request, Mapping):
        raise errors.BadCircuitError(f"a sweep must be a JSON object, got {kind_of(request)}")
    name = request.get("input")
    if not isinstance(name, str) or not name:
        raise errors.ValueError_("'input' must name the input node to sweep", loc=("input",))
    start, stop = _number(request, "from"), _number(request, "to")
    if not start < stop:
        raise errors.ValueError_(
            f"'from' ({start:g}) must be less than 'to' ({stop:g})", loc=("to",)
        )
    if not math.isfinite(stop - start):
        raise errors.ValueError_(f"the range {start:g} to {stop:g} is too wide", loc=("to",))
    points = request.get("points", DEFAULT_POINTS)
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise errors.ValueError_(
            f"'points' must be a whole number of at least 2, got {points!r}", loc=("points",)
        )
    if points > limits.max_sweep_points:
        raise errors.LimitError(
            f"{points} points is over the limit of {limits.max_sweep_points}", loc=("points",)
        )
    return Span(name, start, stop, points)


def _number(request: Mapping[str, Any], key: str) -> float:
    value = request.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise errors.ValueError_(f"'{key}' must be a number, got {kind_of(value)}", loc=(key,))
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise errors.ValueError_(f"'{key}' must be a finite number, got {value!r}", loc=(key,))
    return number


def _swept_node(program: Program, name: str) -> int:
    """The index of the input `name`; the circuit must hold scalars only."""
    inputs = [
        node for node, gate in zip(program.ids, program.gates, strict=True) if gate.op == "input"
    ]
    if name not in inputs:
        known = ", ".join(inputs) or "none"
        raise errors.ValueError_(
            f"'{name}' is not an input of the circuit; its inputs are {known}", loc=("input",)
        )
    for node, shape in zip(program.ids, program.shapes, strict=True):
        if shape:
            raise errors.ShapeError(
                f"node '{node}' holds a tensor of shape {list(shape)}; a sweep takes scalar "
                "circuits only",
                loc=("nodes",),
                node=node,
            )
    return program.ids.index(name)


def _check_size(program: Program, span: Span, limits: Limits) -> None:
    """Every node holds a vector of `points` numbers: keep them within the memory limit."""
    elements = len(program.ids) * span.points
    if elements > limits.max_total_elements:
        raise errors.LimitError(
            f"a sweep of {span.points} points over {len(program.ids)} nodes holds {elements} "
            f"numbers, over the limit of {limits.max_total_elements}",
            loc=("points",),
        )


def _rule(gate: Gate) -> Gate:
    """The row to run on vectors of points: a sum of scalars is their elementwise add."""
    return GATES["add"] if gate.op == "sum" else gate


def _forward(program: Program, k: int, xs: np.ndarray, deadline: Deadline | None) -> list[Value]:
    values: list[Value] = list(program.init)
    values[k] = xs
    for j, gate in enumerate(program.gates):
        if deadline is not None:
            deadline.check()
        if not gate.leaf:
            ins = [values[i] for i in program.inputs[j]]
            values[j] = _rule(gate).forward(TENSOR, ins, program.params[j])
    return values


def _gradient(program: Program, values: list[Value], k: int, deadline: Deadline | None) -> Value:
    """d(output)/d(node k) at every point: the chain rule over the gates the output needs."""
    grads: list[Value] = [0.0] * len(program.ids)
    grads[program.output] = program.output_grad
    for j in range(program.output, k, -1):
        if deadline is not None:
            deadline.check()
        gate = program.gates[j]
        if gate.leaf or not program.needed[j]:
            continue
        ins = [values[i] for i in program.inputs[j]]
        local = _rule(gate).local  # every scalar gate but sum has one; sum's is add's
        assert local is not None
        for i, lg in zip(
            program.inputs[j], local(TENSOR, ins, values[j], program.params[j]), strict=True
        ):
            grads[i] = grads[i] + lg * grads[j]
    return grads[k]


def _defined(values: list[Value], points: int) -> np.ndarray:
    """The points where every node's value is a finite number, as evaluation demands."""
    defined = np.ones(points, dtype=bool)
    for value in values:
        defined &= np.isfinite(value)
    return defined


def _finite_or_null(array: Value, defined: np.ndarray) -> list[float | None]:
    full = np.broadcast_to(np.asarray(array, dtype=np.float64), defined.shape)
    keep = defined & np.isfinite(full)
    return [float(v) if ok else None for v, ok in zip(full.tolist(), keep.tolist(), strict=True)]
