"""A request's memory, estimated from its shapes before any array is made.

Counted together: every node's value and gradient (numpy), the widest gate's local
and sent gradients (held at once in its backward step; a broadcast input's are of the
gate's own size until they are summed back), the answer's values and
gradients as Python floats and JSON text, and with the trace its forward values,
upstream gradients and each port's local, sent and total gradient. An estimate over
`max_request_bytes` is refused with 413 before the forward pass starts, and before
any seeded value is drawn (`Program.draw`).
"""

from __future__ import annotations

import math

from engine import errors
from engine.circuit import Program
from engine.values import Limits

ARRAY_BYTES = 8  # a float64 in a numpy array
ANSWER_BYTES = 56  # a float in the answer: a Python float in a list (32), its JSON text (24)
MIB = 1024 * 1024


def estimate_bytes(program: Program, trace: bool) -> int:
    """An upper estimate of the memory evaluating `program` takes, in bytes."""
    sizes = [math.prod(shape) for shape in program.shapes]
    total = sum(sizes)
    ports = [_held(program, k, sizes) for k in range(len(sizes))]
    widest = max(ports, default=0)
    estimate = ARRAY_BYTES * (2 * total + 2 * widest) + ANSWER_BYTES * 2 * total
    if trace:
        traced = total + sum(
            size + 3 * port for size, port in zip(sizes, ports, strict=True) if port
        )
        estimate += ANSWER_BYTES * traced
    return estimate


def _held(program: Program, k: int, sizes: list[int]) -> int:
    """Elements of the local and sent gradients gate k's backward step holds per input:
    an elementwise gate's are of its own (broadcast) size until summed back."""
    inputs = program.inputs[k]
    if program.gates[k].shape_rule == "elementwise":
        return sizes[k] * len(inputs)
    return sum(sizes[j] for j in inputs)


def check_memory(program: Program, trace: bool, limits: Limits) -> None:
    """Raise `LimitError` if evaluating `program` would take more than the budget."""
    estimate = estimate_bytes(program, trace)
    if estimate > limits.max_request_bytes:
        what = "values, gradients and trace" if trace else "values and gradients"
        raise errors.LimitError(
            f"this request would take about {estimate // MIB} MiB for its {what}, over the "
            f"limit of {limits.max_request_bytes // MIB} MiB (max_request_bytes)",
            loc=("nodes",),
        )
