"""A gate row's rule text turned into the callable the evaluator runs.

The gate table writes each rule once, as text a learner can read (``x * y``,
``1 / x``, ``float(x >= y)``); `compile_rule` turns that text, once at import,
into a function over the `engine.kernels` back ends, so the text shown by
``GET /api/gates`` and the code that runs cannot drift apart.

Only the table's own text is compiled here, never user input: the text is
parsed into a Python AST, every name and call is checked against the short
vocabulary below (anything else is a bug in the table and fails at import),
and the result is compiled with no builtins.

The vocabulary: ``x`` and ``y`` are the first and second inputs, ``out`` the
gate's output, a gate's params by name (``p``, ``c``, ``a``), numbers, ``+ - * /
** @``, comparisons, ``and``/``or``/``not``, and the calls ``exp log tanh
sigmoid max min sum round`` and ``float(comparison)`` (1 where it holds, else
0). ``...`` stands for the remaining inputs of a gate that takes any number:
``x + y + ...`` adds them all, ``sum(x, ...)`` totals them all.
"""

from __future__ import annotations

import ast
import copy
import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from engine.kernels import Value

_CALLS = {  # a name in the text -> the kernels' method it calls
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "max": "maximum",
    "min": "minimum",
}
_FLOAT_OF = {  # float(a OP b) -> kernels' method, and whether its arguments swap
    ast.GtE: ("ge", False),
    ast.Gt: ("gt", False),
    ast.LtE: ("ge", True),
    ast.Lt: ("gt", True),
}
_INPUTS = {"x": 0, "y": 1}
_ALLOWED = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
)


def _fold(op: Callable[[Value, Value], Value], first: Value, rest: Iterable[Value]) -> Value:
    return functools.reduce(op, rest, first)


def _total(k: Any, values: Sequence[Value]) -> Value:
    if len(values) == 1:
        return k.total(values[0])
    return functools.reduce(operator.add, map(k.total, values))


def _matmul(a: Value, b: Value) -> Value:
    result = a @ b
    return float(result) if result.ndim == 0 else result


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
_NAMESPACE: dict[str, Any] = {
    "__builtins__": {},
    "len": len,
    "_fold": _fold,
    "_total": _total,
    "_matmul": _matmul,
    "_round": round,
    **{f"_{op.__name__}": function for op, function in _OPERATORS.items()},
}


class _Kernelize(ast.NodeTransformer):
    """Rewrites the table's vocabulary into calls on the kernels ``k``."""

    def __init__(self, params: Iterable[str]) -> None:
        self.params = set(params)
        self.named = 0  # how many leading inputs the text names (x: 1, y: 2)

    def rest(self) -> ast.expr:
        """``xs[named:]``: the inputs the text does not name, for ``...``."""
        return ast.Subscript(_name("xs"), ast.Slice(lower=ast.Constant(self.named)), ast.Load())

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in _INPUTS:
            self.named = max(self.named, _INPUTS[node.id] + 1)
            return ast.Subscript(_name("xs"), ast.Constant(_INPUTS[node.id]), ast.Load())
        if node.id in self.params:
            return ast.Subscript(_name("p"), ast.Constant(node.id), ast.Load())
        if node.id == "out":
            return node
        raise ValueError(f"the rule uses {node.id!r}, which is not in its vocabulary")

    def visit_Constant(self, node: ast.Constant) -> ast.expr:
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ValueError(f"the rule holds {node.value!r}, which is not a number")
        return ast.Constant(float(node.value))

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        left = self.visit(node.left)
        if isinstance(node.right, ast.Constant) and node.right.value is Ellipsis:
            pair = _name(f"_{type(node.op).__name__}")
            folded = _call("_fold", pair, copy.deepcopy(left), self.rest())
            named = ast.Compare(_call("len", _name("xs")), [ast.Eq()], [ast.Constant(self.named)])
            return ast.IfExp(named, left, folded)  # no fold call when nothing is left
        right = self.visit(node.right)
        if (
            isinstance(node.op, ast.Pow)
            and _is_two(right)
            and isinstance(left, ast.Subscript | ast.Name)
        ):
            return ast.BinOp(left, ast.Mult(), left)  # y**2 as y * y: one multiply, no call
        if isinstance(node.op, ast.Pow):
            return _call("k.pow", left, right)
        if isinstance(node.op, ast.MatMult):
            return _call("_matmul", left, right)
        return ast.BinOp(left, node.op, right)

    def visit_Call(self, node: ast.Call) -> ast.expr:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in (*_CALLS, "float", "sum", "round"):
            raise ValueError(f"the rule calls {name!r}, which is not in its vocabulary")
        if name == "float":
            test = node.args[0]
            if not (isinstance(test, ast.Compare) and type(test.ops[0]) in _FLOAT_OF):
                raise ValueError("float() takes one comparison: >=, >, <= or <")
            method, swap = _FLOAT_OF[type(test.ops[0])]
            a, b = self.visit(test.left), self.visit(test.comparators[0])
            return _call(f"k.{method}", *((b, a) if swap else (a, b)))
        spread = bool(node.args) and _is_ellipsis(node.args[-1])
        args = [self.visit(arg) for arg in (node.args[:-1] if spread else node.args)]
        if name == "sum" and spread and self.named == len(args):  # sum(x, ...): every input
            return _call("_total", _name("k"), _name("xs"))
        if spread:
            args.append(ast.Starred(self.rest(), ast.Load()))
        if name == "sum":
            return _call("_total", _name("k"), ast.List(args, ast.Load()))
        if name == "round":
            return _call("_round", *args)
        return _call(f"k.{_CALLS[name]}", *args)


def _is_two(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 2.0


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _name(dotted: str) -> ast.expr:
    head, *tail = dotted.split(".")
    node: ast.expr = ast.Name(head, ast.Load())
    for attribute in tail:
        node = ast.Attribute(node, attribute, ast.Load())
    return node


def _call(function: str | ast.expr, *args: ast.expr) -> ast.expr:
    func = _name(function) if isinstance(function, str) else function
    return ast.Call(func, list(args), [])


def _arguments(*names: str) -> ast.arguments:
    return ast.arguments(
        posonlyargs=[], args=[ast.arg(n) for n in names], kwonlyargs=[], kw_defaults=[], defaults=[]
    )


def _body(text: str, kernelize: _Kernelize) -> ast.expr:
    tree = ast.parse(text, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ValueError(f"the rule {text!r} uses {type(node).__name__}")
    body: ast.expr = kernelize.visit(tree.body)
    return body


def _function(body: ast.expr, *args: str) -> Any:
    tree = ast.fix_missing_locations(ast.Expression(ast.Lambda(_arguments(*args), body)))
    return eval(compile(tree, "<gate table>", "eval"), dict(_NAMESPACE))


def compile_forward(text: str, params: Iterable[str]) -> Any:
    """``f(k, xs, p)``: the value of `text` over kernels ``k``, inputs ``xs``, params ``p``."""
    return _function(_body(text, _Kernelize(params)), "k", "xs", "p")


def compile_local(texts: tuple[str, ...], params: Iterable[str], most: int | None) -> Any:
    """``f(k, xs, out, p)``: a tuple with one local gradient per input. A gate with up to
    `most` inputs (None: any number) and a single text uses it for every input (add's 1)."""
    kernelize = _Kernelize(params)
    bodies = [_body(text, kernelize) for text in texts]
    body: ast.expr = ast.Tuple(bodies, ast.Load())
    if most is None or most > len(texts):
        body = ast.BinOp(body, ast.Mult(), _call("len", _name("xs")))
    return _function(body, "k", "xs", "out", "p")
