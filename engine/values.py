"""Limits, and the check every number or tensor from a request goes through."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import errors
from engine.kernels import Value


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


def check_value(value: Any, loc: errors.Loc, node: str | None, limits: Limits) -> Value:
    """A finite number as a float, or a rectangular 1-D/2-D array of them as numpy."""
    where = f"node '{node}'" if node is not None else "/".join(map(str, loc))
    if isinstance(value, bool) or not isinstance(value, int | float | list):
        raise errors.ValueError_(
            f"{where}: value must be a number or a list of numbers, got {kind_of(value)}",
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
    if array.size > limits.max_tensor_elements:
        raise errors.LimitError(
            f"{where}: {array.size} elements is over the limit of {limits.max_tensor_elements}",
            loc=loc,
            node=node,
        )
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise errors.ValueError_(
            f"{where}: value has elements that are not finite", loc=loc, node=node
        )
    return array


def kind_of(value: Any) -> str:
    return {str: "a string", dict: "an object", bool: "a boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )
