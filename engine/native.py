"""The C extension `engine._native` (built from csrc/), and everything that calls it.

It takes the scalar tape's hot loops: reading the node dicts in one pass, the forward
loop, and the backward edge loop (plain and traced). Each returns what its Python twin
(`engine.flat.read_nodes`, `engine.tape.Tape`) would, bit for bit; where the C code
meets anything unusual it answers None and the Python code decides. Without a C
compiler at install time the module is missing, `module` is None, and everything runs
on the Python tape.
"""

from __future__ import annotations

import math
import operator
from itertools import repeat
from types import ModuleType
from typing import Any

import numpy as np

from engine.flat import _HIGH, _LOW, CODE, LEAF, Nodes, flatten
from engine.flat import Flat as Flat
from engine.gates import GATES
from engine.groups import GROUP
from engine.tape_ops import FAST, OPS, RULES
from engine.values import Limits

module: ModuleType | None
try:
    from engine import _native

    module = _native
except ImportError:  # a compiler-less install
    module = None

# Python's builtin in each FAST rule, and the unary rows, as the C code's kinds
_BUILTINS: dict[Any, str] = {
    operator.add: "ADD",
    operator.sub: "SUB",
    operator.mul: "MUL",
    operator.truediv: "DIV",
    max: "MAX",
    min: "MIN",
    math.pow: "POW",
}
_ROWS = {"exp": "EXP", "log": "LOG", "tanh": "TANH", "sigmoid": "SIGMOID"}
_TABLE = (
    CODE,
    tuple(next(iter(GATES[op].params), None) for op in OPS),  # each op's one param
    _LOW.astype(np.uint8).tobytes(),
    _HIGH.astype(np.uint8).tobytes(),
    LEAF.astype(np.uint8).tobytes(),
)
CHUNK = 1 << 16  # gates between two looks at the deadline


def kind_name(op: str) -> str | None:
    """The C loop's name for `op`'s forward rule, or None where only Python runs it."""
    if op not in RULES:
        return None
    if op in FAST:
        return _BUILTINS.get(RULES[op][0])
    return _ROWS.get(op)


def kinds() -> np.ndarray:
    """Per op code, the C kind (-1: none)."""
    names = [kind_name(op) for op in OPS]
    if module is None:
        return np.full(len(OPS), -1, dtype=np.int8)
    return np.array([-1 if n is None else getattr(module, n) for n in names], dtype=np.int8)


KINDS = kinds()


def read_nodes(nodes: list[Any], named: Any, limits: Limits) -> Nodes | None:
    """`engine.flat.read_nodes` in one pass in C, with `engine.bounds.check_bounds`'s
    limits: None for anything unusual, which the Python path then looks at."""
    assert module is not None
    table = (*_TABLE, limits.max_id_chars, limits.max_gate_inputs)
    found = module.flatten(nodes, named, table)
    if found is None:
        return None
    ids, codes, inputs, first, src, values_of_params, param_nodes, values, leaves, output = found
    return Nodes(
        ids,
        _ints(codes),
        inputs,
        _ints(first),
        _ints(src),
        _ints(param_nodes),
        values_of_params,
        _ints(leaves),
        values,
        None if output < 0 else output,
    )


def native_flatten(circuit: Any, limits: Limits) -> Flat | None:
    """`engine.flat.flatten` with the node dicts read in C (bounds checked too); None
    without the extension or where Python must look."""
    if module is None:
        return None
    return flatten(circuit, limits, read_nodes)


def answer_dicts(
    ids: list[str], values: np.ndarray, grads: np.ndarray
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[str]]:
    """The answer's values, gradients and shapes (a scalar's: []) by id, and its order."""
    if module is not None:
        found, gradients, shapes, order = module.answer(ids, values, grads)
        return found, gradients, shapes, order
    return (
        dict(zip(ids, values.tolist(), strict=True)),
        dict(zip(ids, grads.tolist(), strict=True)),
        dict(zip(ids, map(list, repeat((), len(ids))), strict=True)),
        list(ids),
    )


def structure(circuit: Any) -> bytes | None:
    """Everything compilation reads except the inputs' values, each with its type, as
    bytes that two different structures never share; None without the extension or
    where `engine.cache.structure_key` must decide."""
    if module is None or type(circuit) is not dict:
        return None
    found: bytes | None = module.structure(circuit, GROUP)
    return found


def _ints(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.int64)
