"""The gate table: one declarative row per gate.

Each row says what a gate computes and only its *local* gradient; the chain
rule (multiply by the upstream gradient, add up at forks) lives once, in
`engine.evaluate`. The same row feeds the evaluator, ``GET /api/gates`` and,
through its ``forward_code``/``local_code`` (Python over the first and second
inputs ``x`` and ``y``, the gate's output ``out``, the upstream gradient ``g``
and the gate's params by name),
anything that prints the computation as code. A test checks the printed code
against the callables, so the two cannot drift apart.

Adding a gate is adding a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.kernels import Kernels, Value

Params = dict[str, float]
Forward = Callable[[Kernels, Sequence[Value], Params], Value]
Local = Callable[[Kernels, Sequence[Value], Value, Params], Sequence[Value]]
Vjp = Callable[[Sequence[Value], Value, Value, Params], Sequence[Value]]


@dataclass(frozen=True)
class Gate:
    """One row of the table."""

    op: str
    title: str
    arity: tuple[int, int | None]  # fewest and most inputs (None: no limit)
    symbol: str  # what the diagram draws inside the gate
    forward_code: str
    local_code: tuple[str, ...]  # per port; a variadic gate's single entry serves every port
    pattern: str  # how the gate treats the gradient on the way back
    undefined: str  # its policy where the maths is undefined
    forward: Forward
    local: Local | None = None  # elementwise local gradients, one per port
    vjp: Vjp | None = None  # for gates whose backward is not elementwise (matmul, sum)
    params: tuple[str, ...] = ()
    shape_rule: str = "elementwise"  # "elementwise", "matmul" or "reduce"

    @property
    def leaf(self) -> bool:
        """Inputs and constants: nodes that hold a value rather than compute one."""
        return self.op in LEAVES

    def describe(self) -> dict[str, Any]:
        """The row as ``GET /api/gates`` shows it."""
        return {
            "op": self.op,
            "title": self.title,
            "arity": {"min": self.arity[0], "max": self.arity[1]},
            "params": list(self.params),
            "symbol": self.symbol,
            "forward": self.forward_code,
            "local_gradient": list(self.local_code),
            "pattern": self.pattern,
            "undefined": self.undefined,
            "shapes": self.shape_rule,
        }


def _as_matrices(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectors as a row (left) and a column (right), as numpy's matmul reads them."""
    return (a.reshape(1, -1) if a.ndim == 1 else a), (b.reshape(-1, 1) if b.ndim == 1 else b)


def _matmul_vjp(xs: Sequence[Value], out: Value, g: Value, p: Params) -> Sequence[Value]:
    a, b = xs
    a2, b2 = _as_matrices(a, b)
    g2 = np.reshape(g, (a2.shape[0], b2.shape[1]))
    return (g2 @ b2.T).reshape(a.shape), (a2.T @ g2).reshape(b.shape)


def _sum_vjp(xs: Sequence[Value], out: Value, g: Value, p: Params) -> Sequence[Value]:
    a = xs[0]
    return (np.full(np.shape(a), g) if isinstance(a, np.ndarray) else g,)


def _matmul(k: Kernels, xs: Sequence[Value], p: Params) -> Value:
    a, b = xs
    result = a @ b
    return float(result) if np.ndim(result) == 0 else result


GATES: dict[str, Gate] = {
    gate.op: gate
    for gate in [
        Gate(
            op="input",
            title="Input",
            arity=(0, 0),
            symbol="",
            forward_code="value",
            local_code=(),
            pattern="A leaf: its gradient is what the circuit sends back to it.",
            undefined="-",
            forward=lambda k, xs, p: None,
        ),
        Gate(
            op="const",
            title="Constant",
            arity=(0, 0),
            symbol="",
            forward_code="value",
            local_code=(),
            pattern="A leaf like an input; its gradient is shown but rarely used.",
            undefined="-",
            forward=lambda k, xs, p: None,
        ),
        Gate(
            op="add",
            title="Add",
            arity=(2, None),
            symbol="+",
            forward_code="x + y",
            local_code=("1",),
            pattern="Distributes: every input receives the upstream gradient unchanged.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: sum(xs[1:], xs[0]),
            local=lambda k, xs, out, p: (1.0,) * len(xs),
        ),
        Gate(
            op="sub",
            title="Subtract",
            arity=(2, 2),
            symbol="−",
            forward_code="x - y",
            local_code=("1", "-1"),
            pattern="Distributes like add, with the sign flipped for the second input.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: xs[0] - xs[1],
            local=lambda k, xs, out, p: (1.0, -1.0),
        ),
        Gate(
            op="mul",
            title="Multiply",
            arity=(2, 2),
            symbol="×",
            forward_code="x * y",
            local_code=("y", "x"),
            pattern="Swaps and scales: each input receives the other input's value "
            "times the upstream gradient.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: xs[0] * xs[1],
            local=lambda k, xs, out, p: (xs[1], xs[0]),
        ),
        Gate(
            op="div",
            title="Divide",
            arity=(2, 2),
            symbol="÷",
            forward_code="x / y",
            local_code=("1 / y", "-x / y**2"),
            pattern="The numerator is scaled by 1/y; the denominator pushes back "
            "with −x/y², strongly when y is small.",
            undefined="y = 0 is an error (the value is not finite).",
            forward=lambda k, xs, p: xs[0] / xs[1],
            local=lambda k, xs, out, p: (1.0 / xs[1], -xs[0] / (xs[1] * xs[1])),
        ),
        Gate(
            op="neg",
            title="Negate",
            arity=(1, 1),
            symbol="−x",
            forward_code="-x",
            local_code=("-1",),
            pattern="Passes the gradient back with its sign flipped.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: -xs[0],
            local=lambda k, xs, out, p: (-1.0,),
        ),
        Gate(
            op="max",
            title="Max",
            arity=(2, 2),
            symbol="max",
            forward_code="max(x, y)",
            local_code=("float(x >= y)", "float(y > x)"),
            pattern="Routes: the whole gradient goes to the larger input, none to the other.",
            undefined="On a tie the first input takes the whole gradient.",
            forward=lambda k, xs, p: k.maximum(xs[0], xs[1]),
            local=lambda k, xs, out, p: (k.ge(xs[0], xs[1]), k.gt(xs[1], xs[0])),
        ),
        Gate(
            op="min",
            title="Min",
            arity=(2, 2),
            symbol="min",
            forward_code="min(x, y)",
            local_code=("float(x <= y)", "float(y < x)"),
            pattern="Routes: the whole gradient goes to the smaller input, none to the other.",
            undefined="On a tie the first input takes the whole gradient.",
            forward=lambda k, xs, p: k.minimum(xs[0], xs[1]),
            local=lambda k, xs, out, p: (k.ge(xs[1], xs[0]), k.gt(xs[0], xs[1])),
        ),
        Gate(
            op="pow",
            title="Power",
            arity=(1, 1),
            params=("p",),
            symbol="x^p",
            forward_code="x ** p",
            local_code=("p * x ** (p - 1)",),
            pattern="Scales the gradient by p·x^(p−1): twice the input for a square.",
            undefined="A negative base with a fractional p, or 0 to a negative power, is an error.",
            forward=lambda k, xs, p: k.pow(xs[0], p["p"]),
            local=lambda k, xs, out, p: (p["p"] * k.pow(xs[0], p["p"] - 1.0),),
        ),
        Gate(
            op="exp",
            title="Exponential",
            arity=(1, 1),
            symbol="exp",
            forward_code="exp(x)",
            local_code=("out",),
            pattern="Scales the gradient by its own output e^x.",
            undefined="Overflows (an error) above x ≈ 709.",
            forward=lambda k, xs, p: k.exp(xs[0]),
            local=lambda k, xs, out, p: (out,),
        ),
        Gate(
            op="log",
            title="Natural log",
            arity=(1, 1),
            symbol="log",
            forward_code="log(x)",
            local_code=("1 / x",),
            pattern="Scales the gradient by 1/x: small inputs get large gradients.",
            undefined="x ≤ 0 is an error.",
            forward=lambda k, xs, p: k.log(xs[0]),
            local=lambda k, xs, out, p: (1.0 / xs[0],),
        ),
        Gate(
            op="inv",
            title="Reciprocal",
            arity=(1, 1),
            symbol="1/x",
            forward_code="1 / x",
            local_code=("-1 / x**2",),
            pattern="Scales the gradient by −1/x², flipping its sign.",
            undefined="x = 0 is an error.",
            forward=lambda k, xs, p: 1.0 / xs[0],
            local=lambda k, xs, out, p: (-(out * out),),
        ),
        Gate(
            op="add_const",
            title="Add a constant",
            arity=(1, 1),
            params=("c",),
            symbol="+c",
            forward_code="x + c",
            local_code=("1",),
            pattern="Passes the gradient through unchanged; the constant gets none.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: xs[0] + p["c"],
            local=lambda k, xs, out, p: (1.0,),
        ),
        Gate(
            op="mul_const",
            title="Scale by a constant",
            arity=(1, 1),
            params=("a",),
            symbol="×a",
            forward_code="a * x",
            local_code=("a",),
            pattern="Scales the gradient by the constant.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: xs[0] * p["a"],
            local=lambda k, xs, out, p: (p["a"],),
        ),
        Gate(
            op="sigmoid",
            title="Sigmoid",
            arity=(1, 1),
            symbol="σ",
            forward_code="1 / (1 + exp(-x))",
            local_code=("(1 - out) * out",),
            pattern="Scales the gradient by σ(1−σ), at most 1/4; saturated inputs pass "
            "almost nothing.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: k.sigmoid(xs[0]),
            local=lambda k, xs, out, p: ((1.0 - out) * out,),
        ),
        Gate(
            op="tanh",
            title="Tanh",
            arity=(1, 1),
            symbol="tanh",
            forward_code="tanh(x)",
            local_code=("1 - out**2",),
            pattern="Scales the gradient by 1 − tanh², at most 1.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: k.tanh(xs[0]),
            local=lambda k, xs, out, p: (1.0 - out * out,),
        ),
        Gate(
            op="relu",
            title="ReLU",
            arity=(1, 1),
            symbol="relu",
            forward_code="max(x, 0)",
            local_code=("float(x > 0)",),
            pattern="A gate: passes the gradient where the input was positive, blocks it "
            "elsewhere.",
            undefined="At x = 0 the gradient is 0.",
            forward=lambda k, xs, p: k.maximum(xs[0], 0.0),
            local=lambda k, xs, out, p: (k.gt(xs[0], 0.0),),
        ),
        Gate(
            op="matmul",
            title="Matrix multiply",
            arity=(2, 2),
            symbol="·",
            forward_code="x @ y",
            local_code=("g @ y.T", "x.T @ g"),
            pattern="Each side gets the upstream gradient multiplied by the other side, "
            "transposed so the shapes fit (dA = dD·Bᵀ, dB = Aᵀ·dD).",
            undefined="Defined everywhere; the inner dimensions must agree.",
            forward=_matmul,
            vjp=_matmul_vjp,
            shape_rule="matmul",
        ),
        Gate(
            op="sum",
            title="Sum",
            arity=(1, 1),
            symbol="Σ",
            forward_code="sum(x)",
            local_code=("1",),
            pattern="Distributes: every element receives the upstream gradient.",
            undefined="Defined everywhere.",
            forward=lambda k, xs, p: k.total(xs[0]),
            vjp=_sum_vjp,
            shape_rule="reduce",
        ),
    ]
}

LEAVES = frozenset({"input", "const"})
