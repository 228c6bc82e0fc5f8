"""Limits, and the check every number or tensor from a request goes through.

A value is a number, nested lists of numbers (a vector or a matrix), or a *seeded*
tensor: ``{"shape": [5, 10], "seed": 3, "scale": 0.5}`` stands for
``numpy.random.default_rng(seed).standard_normal(shape) * scale`` (scale 1 when left
out). A seeded value is checked and sized from its spec alone (`Seeded`), and drawn
only when it is needed, after the memory budget has counted it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import errors
from engine.kernels import Value

MAX_SEED = 2**53 - 1  # the largest whole number every JSON client reads exactly
SEEDED_KEYS = ("shape", "seed", "scale")


@dataclass(frozen=True)
class Limits:
    """Sizes the engine refuses to go past (the server's defaults too)."""

    max_nodes: int = 100_000
    max_expression_chars: int = 10_000
    max_tensor_elements: int = 1_000_000  # in any one node's value
    max_total_elements: int = 4_000_000  # in all nodes' values together (memory)
    max_gradcheck_evaluations: int = 5_000_000  # element evaluations one gradient check costs
    max_sweep_points: int = 10_000  # points of one sweep
    max_id_chars: int = 100  # in a node id
    max_gate_inputs: int = 100  # inputs of any one gate
    max_request_bytes: int = 512 * 1024 * 1024  # values, gradients and trace together


@dataclass(frozen=True)
class Seeded:
    """A checked seeded value, not drawn yet; `loc` and `node` say where it was given."""

    shape: tuple[int, ...]
    seed: int
    scale: float
    loc: errors.Loc
    node: str | None

    def draw(self) -> np.ndarray:
        """``default_rng(seed).standard_normal(shape) * scale``."""
        with np.errstate(over="ignore"):
            array = np.random.default_rng(self.seed).standard_normal(self.shape) * self.scale
        if not np.isfinite(array).all():
            raise errors.ValueError_(
                f"{_where(self.loc, self.node)}: scale {self.scale:g} takes some of the "
                "seeded numbers past the largest float",
                loc=(*self.loc, "scale"),
                node=self.node,
            )
        return array

    def to_json(self) -> dict[str, Any]:
        return {"shape": list(self.shape), "seed": self.seed, "scale": self.scale}


def check_value(value: Any, loc: errors.Loc, node: str | None, limits: Limits) -> Value:
    """A finite number as a float, or a rectangular 1-D/2-D array of them as numpy (a
    seeded value drawn at once)."""
    return drawn(check_leaf(value, loc, node, limits))


def check_leaf(value: Any, loc: errors.Loc, node: str | None, limits: Limits) -> Value | Seeded:
    """As `check_value`, but a seeded value comes back as its checked spec, not drawn."""
    where = _where(loc, node)
    if isinstance(value, Mapping):
        return check_seeded(value, loc, node, limits)
    if isinstance(value, bool) or not isinstance(value, int | float | list):
        raise errors.ValueError_(
            f"{where}: value must be a number, a list of numbers or a seeded "
            f"{{shape, seed}} object, got {kind_of(value)}",
            loc=loc,
            node=node,
        )
    if not isinstance(value, list):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise errors.ValueError_(f"{where}: value {value!r} is not finite", loc=loc, node=node)
        return number
    return _check_array(value, loc, node, limits)


def _check_array(value: list[Any], loc: errors.Loc, node: str | None, limits: Limits) -> Value:
    where = _where(loc, node)
    try:
        array = np.array(value)
    except (ValueError, RecursionError):
        raise errors.ValueError_(
            f"{where}: value is not a rectangular array of numbers", loc=loc, node=node
        ) from None
    if array.dtype.kind not in "iuf":
        raise errors.ValueError_(f"{where}: every element must be a number", loc=loc, node=node)
    if array.ndim > 2 or array.size == 0:
        raise errors.ValueError_(
            f"{where}: a tensor must be a non-empty vector or matrix, got shape {array.shape}",
            loc=loc,
            node=node,
        )
    _check_elements(array.size, where, loc, node, limits)
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise errors.ValueError_(
            f"{where}: value has elements that are not finite", loc=loc, node=node
        )
    return array


def check_seeded(
    spec: Mapping[Any, Any], loc: errors.Loc, node: str | None, limits: Limits
) -> Seeded:
    """A seeded value's spec: a shape of one or two positive whole numbers within
    `max_tensor_elements`, a whole-number seed from 0 to `MAX_SEED` and a finite scale."""
    where = _where(loc, node)
    for key in spec:
        if key not in SEEDED_KEYS:
            raise errors.ValueError_(
                f"{where}: a seeded value takes 'shape', 'seed' and 'scale', not {_shown(key)}",
                loc=(*loc, str(key)),
                node=node,
            )
    for key in SEEDED_KEYS[:2]:
        if key not in spec:
            raise errors.ValueError_(
                f"{where}: a seeded value needs '{key}'", loc=(*loc, key), node=node
            )
    shape = _check_shape(spec["shape"], loc, node, limits)
    seed, scale = spec["seed"], spec.get("scale", 1.0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise errors.ValueError_(
            f"{where}: 'seed' must be a whole number from 0 to {MAX_SEED}, got {_shown(seed)}",
            loc=(*loc, "seed"),
            node=node,
        )
    if not _finite_number(scale):
        raise errors.ValueError_(
            f"{where}: 'scale' must be a finite number, got {_shown(scale)}",
            loc=(*loc, "scale"),
            node=node,
        )
    return Seeded(shape, seed, float(scale), loc, node)


def _check_shape(shape: Any, loc: errors.Loc, node: str | None, limits: Limits) -> tuple[int, ...]:
    where, at = _where(loc, node), (*loc, "shape")
    if not isinstance(shape, list) or len(shape) not in (1, 2):
        raise errors.ValueError_(
            f"{where}: 'shape' must be a list of one or two whole numbers ([n] for a vector, "
            f"[rows, cols] for a matrix), got {_shown(shape)}",
            loc=at,
            node=node,
        )
    for i, size in enumerate(shape):
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise errors.ValueError_(
                f"{where}: every dimension of 'shape' must be a whole number of at least 1, "
                f"got {_shown(size)}",
                loc=(*at, i),
                node=node,
            )
    _check_elements(math.prod(shape), where, at, node, limits)
    return tuple(shape)


def _check_elements(
    size: int, where: str, loc: errors.Loc, node: str | None, limits: Limits
) -> None:
    if size > limits.max_tensor_elements:
        raise errors.LimitError(
            f"{where}: {size} elements is over the limit of {limits.max_tensor_elements}",
            loc=loc,
            node=node,
        )


def drawn(value: Value | Seeded) -> Value:
    """A leaf's value, a seeded one drawn now."""
    return value.draw() if isinstance(value, Seeded) else value


def shape_of(value: Value | Seeded) -> tuple[int, ...]:
    """A checked value's shape, a seeded one's without drawing it."""
    return value.shape if isinstance(value, Seeded) else tuple(np.shape(value))


def seeded_elements(spec: Mapping[Any, Any]) -> int:
    """The numbers a seeded value asks for, before it is checked (0 if its shape is not a
    list of whole numbers): for weighing a request."""
    shape = spec.get("shape")
    if not isinstance(shape, list) or not all(type(size) is int for size in shape):
        return 0
    return math.prod(max(size, 0) for size in shape)


def _finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _where(loc: errors.Loc, node: str | None) -> str:
    return f"node '{node}'" if node is not None else "/".join(map(str, loc))


def _shown(value: Any) -> str:
    """A value as a message quotes it, cut short."""
    if isinstance(value, int) and value.bit_length() > 64:
        return "a whole number of more than 64 bits"
    text = repr(value) if isinstance(value, int | float | str) else kind_of(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def kind_of(value: Any) -> str:
    return {str: "a string", dict: "an object", bool: "a boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )
