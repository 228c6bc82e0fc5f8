"""How the tape runs a gate's forward: one call ``f(v[a], v[b])`` per gate.

Where a builtin computes exactly what the gate row computes on floats (``operator.mul``
for ``x * y``, ``max(x, 0.0)`` for relu's ``x if x >= 0.0 else 0.0``), the tape calls the
builtin; every other unary gate calls its own row's forward on the scalar kernels. A test
checks each rule against the row, so the two cannot drift apart. The backward pass needs
no table: it calls each row's `local` on numpy arrays.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from engine.gates import GATES, Gate
from engine.kernels import SCALAR

Binary = Callable[[float, float], float]
Operand = str | float  # "x"/"y": the first/second input; another name: the gate's param
X, Y = "x", "y"

FAST: dict[str, tuple[Binary, Operand, Operand]] = {
    "add": (operator.add, X, Y),
    "sub": (operator.sub, X, Y),
    "mul": (operator.mul, X, Y),
    "div": (operator.truediv, X, Y),
    "max": (max, X, Y),
    "min": (min, X, Y),
    "neg": (operator.mul, X, -1.0),
    "relu": (max, X, 0.0),
    "inv": (operator.truediv, 1.0, X),
    "add_const": (operator.add, X, "c"),
    "mul_const": (operator.mul, X, "a"),
    "pow": (math.pow, X, "p"),
}


def _row_forward(gate: Gate) -> Binary:
    def forward(x: float, _unused: float) -> float:
        value: float = gate.forward(SCALAR, (x,), {})
        return value

    return forward


def forward_rule(op: str) -> tuple[Binary, Operand, Operand] | None:
    """The tape's rule for a gate, or None where only the general evaluator runs it."""
    gate = GATES[op]
    if gate.local is None or len(gate.params) > 1:
        return None
    if op in FAST:
        return FAST[op]
    if gate.arity == (1, 1) and not gate.params:
        return _row_forward(gate), X, 0.0
    return None


OPS = [op for op in GATES if GATES[op].leaf or forward_rule(op) is not None]
RULES = {op: rule for op in OPS if (rule := forward_rule(op)) is not None}
