"""The engine's front door: a circuit's JSON in (docs/circuit-format.md), its answer out.

>>> import engine
>>> result = engine.evaluate(engine.parse("(x + y) * z", {"x": -2, "y": 5, "z": -4}))
>>> result["gradients"]["x"], result["gradients"]["z"]
(-4.0, 3.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from engine import errors
from engine.budget import check_memory
from engine.cache import CircuitCache
from engine.circuit import Program, compile_circuit
from engine.compiled import Compiled
from engine.deadline import Deadline
from engine.evaluate import backward, forward, to_json
from engine.gc_pause import gc_paused
from engine.parser import parse
from engine.values import Limits


def circuit_of(request: Any, limits: Limits = Limits()) -> tuple[Any, bool]:
    """The circuit a request names (parsing it if it is an expression, every variable
    given a value), and whether it was."""
    if isinstance(request, Mapping) and "expression" in request and "nodes" not in request:
        return parse(request["expression"], request.get("values"), limits, default=None), True
    return request, False


def compile(circuit: Any, limits: Limits = Limits()) -> Compiled:
    """Validate and compile a circuit once; `.evaluate(values)` then re-runs it."""
    with gc_paused():
        return Compiled(circuit, limits)


def evaluate(
    request: Any,
    *,
    trace: bool = True,
    limits: Limits = Limits(),
    deadline: Deadline | None = None,
    cache: CircuitCache | None = None,
) -> dict[str, Any]:
    """Values and gradients of every node of a circuit, or of ``{"expression", "values"}``;
    past `deadline` it stops with `errors.DeadlineError`. A `cache` skips compiling a
    circuit whose structure it has seen."""
    with gc_paused():
        circuit, parsed = circuit_of(request, limits)
        if cache is None:
            result = Compiled(circuit, limits).evaluate(trace=trace, deadline=deadline)
        else:
            result = cache.evaluate(circuit, limits, trace=trace, deadline=deadline)
    if parsed:
        result["circuit"] = circuit
    return result


def gradcheck(
    request: Any, *, h: float = 1e-5, limits: Limits = Limits(), deadline: Deadline | None = None
) -> dict[str, Any]:
    """Backprop's gradient on every input beside a central difference (f(x+h)-f(x-h))/2h."""
    if not (isinstance(h, float | int) and 0 < h < 1):
        raise errors.ValidationError(f"h must be a number between 0 and 1, got {h!r}", loc=("h",))
    circuit, _ = circuit_of(request, limits)
    program = compile_circuit(circuit, limits)
    _check_gradcheck_cost(program, limits)
    check_memory(program, False, limits)
    grads = backward(program, forward(program, deadline=deadline), deadline=deadline).grads
    report = {}
    for k, gate in enumerate(program.gates):
        if gate.op == "input":
            numeric = _central_difference(program, k, h, deadline)
            report[program.ids[k]] = _compare(grads[k], numeric)
    worst = max((row["rel_error"] for row in report.values()), default=0.0)
    return {"h": h, "inputs": report, "max_rel_error": worst}


def _check_gradcheck_cost(program: Program, limits: Limits) -> None:
    """Two forward passes per input element, each touching every element of every node:
    refuse a check that would take minutes."""
    sizes = [math.prod(shape) for shape in program.shapes]
    elements = sum(
        size for size, gate in zip(sizes, program.gates, strict=True) if gate.op == "input"
    )
    cost = 2 * elements * sum(sizes)
    if cost > limits.max_gradcheck_evaluations:
        raise errors.LimitError(
            f"a gradient check of {elements} input elements over {sum(sizes)} elements of "
            f"{len(sizes)} nodes costs {cost} element evaluations, over the limit of "
            f"{limits.max_gradcheck_evaluations}",
            loc=("nodes",),
        )


def _central_difference(program: Program, k: int, h: float, deadline: Deadline | None) -> Any:
    """d(output · output_grad)/d(input k), one element at a time."""
    base = np.asarray(program.init[k], dtype=np.float64)
    numeric = np.zeros_like(base)
    weight = np.asarray(program.output_grad)
    for index in np.ndindex(base.shape):
        sides = []
        for step in (h, -h):
            nudged = base.copy()
            nudged[index] += step
            init = list(program.init)
            init[k] = nudged if base.shape else float(nudged)
            value = forward(program, init, deadline)[program.output]
            sides.append(float(np.sum(value * weight)))
        numeric[index] = (sides[0] - sides[1]) / (2 * h)
    return numeric


def _compare(analytic: Any, numeric: np.ndarray) -> dict[str, Any]:
    analytic_array = np.asarray(analytic, dtype=np.float64)
    scale = np.maximum(np.abs(analytic_array) + np.abs(numeric), 1e-8)
    rel = float(np.max(np.abs(analytic_array - numeric) / scale))
    return {
        "analytic": to_json(analytic),
        "numeric": to_json(numeric if numeric.shape else float(numeric)),
        "rel_error": rel,
    }
