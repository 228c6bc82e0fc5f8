"""Backprop Circuits' engine: circuits of gates, their values, gradients and trace.

A pure library: it imports nothing from the web layer. See `engine.api` for the
entry points and `engine.gates` for the gate table.
"""

from engine import errors
from engine.api import compile, evaluate, gradcheck
from engine.cache import CircuitCache
from engine.circuit import FORMAT_VERSION, Program, compile_circuit
from engine.codegen import codegen
from engine.compiled import Compiled
from engine.deadline import Deadline
from engine.examples import list_examples, random_circuit
from engine.gates import GATES, Gate
from engine.parser import parse
from engine.sweep import sweep
from engine.values import Limits


def list_gates() -> list[dict[str, object]]:
    """Every gate of the table, as ``GET /api/gates`` lists them."""
    return [gate.describe() for gate in GATES.values()]


__all__ = [
    "FORMAT_VERSION",
    "GATES",
    "CircuitCache",
    "Compiled",
    "Deadline",
    "Gate",
    "Limits",
    "Program",
    "codegen",
    "compile",
    "compile_circuit",
    "errors",
    "evaluate",
    "gradcheck",
    "list_examples",
    "list_gates",
    "parse",
    "random_circuit",
    "sweep",
]
