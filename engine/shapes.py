"""What shape a gate's result has, and how a gradient goes back to an input's shape.

Elementwise gates follow numpy's broadcasting rules: shapes line up from the right, and
a dimension of 1 (or a missing one) stretches to meet the other. A bias of shape (5, 1)
beside a (5, 3) matrix adds to every column, a (3,) or (1, 3) row to every row, a scalar
everywhere. On the way back, what a gate sends an input is summed over the dimensions
that were stretched, so every gradient has its input's shape (`unbroadcast`).

`matmul` needs vectors or matrices whose inner dimensions agree (a vector on the left is
a row, on the right a column); `sum` gives a scalar. A mismatch names the gate, the
shapes that met and what would fit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine import errors
from engine.gate import Gate
from engine.kernels import Value

Shape = tuple[int, ...]
SCALAR_SHAPE: Shape = ()


def infer_shape(
    gate: Gate, node: str, inputs: Sequence[tuple[str, Shape]], loc: errors.Loc
) -> Shape:
    """The shape of `gate`'s result at node `node`, from its inputs' (id, shape)."""
    if gate.shape_rule == "reduce":
        return SCALAR_SHAPE
    if gate.shape_rule == "matmul":
        return _matmul(gate, node, inputs, loc)
    return _broadcast(gate, node, [shape for _, shape in inputs], loc)


def unbroadcast(sent: Value, shape: Shape) -> Value:
    """`sent`, of the gate's broadcast shape, summed back to an input of `shape`."""
    if not isinstance(sent, np.ndarray) or sent.shape == shape:
        return sent
    if not shape:
        return float(sent.sum())
    summed = sent.sum(axis=tuple(range(sent.ndim - len(shape))))
    stretched = tuple(i for i, size in enumerate(shape) if size == 1 < summed.shape[i])
    return summed.sum(axis=stretched, keepdims=True) if stretched else summed


def _broadcast(gate: Gate, node: str, shapes: list[Shape], loc: errors.Loc) -> Shape:
    result = SCALAR_SHAPE
    for shape in shapes:
        try:
            result = np.broadcast_shapes(result, shape)
        except ValueError:
            raise errors.ShapeError(
                f"node '{node}': {gate.named()} got {_listed(shapes)}, which do not broadcast: "
                f"{_fits(result, shape)}",
                loc=loc,
                node=node,
            ) from None
    return result


def _text(shape: Shape) -> str:
    return str(shape) if shape else "(a scalar)"


def _listed(shapes: list[Shape]) -> str:
    texts = list(map(_text, shapes))
    return f"{', '.join(texts[:-1])} and {texts[-1]}"


def _fits(a: Shape, b: Shape) -> str:
    """What would meet the larger of two shapes that do not broadcast."""
    big = max(a, b, key=lambda shape: (len(shape), np.prod(shape)))
    if len(big) == 1:
        return f"a vector beside a {big} vector must have {big[0]} elements"
    rows, cols = big
    return f"a bias for a {big} matrix has shape {(rows, 1)}, {(1, cols)} or {(cols,)}"


def _matmul(gate: Gate, node: str, inputs: Sequence[tuple[str, Shape]], loc: errors.Loc) -> Shape:
    (left, a), (right, b) = inputs
    met = f"node '{node}': {gate.named()} got {left} {_text(a)} and {right} {_text(b)}"
    for _, shape in inputs:
        if not shape:
            raise errors.ShapeError(
                f"{met}: matmul needs a vector or a matrix on each side (to scale a tensor "
                "by a number, use mul)",
                loc=loc,
                node=node,
            )
    if a[-1] != b[0]:
        needs = f"{a[-1]} rows" if len(b) == 2 else f"{a[-1]} elements"
        each = "column" if len(a) == 2 else "element"
        raise errors.ShapeError(
            f"{met}: {right} needs {needs}, one for each {each} of {left}",
            loc=loc,
            node=node,
        )
    return a[:-1] + b[1:]
