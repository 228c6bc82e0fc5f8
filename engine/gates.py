"""The gate table: one declarative row per gate, and the one place gates are described.

Each row says what a gate computes and only its *local* gradient; the chain rule
(multiply by the upstream gradient, add up at forks) lives once, in
`engine.evaluate`. The same row feeds the evaluator, the expression parser (its
`function` name and arity), the builder (its `folds`: ``x + 1`` is an add-constant
gate), error messages (its `title` and `needs`) and ``GET /api/gates``.

The rules are text (`forward_code`, `local_code`: Python over the first and second
inputs ``x`` and ``y``, the gate's output ``out`` and its params by name) written
once; `engine.rules` compiles the callables from that text (see `engine.gate`).
matmul and sum send gradients that are not elementwise and keep a `vjp` whose
rule is printed in `local_code` (``g`` is the upstream gradient).

Adding a gate is adding a row (and its tests).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.gate import Fold, Gate, Need, Params
from engine.kernels import Value

__all__ = ["FUNCTIONS", "GATES", "Fold", "Gate", "Need"]


def _as_matrices(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectors as a row (left) and a column (right), as numpy's matmul reads them."""
    return (a.reshape(1, -1) if a.ndim == 1 else a), (b.reshape(-1, 1) if b.ndim == 1 else b)


def _matmul_vjp(xs: Sequence[Value], out: Value, g: Value, p: Params) -> Sequence[Value]:
    a, b = xs
    a2, b2 = _as_matrices(a, b)
    g2 = np.reshape(g, (a2.shape[0], b2.shape[1]))
    return (g2 @ b2.T).reshape(a.shape), (a2.T @ g2).reshape(b.shape)


def _sum_vjp(xs: Sequence[Value], out: Value, g: Value, p: Params) -> Sequence[Value]:
    """Every element of every input receives the upstream gradient."""
    return tuple(np.full(np.shape(a), g) if isinstance(a, np.ndarray) else g for a in xs)


def _expansion(ports: list[str], output: str, *gates: dict[str, object]) -> dict[str, object]:
    """A composite gate as primitive ones, in the group format: `ports` are the body's
    inputs (x, y) in port order, and `output` is its result."""
    leaves = [{"id": port, "op": "input", "value": 0} for port in ports]
    return {"ports": ports, "body": {"nodes": [*leaves, *gates], "output": output}}


def _node(node_id: str, op: str, *inputs: str, **params: float) -> dict[str, object]:
    node: dict[str, object] = {"id": node_id, "op": op, "inputs": list(inputs)}
    return {**node, "params": params} if params else node


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
            leaf=True,
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
            leaf=True,
        ),
        Gate(
            op="add",
            title="Add",
            arity=(2, None),
            symbol="+",
            forward_code="x + y + ...",
            local_code=("1",),
            pattern="Distributes: every input receives the upstream gradient unchanged.",
            undefined="Defined everywhere.",
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
            expansion=_expansion(
                ["x", "y"], "f", _node("neg", "neg", "y"), _node("f", "add", "x", "neg")
            ),
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
            undefined="y = 0 is an error.",
            needs=(Need("y", "y != 0", "a divisor that is not zero"),),
            expansion=_expansion(
                ["x", "y"], "f", _node("r", "inv", "y"), _node("f", "mul", "x", "r")
            ),
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
        ),
        Gate(
            op="max",
            title="Max",
            arity=(2, 2),
            symbol="max",
            function="max",
            forward_code="max(x, y)",
            local_code=("float(x >= y)", "float(y > x)"),
            pattern="Routes: the whole gradient goes to the larger input, none to the other.",
            undefined="On a tie the first input takes the whole gradient.",
        ),
        Gate(
            op="min",
            title="Min",
            arity=(2, 2),
            symbol="min",
            function="min",
            forward_code="min(x, y)",
            local_code=("float(x <= y)", "float(y < x)"),
            pattern="Routes: the whole gradient goes to the smaller input, none to the other.",
            undefined="On a tie the first input takes the whole gradient.",
        ),
        Gate(
            op="pow",
            title="Power",
            arity=(1, 1),
            params={"p": 2.0},
            symbol="x^p",
            display="^{p}",
            forward_code="x ** p",
            local_code=("p * x ** (p - 1)",),
            pattern="Scales the gradient by p·x^(p−1): twice the input for a square.",
            undefined="A negative base with a fractional p, or 0 to a negative power, is an error.",
            folds=(Fold("pow", 1, "p", operand="the exponent"),),
            needs=(
                Need("x", "x >= 0 or p == round(p)", "a base of at least 0 when p is fractional"),
                Need(
                    "x",
                    "x != 0 or p >= 1",
                    "a base other than 0 when p is below 1 (x^p or its slope is infinite at 0)",
                ),
            ),
        ),
        Gate(
            op="exp",
            title="Exponential",
            arity=(1, 1),
            symbol="exp",
            function="exp",
            forward_code="exp(x)",
            local_code=("out",),
            pattern="Scales the gradient by its own output e^x.",
            undefined="Overflows (an error) above x ≈ 709.",
        ),
        Gate(
            op="log",
            title="Natural log",
            arity=(1, 1),
            symbol="log",
            function="log",
            forward_code="log(x)",
            local_code=("1 / x",),
            pattern="Scales the gradient by 1/x: small inputs get large gradients.",
            undefined="x ≤ 0 is an error.",
            needs=(Need("x", "x > 0", "a positive input"),),
        ),
        Gate(
            op="inv",
            stem="recip",
            title="Reciprocal",
            arity=(1, 1),
            symbol="1/x",
            forward_code="1 / x",
            local_code=("-1 / x**2",),
            pattern="Scales the gradient by −1/x², flipping its sign.",
            undefined="x = 0 is an error.",
            folds=(Fold("div", 0, only=1.0),),
            needs=(Need("x", "x != 0", "an input that is not zero"),),
        ),
        Gate(
            op="add_const",
            stem="plus",
            title="Add a constant",
            arity=(1, 1),
            params={"c": 1.0},
            symbol="+c",
            display="+{c}",
            forward_code="x + c",
            local_code=("1",),
            pattern="Passes the gradient through unchanged; the constant gets none.",
            undefined="Defined everywhere.",
            folds=(Fold("add", None, "c"), Fold("sub", 1, "c", how="negated")),
        ),
        Gate(
            op="mul_const",
            stem="scale",
            title="Scale by a constant",
            arity=(1, 1),
            params={"a": 1.0},
            symbol="×a",
            display="×{a}",
            forward_code="a * x",
            local_code=("a",),
            pattern="Scales the gradient by the constant.",
            undefined="Defined everywhere.",
            folds=(Fold("mul", None, "a"), Fold("div", 1, "a", how="reciprocal")),
        ),
        Gate(
            op="sigmoid",
            title="Sigmoid",
            arity=(1, 1),
            symbol="σ",
            function="sigmoid",
            forward_code="sigmoid(x)",
            local_code=("(1 - out) * out",),
            pattern="σ(x) = 1 / (1 + e^−x) scales the gradient by σ(1−σ), at most 1/4; "
            "saturated inputs pass almost nothing.",
            undefined="Defined everywhere.",
            expansion=_expansion(
                ["x"],
                "f",
                _node("neg", "mul_const", "x", a=-1.0),
                _node("e", "exp", "neg"),
                _node("den", "add_const", "e", c=1.0),
                _node("f", "inv", "den"),
            ),
        ),
        Gate(
            op="tanh",
            title="Tanh",
            arity=(1, 1),
            symbol="tanh",
            function="tanh",
            forward_code="tanh(x)",
            local_code=("1 - out**2",),
            pattern="Scales the gradient by 1 − tanh², at most 1.",
            undefined="Defined everywhere.",
            expansion=_expansion(  # (e^2x − 1) / (e^2x + 1)
                ["x"],
                "f",
                _node("twice", "mul_const", "x", a=2.0),
                _node("e", "exp", "twice"),
                _node("num", "add_const", "e", c=-1.0),
                _node("den", "add_const", "e", c=1.0),
                _node("r", "inv", "den"),
                _node("f", "mul", "num", "r"),
            ),
        ),
        Gate(
            op="relu",
            title="ReLU",
            arity=(1, 1),
            symbol="relu",
            function="relu",
            forward_code="max(x, 0)",
            local_code=("float(x > 0)",),
            pattern="A gate: passes the gradient where the input was positive, blocks it "
            "elsewhere.",
            undefined="At x = 0 the gradient is 0.",
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
            vjp=_matmul_vjp,
            shape_rule="matmul",
        ),
        Gate(
            op="sum",
            title="Sum",
            arity=(1, None),
            symbol="Σ",
            function="sum",
            forward_code="sum(x, ...)",
            local_code=("1",),
            pattern="Distributes: every element of every input receives the upstream gradient.",
            undefined="Defined everywhere.",
            vjp=_sum_vjp,
            shape_rule="reduce",
        ),
    ]
}


FUNCTIONS: dict[str, Gate] = {gate.function: gate for gate in GATES.values() if gate.function}
"""The gates an expression calls by name, e.g. ``log(x)``."""
