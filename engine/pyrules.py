"""A gate row's rule text (`engine.gates`) as a line of plain Python, for the staged code.

The rule vocabulary (`engine.rules`) becomes the standard library's for a gate on
numbers (``math.exp``, ``max``, ``float(x >= y)``) and numpy's for a gate on tensors
(``np.exp``, ``np.maximum``, ``(x >= y).astype(float)``); ``sigmoid`` is a function the
code defines. Params become their numbers, and parts made only of numbers are worked
out (``p * x ** (p - 1)`` with p = 2 is ``2 * x``). In a rule with ``@`` (matmul's
``g @ y.T``) the product is written for the operands' ranks: ``*`` with a number,
``np.outer`` for two vectors making a matrix, ``@`` otherwise; ``.T`` only on matrices.

A rule becomes a template once per gate, params and ranks; its slots are the names
``ARG_0``, ``ARG_1``... (the inputs), ``OUT_`` (the output) and ``GRAD_`` (its gradient).
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

SLOT = re.compile(r"\b(?:ARG_\d+|OUT_|GRAD_)\b")
_FUNCTIONS = {  # rule name -> (on numbers, on tensors)
    "exp": ("math.exp", "np.exp"),
    "log": ("math.log", "np.log"),
    "tanh": ("math.tanh", "np.tanh"),
    "sigmoid": ("sigmoid", "np_sigmoid"),
    "max": ("max", "np.maximum"),
    "min": ("min", "np.minimum"),
}
_FOLD: dict[type[ast.AST], Callable[..., float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
}
Typed = tuple[ast.expr, int]  # an expression and its rank (0 number, 1 vector, 2 matrix)


def arg(port: int) -> str:
    return f"ARG_{port}"


def fill(template: str, slots: Mapping[str, str]) -> str:
    """The template with each slot replaced by its variable's name."""
    return SLOT.sub(lambda found: slots[found.group()], template)


@functools.lru_cache(maxsize=4096)
def translate(
    text: str, params: tuple[tuple[str, float], ...], ranks: tuple[int, ...], out: int, target: int
) -> tuple[str, int]:
    """`text` over inputs of `ranks` and an output of rank `out` as a template, and its
    rank; `target` is the rank of what it computes (the output, or the input a gradient
    rule is for)."""
    writer = _Writer(dict(params), ranks, out, target)
    expr, rank = writer.visit(ast.parse(text, mode="eval").body)
    return ast.unparse(expr), rank


def number(value: float) -> ast.expr:
    """A literal as the notes write it: ``2`` rather than ``2.0``, a minus in front."""
    size = abs(value)
    shown: float = int(size) if size.is_integer() and size < 1e15 else size
    return ast.UnaryOp(ast.USub(), ast.Constant(shown)) if value < 0 else ast.Constant(shown)


def _constant(node: ast.expr) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant(node.operand)
        return None if inner is None else -inner
    return None


class _Writer:
    """Rewrites one rule's AST; each visit returns the new expression and its rank."""

    def __init__(self, params: dict[str, float], ranks: tuple[int, ...], out: int, target: int):
        self.params, self.ranks, self.out, self.target = params, ranks, out, target
        self.tensor = any(ranks)  # as the evaluator picks its kernels
        self.named = 0  # how many leading inputs the rule names (for `...`)

    def visit(self, node: ast.expr) -> Typed:
        method: Callable[[Any], Typed] = getattr(self, f"visit_{type(node).__name__}")
        return method(node)

    def visit_Name(self, node: ast.Name) -> Typed:
        ports = {"x": 0, "y": 1}
        if node.id in ports:
            port = ports[node.id]
            self.named = max(self.named, port + 1)
            return ast.Name(arg(port)), self.ranks[port]
        if node.id in self.params:
            return number(self.params[node.id]), 0
        return ast.Name({"out": "OUT_", "g": "GRAD_"}[node.id]), self.out

    def visit_Constant(self, node: ast.Constant) -> Typed:
        value = _constant(node)
        if value is None:
            raise ValueError(f"the rule holds {node.value!r}, which is not a number")
        return number(value), 0

    def visit_Attribute(self, node: ast.Attribute) -> Typed:  # only `.T`
        value, rank = self.visit(node.value)
        return (ast.Attribute(value, "T") if rank == 2 else value), rank

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Typed:
        operand, rank = self.visit(node.operand)
        folded = _constant(operand)
        if folded is not None:
            return number(-folded), 0
        return ast.UnaryOp(node.op, operand), rank

    def visit_BinOp(self, node: ast.BinOp) -> Typed:
        if isinstance(node.right, ast.Constant) and node.right.value is Ellipsis:
            return self._spread(node)
        (left, a), (right, b) = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.MatMult):
            return self._product(left, a, right, b)
        x, y = _constant(left), _constant(right)
        if x is not None and y is not None:
            return number(_FOLD[type(node.op)](x, y)), 0
        if isinstance(node.op, ast.Pow) and y == 1:
            return left, a
        return ast.BinOp(left, node.op, right), max(a, b)

    def _spread(self, node: ast.BinOp) -> Typed:
        """``x + y + ...``: the operator between every input, left to right."""
        expr, rank = self.visit(node.left)
        for port in range(self.named, len(self.ranks)):
            expr, rank = ast.BinOp(expr, node.op, ast.Name(arg(port))), max(rank, self.ranks[port])
        return expr, rank

    def _product(self, left: ast.expr, a: int, right: ast.expr, b: int) -> Typed:
        if not a or not b:
            return ast.BinOp(left, ast.Mult(), right), max(a, b)
        if a == b == 1 and self.target == 2:
            return ast.Call(ast.Name("np.outer"), [left, right], []), 2
        return ast.BinOp(left, ast.MatMult(), right), a + b - 2

    def visit_Compare(self, node: ast.Compare) -> Typed:
        (left, a), (right, b) = self.visit(node.left), self.visit(node.comparators[0])
        return ast.Compare(left, node.ops, [right]), max(a, b)

    def visit_Call(self, node: ast.Call) -> Typed:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name == "float":
            test, rank = self.visit(node.args[0])
            if rank:
                return ast.Call(ast.Attribute(test, "astype"), [ast.Name("float")], []), rank
            return ast.Call(ast.Name("float"), [test], []), rank
        if name == "sum":
            return self._total(node)
        typed = [self.visit(a) for a in node.args]
        function = ast.Name(_FUNCTIONS[name][self.tensor])
        return ast.Call(function, [e for e, _ in typed], []), max(r for _, r in typed)

    def _total(self, node: ast.Call) -> Typed:
        """``sum(x, ...)``: every element of every input, added up."""
        self.named = len(self.ranks)
        parts: list[ast.expr] = [
            ast.Call(ast.Name("np.sum"), [ast.Name(arg(p))], []) if r else ast.Name(arg(p))
            for p, r in enumerate(self.ranks)
        ]
        return functools.reduce(lambda a, b: ast.BinOp(a, ast.Add(), b), parts), 0
