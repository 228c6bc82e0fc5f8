"""Builds circuit nodes from parsed operators and operands, folding plain numbers.

Numbers fold into the notes' one-input gates where the gate table says so (each row's
`folds`: ``x + 1`` is a +c gate, ``2 * x`` a ×a gate, ``1 / x`` a 1/x gate, ``x ** 2`` a
power gate); numbers on every side of an operator are computed at once with that
gate's own forward rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from engine.gates import GATES, Fold, Gate
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
        stem = GATES[op].stem or op
        node: dict[str, Any] = {"id": self.fresh_id(stem), "op": op, "inputs": inputs}
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
        gate, params = GATES[op], {}
        own = next((fold for fold in gate.folds if fold.op == op), None)
        if own is not None and own.param is not None:  # 2 ** 3: the 3 is pow's p
            params = {own.param: own.param_value(numbers.pop(own.port or 0))}
        try:
            number = float(gate.forward(SCALAR, numbers, params))
        except (ArithmeticError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            why = gate.why_not_finite(numbers, params)
            raise syntax_error(f"{why}, at position {position}", position)
        return Operand(position, number=number)

    def apply(self, op: str, args: list[Operand], position: int) -> Operand:
        if all(arg.number is not None for arg in args) and op != "matmul":
            return self.fold(op, args, position)
        shortcut = self._with_constant(op, args, position)
        if shortcut is not None:
            return shortcut
        return self.gate(op, [self.node_of(arg) for arg in args], position)

    def _with_constant(self, op: str, args: list[Operand], position: int) -> Operand | None:
        """The gate table's folds where one side is a number: +c, ×a, 1/x, x^p."""
        numbers = [arg.number for arg in args]
        for gate, fold in FOLDS.get(op, []):
            port = fold.port_of(numbers)
            if port is None and fold.operand:
                at = args[fold.port or 0].position
                raise syntax_error(f"{fold.operand} at position {at} must be a number", at)
            if port is None:
                continue
            rest = [self.node_of(arg) for i, arg in enumerate(args) if i != port]
            if fold.param is None:
                return self.gate(gate.op, rest, position)
            try:
                value = fold.param_value(float(numbers[port] or 0.0))
            except ZeroDivisionError:  # x / 0: the divisor's rule explains, whatever x is
                why = GATES[op].why_not_finite([1.0 if n is None else n for n in numbers], {})
                raise syntax_error(f"{why}, at position {position}", position) from None
            return self.gate(gate.op, rest, position, **{fold.param: value})
        return None


def _index_folds() -> dict[str, list[tuple[Gate, Fold]]]:
    """operator -> the gates that stand in for it when one operand is a number"""
    index: dict[str, list[tuple[Gate, Fold]]] = {}
    for gate in GATES.values():
        for fold in gate.folds:
            index.setdefault(fold.op, []).append((gate, fold))
    return index


FOLDS = _index_folds()
