"""One row of the gate table (`engine.gates`): what a gate computes, how the
expression builder folds numbers into it, where it is defined, and how
``GET /api/gates`` describes it.

A row's rules are written once, as text (`forward_code`, `local_code`); the
callables the evaluator runs (`forward`, `local`) are compiled from that text
when the row is made (see `engine.rules`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import errors
from engine.kernels import SCALAR, Kernels, Value
from engine.rules import compile_forward, compile_local

Params = Mapping[str, float]
Forward = Callable[[Kernels, Sequence[Value], Params], Value]
Local = Callable[[Kernels, Sequence[Value], Value, Params], Sequence[Value]]
Vjp = Callable[[Sequence[Value], Value, Value, Params], Sequence[Value]]
LARGEST = float(np.finfo(np.float64).max)


@dataclass(frozen=True)
class Fold:
    """The gate stands in for the operator `op` when one operand is a plain number.

    `port` is where the number sits (None: on either side, the other one not a number);
    the number becomes the param `param` (negated or as its reciprocal if `how` says
    so), and `only` restricts the fold to one number (1 / x is the reciprocal gate).
    With `operand` set, `op` always needs a number there and says so by that name.
    """

    op: str
    port: int | None
    param: str | None = None
    how: str = "same"  # "same", "negated" or "reciprocal"
    only: float | None = None
    operand: str = ""

    def port_of(self, numbers: Sequence[float | None]) -> int | None:
        """Where this fold finds its number among the operands, or None if it does not."""
        if self.port is None:
            ports = [i for i, n in enumerate(numbers) if n is not None]
            return ports[0] if len(ports) == 1 and len(numbers) == 2 else None
        number = numbers[self.port]
        if number is None or (self.only is not None and number != self.only):
            return None
        return self.port

    def param_value(self, number: float) -> float:
        """The gate's param for the operand `number` (raises ZeroDivisionError for 1/0)."""
        if self.how == "reciprocal":
            return 1.0 / number
        return -number if self.how == "negated" else number


@dataclass(frozen=True)
class Need:
    """Where the gate is defined: `test` (rule text) holds, or the gate needs `text`;
    messages quote the input named `input`."""

    input: str  # "x" or "y"
    test: str
    text: str


@dataclass(frozen=True, eq=False)
class Gate:
    """One row of the table."""

    op: str
    title: str
    arity: tuple[int, int | None]  # fewest and most inputs (None: no limit)
    symbol: str  # what the diagram draws inside the gate
    forward_code: str
    local_code: tuple[str, ...]  # per input; a single entry serves every input
    pattern: str  # how the gate treats the gradient on the way back
    undefined: str  # its policy where the maths is undefined
    params: Mapping[str, float] = field(default_factory=dict)  # name -> default
    function: str | None = None  # its name in expressions, e.g. log(x)
    display: str = ""  # the symbol with params, e.g. "+{c}" (empty: the symbol)
    folds: tuple[Fold, ...] = ()
    needs: tuple[Need, ...] = ()
    vjp: Vjp | None = None  # for gates whose backward is not elementwise (matmul, sum)
    shape_rule: str = "elementwise"  # "elementwise", "matmul" or "reduce"
    leaf: bool = False  # inputs and constants hold a value rather than compute one
    stem: str = ""  # what the parser names its nodes (recip1, scale2); empty: the op
    forward: Forward = field(init=False, repr=False)
    local: Local | None = field(init=False, repr=False)  # one local gradient per input
    checks: tuple[Forward, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Compile the rules from their text, once (the row is frozen, hence __setattr__)."""
        forward = _holds_a_value if self.leaf else compile_forward(self.forward_code, self.params)
        local = None
        if not (self.leaf or self.vjp):
            local = compile_local(self.local_code, self.params, self.arity[1])
        checks = tuple(compile_forward(need.test, self.params) for need in self.needs)
        object.__setattr__(self, "forward", forward)
        object.__setattr__(self, "local", local)
        object.__setattr__(self, "checks", checks)

    def describe(self) -> dict[str, Any]:
        """The row as ``GET /api/gates`` shows it."""
        return {
            "op": self.op,
            "title": self.title,
            "arity": {"min": self.arity[0], "max": self.arity[1]},
            "params": list(self.params),
            "defaults": dict(self.params),
            "symbol": self.symbol,
            "display": self.display or self.symbol,
            "function": self.function,
            "leaf": self.leaf,
            "forward": self.forward_code,
            "local_gradient": list(self.local_code),
            "pattern": self.pattern,
            "undefined": self.undefined,
            "shapes": self.shape_rule,
        }

    def named(self) -> str:
        """The gate as a message names it: the palette's title, and the op a circuit writes."""
        return f"{self.title} ('{self.op}')"

    def call_text(self) -> str:
        """How an expression calls the gate, e.g. "max(x, y)", "sum(x, ...)" ("" if it
        has no function name)."""
        if self.function is None:
            return ""
        fewest, most = self.arity
        names = ["x", "y", "z"][:fewest] + (["..."] if most is None else [])
        return f"{self.function}({', '.join(names)})"

    def arity_text(self) -> str:
        """How many inputs the gate takes, in words: "2", "at least 1", "1 to 3"."""
        fewest, most = self.arity
        if most == fewest:
            return str(fewest)
        return f"at least {fewest}" if most is None else f"{fewest} to {most}"

    def why_not_finite(self, xs: Sequence[Value], params: Params, what: str = "value") -> str:
        """Why the gate's `what` is not a number at inputs `xs`, in a learner's words."""
        for need, check in zip(self.needs, self.checks, strict=True):
            got = _first_failure(check, xs, params, _INPUTS[need.input])
            if got is not None:
                return f"{self.title} needs {need.text}; it got {got}"
        return f"{self.title}: its {what} is too large to represent (over {LARGEST:.3g})"


_INPUTS = {"x": 0, "y": 1}


def _holds_a_value(k: Kernels, xs: Sequence[Value], p: Params) -> Value:
    return None


def _first_failure(check: Forward, xs: Sequence[Value], params: Params, port: int) -> str | None:
    """The input at `port` where `check` first fails, as text, or None where it holds."""
    arrays = np.broadcast_arrays(*[np.asarray(x, dtype=np.float64) for x in xs])
    for index in np.ndindex(arrays[0].shape):
        point = [float(a[index]) for a in arrays]
        if not check(SCALAR, point, params):
            where = f" (element {list(index)})" if index else ""
            return f"{point[port]:.6g}{where}"
    return None


def not_finite(
    gate: Gate, node: str, xs: Sequence[Value], params: Params, what: str
) -> errors.NonFiniteError:
    """The error for a gate whose `what` ("value", "gradient"...) is not a finite number."""
    return errors.NonFiniteError(
        gate.why_not_finite(xs, params, what), loc=("nodes", node), node=node
    )
