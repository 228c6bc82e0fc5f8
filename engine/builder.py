"""Builds circuit nodes from parsed operators and operands, folding plain numbers.

Numbers fold into the notes' one-input gates where they can (``x + 1`` is a +c gate,
``2 * x`` a ×a gate, ``1 / x`` a 1/x gate, ``x ** 2`` a power gate); numbers on every
side of an operator are computed at once with that gate's own forward rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from engine.gates import GATES
from engine.kernels import SCALAR
from engine.tokens import syntax_error


@dataclass(frozen=True)
class Operand:
    """A parsed sub-expression: a plain number (still foldable) or a node id."""

    position: int
    number: float | None = None
    node: str | None = None


class Builder:
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
        """Numbers on every side: compute with the gate's own forward rule."""
        numbers = [float(arg.number or 0.0) for arg in args]
        params = {"p": numbers.pop()} if op == "pow" else {}
        try:
            number = float(GATES[op].forward(SCALAR, numbers, params))
        except (ArithmeticError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise syntax_error(
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
                raise syntax_error(
                    f"the exponent at position {args[1].position} must be a number",
                    args[1].position,
                )
            return self.gate("pow", [self.node_of(args[0])], position, p=numbers[1])
        if op in ("add", "mul") and numbers.count(None) == 1:
            node = self.node_of(args[0] if numbers[0] is None else args[1])
            constant = next(number for number in numbers if number is not None)
            if op == "add":
                return self.gate("add_const", [node], position, c=constant)
            return self.gate("mul_const", [node], position, a=constant)
        if op == "sub" and numbers[1] is not None:
            return self.gate("add_const", [self.node_of(args[0])], position, c=-numbers[1])
        if op == "div" and numbers[0] == 1.0:
            return self.gate("inv", [self.node_of(args[1])], position)
        if op == "div" and numbers[1] is not None:
            if numbers[1] == 0.0:
                raise syntax_error(f"division by zero at position {position}", position)
            return self.gate("mul_const", [self.node_of(args[0])], position, a=1.0 / numbers[1])
        return None
