"""Expressions to circuits, without `eval` and without recursion.

The tokenizer's whitelist (`engine.tokens`) feeds an iterative shunting-yard parser
that hands each operator to the `engine.builder`; anything outside the vocabulary is
refused with its character position. Precedence and associativity are Python's: ``**``
binds tighter than a unary minus on its left (``-x**2`` is ``-(x**2)``) and is
right-associative; ``^`` means ``**``. Thousands of nested parentheses cost a
deeper list, never a deeper call stack.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import errors
from engine.builder import Builder, Operand
from engine.circuit import FORMAT_VERSION
from engine.gates import FUNCTIONS
from engine.tokens import Token, syntax_error, tokenize, unexpected_character
from engine.values import Limits, Seeded, check_leaf

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
    def __init__(self, tokens: list[Token], builder: Builder) -> None:
        self.tokens = tokens
        self.builder = builder
        self.output: list[Operand] = []
        self.stack: list[_Pending] = []

    def run(self) -> Operand:
        expect_operand, at = True, 0
        while True:
            token = self.tokens[at]
            if token.kind == "error":
                raise unexpected_character(token.text, token.position)
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
            raise syntax_error(
                f"the expression ends at position {token.position} where a value was expected",
                token.position,
            )
        else:
            raise syntax_error(
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
            most = None if paren.call is None else FUNCTIONS[paren.call].arity[1]
            if paren.call is None or (most is not None and paren.args >= most):
                raise syntax_error(f"unexpected ',' at position {token.position}", token.position)
            paren.args += 1
            return True
        raise syntax_error(
            f"expected an operator at position {token.position}, got {token.text!r}", token.position
        )

    def _unwind(self, token: Token) -> _Pending:
        """Reduce everything back to the innermost open parenthesis and return it."""
        while self.stack and self.stack[-1].kind != "paren":
            self._reduce(self.stack.pop())
        if not self.stack:
            raise syntax_error(
                f"unmatched {token.text!r} at position {token.position}", token.position
            )
        return self.stack[-1]

    def _close(self, token: Token) -> None:
        paren = self._unwind(token)
        self.stack.pop()
        if paren.call is None:
            return
        gate = FUNCTIONS[paren.call]
        fewest, most = gate.arity
        if paren.args < fewest or (most is not None and paren.args > most):
            raise syntax_error(
                f"{paren.call}() at position {paren.position} takes {gate.arity_text()} "
                f"argument(s), got {paren.args}",
                paren.position,
            )
        args = self.output[len(self.output) - paren.args :]
        del self.output[len(self.output) - paren.args :]
        self.output.append(self.builder.apply(gate.op, args, paren.position))

    def _finish(self) -> None:
        while self.stack:
            pending = self.stack.pop()
            if pending.kind == "paren":
                raise syntax_error(
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
        raise syntax_error(f"the number at position {token.position} is too large", token.position)
    return Operand(token.position, number=number)


def _function(token: Token) -> str:
    if token.text not in FUNCTIONS:
        known = ", ".join(FUNCTIONS)
        raise syntax_error(
            f"unknown function {token.text!r} at position {token.position}; "
            f"the functions are {known}",
            token.position,
        )
    return token.text


def _variable(token: Token) -> str:
    name = token.text
    if name.startswith("__"):
        raise syntax_error(
            f"names starting with '__' are not allowed ({name!r} at position {token.position})",
            token.position,
        )
    if keyword.iskeyword(name):
        raise syntax_error(
            f"{name!r} at position {token.position} is a Python keyword, "
            "not allowed in an expression",
            token.position,
        )
    if name in FUNCTIONS:
        raise syntax_error(
            f"{name!r} at position {token.position} is a function: write {name}(...)",
            token.position,
        )
    return name


def parse(
    expression: Any,
    values: Mapping[str, Any] | None = None,
    limits: Limits = Limits(),
    default: float | None = DEFAULT_VALUE,
) -> dict[str, Any]:
    """The circuit of `expression`, its variables set from `values`; a variable missing
    there gets `default`, or is refused when `default` is None."""
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
    # every value is checked, used or not: a bad one is the client's mistake either way
    checked = {
        name: check_leaf(value, ("values", name), name, limits) for name, value in values.items()
    }
    tokens = tokenize(expression)
    builder = Builder([t.text for t in tokens if t.kind == "name"])
    result = _Parser(tokens, builder).run()
    output = builder.node_of(result)
    inputs = [
        {**node, "value": _value_of(name, checked, default)}
        for name, node in builder.inputs.items()
    ]
    nodes = inputs + builder.nodes
    if builder.nodes and output == builder.nodes[-1]["id"] and "f" not in builder.taken:
        builder.nodes[-1]["id"] = output = "f"
    return {"version": FORMAT_VERSION, "nodes": _plain(nodes), "output": output}


def _value_of(name: str, checked: Mapping[str, Any], default: float | None) -> Any:
    """A variable's checked value, its default, or a refusal when it has none."""
    if name not in checked and default is None:
        raise errors.MissingValueError(
            f"the variable '{name}' has no value: give it one in 'values'",
            loc=("values", name),
            node=name,
        )
    return checked.get(name, default)


def _plain(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Values as JSON numbers and lists (check_leaf hands back numpy arrays), a seeded
    value as its spec: the circuit draws it when it is evaluated."""
    return [{**node, "value": _json(node["value"])} if "value" in node else node for node in nodes]


def _json(value: Any) -> Any:
    if isinstance(value, Seeded):
        return value.to_json()
    return value.tolist() if hasattr(value, "tolist") else value
