"""Expressions to circuits, without `eval` and without recursion.

A tokenizer with a whitelist (numbers, names, ``+ - * / ** ^ @ ( ) ,``) feeds an
iterative shunting-yard parser; anything outside the vocabulary is refused with
its character position. Precedence and associativity are Python's: ``**``
binds tighter than a unary minus on its left (``-x**2`` is ``-(x**2)``) and is
right-associative; ``^`` means ``**``. Thousands of nested parentheses cost a
deeper list, never a deeper call stack.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine import errors
from engine.circuit import Limits, check_value

FUNCTIONS: dict[str, tuple[str, int]] = {  # name -> (op, number of arguments)
    "exp": ("exp", 1),
    "log": ("log", 1),
    "sigmoid": ("sigmoid", 1),
    "tanh": ("tanh", 1),
    "relu": ("relu", 1),
    "sum": ("sum", 1),
    "max": ("max", 2),
    "min": ("min", 2),
}
BINARY: dict[str, tuple[int, bool]] = {  # symbol -> (precedence, right-associative)
    "+": (1, False),
    "-": (1, False),
    "*": (2, False),
    "/": (2, False),
    "@": (2, False),
    "**": (4, True),
    "^": (4, True),
}
UNARY_PRECEDENCE = 3
DEFAULT_VALUE = 1.0

_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^@(),]))"
)
_FOLD: dict[str, Callable[..., float]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "neg": lambda a: -a,
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
    "sum": lambda a: a,
    "max": max,
    "min": min,
}


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int


@dataclass(frozen=True)
class Operand:
    """A parsed sub-expression: a plain number (still foldable) or a node id."""

    position: int
    number: float | None = None
    node: str | None = None


def tokenize(expression: str) -> list[Token]:
    """The expression's tokens, up to an "error" token at the first character outside
    the vocabulary."""
    tokens, at, end = [], 0, len(expression.rstrip())
    while at < end:
        match = _TOKEN.match(expression, at)
        if match is None or match.lastgroup is None:
            # the parser raises when it reaches this token, so earlier errors come first
            start = len(expression) - len(expression[at:].lstrip())
            tokens.append(Token("error", expression[start], start))
            break
        kind = match.lastgroup
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        at = match.end()
    tokens.append(Token("end", "", len(expression)))
    return tokens


def _unexpected_character(char: str, at: int) -> errors.ParseError:
    hint = {
        ".": ": attribute access is not allowed",
        "[": ": indexing is not allowed",
        "'": ": strings are not allowed",
        '"': ": strings are not allowed",
        ":": ": lambdas and slices are not allowed",
        "=": ": assignment and comparison are not allowed",
    }.get(char, "")
    return _error(f"unexpected character {char!r} at position {at}{hint}", at)


def _error(msg: str, position: int) -> errors.ParseError:
    return errors.ParseError(msg, loc=("expression",), position=position)


class _Builder:
    """Turns operators applied to operands into circuit nodes, folding numbers."""

    def __init__(self, variables: list[str]) -> None:
        self.taken = set(variables)
        self.inputs: dict[str, dict[str, Any]] = {}
        self.nodes: list[dict[str, Any]] = []
        self.counters: dict[str, int] = {}

    def fresh_id(self, stem: str) -> str:
        while True:
            self.counters[stem] = self.counters.get(stem, 0) + 1
            candidate = f"{stem}{self.counters[stem]}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def variable(self, name: str, position: int) -> Operand:
        self.inputs.setdefault(name, {"id": name, "op": "input"})
        return Operand(position, node=name)

    def gate(self, op: str, inputs: list[str], position: int, **params: float) -> Operand:
        node: dict[str, Any] = {"id": self.fresh_id(op), "op": op, "inputs": inputs}
        if params:
            node["params"] = params
        self.nodes.append(node)
        return Operand(position, node=node["id"])

    def node_of(self, operand: Operand) -> str:
        if operand.node is not None:
            return operand.node
        node = {"id": self.fresh_id("c"), "op": "const", "value": operand.number}
        self.nodes.append(node)
        return str(node["id"])

    def fold(self, op: str, args: list[Operand], position: int) -> Operand:
        try:
            number = float(_FOLD[op](*(arg.number for arg in args)))
        except (ArithmeticError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise _error(
                f"the constant {op} at position {position} is not a finite number", position
            )
        return Operand(position, number=number)

    def apply(self, op: str, args: list[Operand], position: int) -> Operand:
        if all(arg.number is not None for arg in args) and op != "matmul":
            return self.fold(op, args, position)
        shortcut = self._with_constant(op, args, position)
        if shortcut is not None:
            return shortcut
        return self.gate(op, [self.node_of(arg) for arg in args], position)

    def _with_constant(self, op: str, args: list[Operand], position: int) -> Operand | None:
        """The notes' one-input gates where one side is a number: +c, ×a, 1/x, x^p."""
        numbers = [arg.number for arg in args]
        if op == "pow":
            if numbers[1] is None:
                raise _error(
                    f"the exponent at position {args[1].position} must be a number",
                    args[1].position,
                )
            return self.gate("pow", [self.node_of(args[0])], position, p=numbers[1])
        if op in ("add", "mul") and None in numbers:
            node = self.node_of(args[0] if numbers[0] is None else args[1])
            constant = numbers[1] if numbers[0] is None else numbers[0]
            if constant is None:
                return None
            if op == "add":
                return self.gate("add_const", [node], position, c=constant)
            return self.gate("mul_const", [node], position, a=constant)
        if op == "sub" and numbers[1] is not None:
            return self.gate("add_const", [self.node_of(args[0])], position, c=-numbers[1])
        if op == "div" and numbers[0] == 1.0:
            return self.gate("inv", [self.node_of(args[1])], position)
        if op == "div" and numbers[1] is not None:
            if numbers[1] == 0.0:
                raise _error(f"division by zero at position {position}", position)
            return self.gate("mul_const", [self.node_of(args[0])], position, a=1.0 / numbers[1])
        return None


_BINARY_OP = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "@": "matmul",
    "**": "pow",
    "^": "pow",
}


@dataclass
class _Pending:
    """An operator or an open parenthesis waiting on the stack."""

    kind: str  # "binary", "unary" or "paren"
    text: str
    position: int
    call: str | None = None  # for a parenthesis that opens a function's arguments
    args: int = 1

    @property
    def precedence(self) -> int:
        return UNARY_PRECEDENCE if self.kind == "unary" else BINARY[self.text][0]


class _Parser:
    def __init__(self, tokens: list[Token], builder: _Builder) -> None:
        self.tokens = tokens
        self.builder = builder
        self.output: list[Operand] = []
        self.stack: list[_Pending] = []

    def run(self) -> Operand:
        expect_operand, at = True, 0
        while True:
            token = self.tokens[at]
            if token.kind == "error":
                raise _unexpected_character(token.text, token.position)
            if expect_operand:
                expect_operand, at = self._operand(token, at)
            elif token.kind == "end":
                self._finish()
                return self.output[0]
            else:
                expect_operand = self._operator(token)
                at += 1

    def _operand(self, token: Token, at: int) -> tuple[bool, int]:
        if token.kind == "number":
            self.output.append(_number(token))
        elif token.kind == "name" and self.tokens[at + 1].text == "(":
            self.stack.append(_Pending("paren", "(", token.position, call=_function(token)))
            return True, at + 2
        elif token.kind == "name":
            self.output.append(self.builder.variable(_variable(token), token.position))
        elif token.text == "-":
            self.stack.append(_Pending("unary", "-", token.position))
            return True, at + 1
        elif token.text == "+":
            return True, at + 1
        elif token.text == "(":
            self.stack.append(_Pending("paren", "(", token.position))
            return True, at + 1
        elif token.kind == "end":
            raise _error(
                f"the expression ends at position {token.position} where a value was expected",
                token.position,
            )
        else:
            raise _error(
                f"expected a number, a name or '(' at position {token.position}, "
                f"got {token.text!r}",
                token.position,
            )
        return False, at + 1

    def _operator(self, token: Token) -> bool:
        if token.text in BINARY:
            precedence, right = BINARY[token.text]
            while (
                self.stack
                and self.stack[-1].kind != "paren"
                and (
                    self.stack[-1].precedence > precedence
                    or (self.stack[-1].precedence == precedence and not right)
                )
            ):
                self._reduce(self.stack.pop())
            self.stack.append(_Pending("binary", token.text, token.position))
            return True
        if token.text == ")":
            self._close(token)
            return False
        if token.text == ",":
            paren = self._unwind(token)
            if paren.call is None or paren.args >= FUNCTIONS[paren.call][1]:
                raise _error(f"unexpected ',' at position {token.position}", token.position)
            paren.args += 1
            return True
        raise _error(
            f"expected an operator at position {token.position}, got {token.text!r}", token.position
        )

    def _unwind(self, token: Token) -> _Pending:
        """Reduce everything back to the innermost open parenthesis and return it."""
        while self.stack and self.stack[-1].kind != "paren":
            self._reduce(self.stack.pop())
        if not self.stack:
            raise _error(f"unmatched {token.text!r} at position {token.position}", token.position)
        return self.stack[-1]

    def _close(self, token: Token) -> None:
        paren = self._unwind(token)
        self.stack.pop()
        if paren.call is None:
            return
        op, wanted = FUNCTIONS[paren.call]
        if paren.args != wanted:
            raise _error(
                f"{paren.call}() at position {paren.position} takes {wanted} "
                f"argument(s), got {paren.args}",
                paren.position,
            )
        args = self.output[len(self.output) - wanted :]
        del self.output[len(self.output) - wanted :]
        self.output.append(self.builder.apply(op, args, paren.position))

    def _finish(self) -> None:
        while self.stack:
            pending = self.stack.pop()
            if pending.kind == "paren":
                raise _error(
                    f"the '(' at position {pending.position} is never closed", pending.position
                )
            self._reduce(pending)

    def _reduce(self, pending: _Pending) -> None:
        if pending.kind == "unary":
            self.output.append(self.builder.apply("neg", [self.output.pop()], pending.position))
            return
        right, left = self.output.pop(), self.output.pop()
        op = _BINARY_OP[pending.text]
        self.output.append(self.builder.apply(op, [left, right], pending.position))


def _number(token: Token) -> Operand:
    number = float(token.text)
    if not math.isfinite(number):
        raise _error(f"the number at position {token.position} is too large", token.position)
    return Operand(token.position, number=number)


def _function(token: Token) -> str:
    if token.text not in FUNCTIONS:
        known = ", ".join(FUNCTIONS)
        raise _error(
            f"unknown function {token.text!r} at position {token.position}; "
            f"the functions are {known}",
            token.position,
        )
    return token.text


def _variable(token: Token) -> str:
    name = token.text
    if name.startswith("__"):
        raise _error(
            f"names starting with '__' are not allowed ({name!r} at position {token.position})",
            token.position,
        )
    if keyword.iskeyword(name):
        raise _error(
            f"{name!r} at position {token.position} is a Python keyword, "
            "not allowed in an expression",
            token.position,
        )
    if name in FUNCTIONS:
        raise _error(
            f"{name!r} at position {token.position} is a function: write {name}(...)",
            token.position,
        )
    return name


def parse(
    expression: Any, values: Mapping[str, Any] | None = None, limits: Limits = Limits()
) -> dict[str, Any]:
    """The circuit of `expression`, its variables set from `values` (missing ones: 1.0)."""
    if not isinstance(expression, str):
        raise errors.ParseError("'expression' must be a string", loc=("expression",))
    if len(expression) > limits.max_expression_chars:
        raise errors.LimitError(
            f"the expression has {len(expression)} characters, over the limit of "
            f"{limits.max_expression_chars}",
            loc=("expression",),
        )
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        raise errors.BadCircuitError("'values' must be an object of name: number", loc=("values",))
    tokens = tokenize(expression)
    builder = _Builder([t.text for t in tokens if t.kind == "name"])
    result = _Parser(tokens, builder).run()
    output = builder.node_of(result)
    inputs = [
        {
            **node,
            "value": check_value(values.get(name, DEFAULT_VALUE), ("values", name), name, limits),
        }
        for name, node in builder.inputs.items()
    ]
    nodes = inputs + builder.nodes
    if builder.nodes and output == builder.nodes[-1]["id"] and "f" not in builder.taken:
        builder.nodes[-1]["id"] = output = "f"
    return {"version": 1, "nodes": _plain(nodes), "output": output}


def _plain(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Values as JSON numbers and lists (check_value hands back numpy arrays)."""
    return [
        {**node, "value": node["value"].tolist()} if hasattr(node.get("value"), "tolist") else node
        for node in nodes
    ]
