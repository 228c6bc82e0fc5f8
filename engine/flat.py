"""One bulk pass over a scalar circuit's node dicts into flat arrays.

`flatten` accepts only what `engine.circuit.compile_circuit` accepts, and only the common
case: a JSON object whose nodes are plain dicts listed in a topological order, every value
a number, every gate binary or unary. It checks each rule for all nodes at once (a set of
types, a dict lookup mapped over every input, numpy comparisons), so it never names an
error: when anything is unusual it returns None and the caller goes through
`compile_circuit`, which finds the first problem and says what and where.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np

from engine.circuit import FORMAT_VERSION
from engine.gates import GATES
from engine.tape_ops import OPS
from engine.values import Limits

CODE = {op: code for code, op in enumerate(OPS)}
_LOW = np.array([GATES[op].arity[0] for op in OPS])
_HIGH = np.array([2 if GATES[op].arity[1] is None else GATES[op].arity[1] for op in OPS])
LEAF = np.array([GATES[op].leaf for op in OPS])
_TAKES = np.array([bool(GATES[op].params) for op in OPS])
_NO_INPUTS: list[str] = []
_NUMBERS = {int, float}
_get: Callable[..., Any] = dict.get  # mapped over many nodes at once


@dataclass
class Flat:
    """A valid scalar circuit: per node in file (= topological) order, and per edge."""

    ids: list[str]
    codes: np.ndarray  # index into OPS, per node
    inputs: list[list[str]]  # as the request lists them
    first: np.ndarray  # each node's first edge; edges of node k are first[k]:first[k+1]
    src: np.ndarray  # per edge: the node it reads
    param_nodes: np.ndarray  # the gates that take a constant
    param_values: list[float]  # their constants, in that order
    leaves: np.ndarray  # the input/const nodes
    values: list[float]  # their values, in the order of `leaves`
    output: int
    output_grad: float


@dataclass
class Nodes:
    """What one pass over the node dicts finds (`read_nodes`, or `engine.native`'s)."""

    ids: list[str]
    codes: np.ndarray
    inputs: list[list[str]]
    first: np.ndarray
    src: np.ndarray
    param_nodes: np.ndarray
    param_values: list[float]
    leaves: np.ndarray
    values: list[float]
    output: int | None  # the named node, or the one no edge reads (None: no such node)


Reader = Callable[[list[Any], Any, Limits], Nodes | None]


def flatten(circuit: Any, limits: Limits, reader: Reader | None = None) -> Flat | None:
    """`circuit` as flat arrays, or None where `compile_circuit` must look at it; `reader`
    reads the node dicts and finds the output (`read_nodes` unless told)."""
    if type(circuit) is not dict or not _plain_version(circuit.get("version", FORMAT_VERSION)):
        return None
    nodes = circuit.get("nodes")
    if type(nodes) is not list or not 0 < len(nodes) <= _most_nodes(limits):
        return None
    found = (reader or read_nodes)(nodes, circuit.get("output"), limits)
    given_grad = circuit.get("output_grad")
    output_grad = numbers([1.0 if given_grad is None else given_grad])
    if found is None or found.output is None or output_grad is None:
        return None
    return Flat(
        found.ids,
        found.codes,
        found.inputs,
        found.first,
        found.src,
        found.param_nodes,
        found.param_values,
        found.leaves,
        found.values,
        found.output,
        output_grad[0],
    )


def read_nodes(nodes: list[Any], named: Any, limits: Limits) -> Nodes | None:
    """Every node's fields, each rule checked for all nodes at once, and the output
    (`named`: the circuit's `output` field)."""
    if set(map(type, nodes)) != {dict}:
        return None
    ids: list[Any] = list(map(_get, nodes, repeat("id")))
    if set(map(type, ids)) != {str}:
        return None
    by_id = dict(zip(ids, range(len(ids)), strict=True))
    if len(by_id) != len(ids) or "" in by_id:
        return None
    codes = _codes(nodes)
    inputs = list(map(_get, nodes, repeat("inputs"), repeat(_NO_INPUTS)))
    edges = _edges(inputs, by_id, codes)
    if codes is None or edges is None:
        return None
    first, src = edges
    params = _params(nodes, codes)
    leaves = np.flatnonzero(LEAF[codes])
    values = numbers(_pick(nodes, leaves, "value"))
    if params is None or values is None:
        return None
    output = _output(named, by_id, src)
    return Nodes(ids, codes, inputs, first, src, *params, leaves, values, output)


def present(codes: np.ndarray) -> list[int]:
    """The distinct op codes in `codes`, in order (np.unique would import numpy.ma, 30 ms)."""
    return np.flatnonzero(np.bincount(codes, minlength=len(OPS))).tolist()


def _plain_version(version: Any) -> bool:
    return type(version) is int and version == FORMAT_VERSION


def _most_nodes(limits: Limits) -> int:
    """Every scalar node holds one element."""
    fits = limits.max_tensor_elements >= 1
    return min(limits.max_nodes, limits.max_total_elements) if fits else 0


def _codes(nodes: list[dict[str, Any]]) -> np.ndarray | None:
    ops = map(_get, nodes, repeat("op"))
    try:  # only a str op can be found among the table's names
        return np.array(list(map(CODE.__getitem__, ops)))
    except (KeyError, TypeError):
        return None


def _edges(
    inputs: list[Any], by_id: dict[str, int], codes: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Each node's first edge and every edge's source, when arities hold and every input
    is listed before the node that reads it."""
    if codes is None or set(map(type, inputs)) != {list}:
        return None
    refs = list(chain.from_iterable(inputs))  # every id is a str: only a str can be found
    counts = np.array(list(map(len, inputs)))
    if ((counts < _LOW[codes]) | (counts > _HIGH[codes])).any():
        return None
    try:
        src = np.array(list(map(by_id.__getitem__, refs)), dtype=np.int64)
    except (KeyError, TypeError):
        return None
    first = np.concatenate(([0], np.cumsum(counts)))
    if (src >= np.repeat(np.arange(len(inputs)), counts)).any():
        return None
    return first, src


def _params(
    nodes: list[dict[str, Any]], codes: np.ndarray
) -> tuple[np.ndarray, list[float]] | None:
    """The gates that take a constant, and their constants; no params anywhere else."""
    takes = _TAKES[codes]
    others = _pick(nodes, np.flatnonzero(~takes), "params")
    if not set(map(type, others)) <= {type(None), dict} or any(others):
        return None
    where = np.flatnonzero(takes)
    constants = np.empty(len(where))
    for code in present(codes[where]):
        members = codes[where] == code
        given = _pick(nodes, where[members], "params")
        if set(map(type, given)) != {dict} or set(map(len, given)) != {1}:
            return None
        try:
            found = numbers(list(map(operator.itemgetter(*GATES[OPS[code]].params), given)))
        except KeyError:
            return None
        if found is None:
            return None
        constants[members] = found
    return where, constants.tolist()


def _pick(nodes: list[dict[str, Any]], where: np.ndarray, key: str) -> list[Any]:
    """`nodes[k].get(key)` for each k in `where`."""
    return list(map(_get, map(nodes.__getitem__, where.tolist()), repeat(key)))


def numbers(given: list[Any]) -> list[float] | None:
    """Finite ints or floats (never bools) as floats."""
    if not set(map(type, given)) <= _NUMBERS:
        return None
    try:
        numbers = list(map(float, given))
    except OverflowError:
        return None
    return numbers if all(map(math.isfinite, numbers)) else None


def _output(named: Any, by_id: dict[str, int], src: np.ndarray) -> int | None:
    if named is not None:
        return by_id.get(named) if type(named) is str else None
    used = np.zeros(len(by_id), dtype=bool)
    used[src] = True
    sinks = np.flatnonzero(~used)
    return int(sinks[0]) if len(sinks) == 1 else None
