"""The checks a circuit passes to be stored, short of evaluating it.

A saved circuit may be half built (open ports, dangling inputs, a cycle), so only
what the size limits and the format need is checked here, with the same checks and
messages as evaluation: a JSON object of a version this engine reads, a non-empty
`nodes` list within `max_nodes`, each node an object, every `value` a finite number
or tensor (a seeded one sized from its spec, never drawn here) within
`max_tensor_elements`, and all values together within `max_total_elements` (an
`output_grad` is held to `max_tensor_elements` as in evaluation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from engine import errors
from engine.circuit import _check_envelope
from engine.values import Limits, check_leaf, kind_of, shape_of


def check_sizes(circuit: Any, limits: Limits = Limits()) -> None:
    """Raise a `CircuitError` if `circuit` is not a circuit or is over a size limit."""
    nodes = _check_envelope(circuit, limits)
    if "output_grad" in circuit:
        check_leaf(circuit["output_grad"], ("output_grad",), None, limits)
    total = 0
    for i, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            raise errors.BadCircuitError(
                f"nodes[{i}] must be an object, got {kind_of(node)}", loc=("nodes", i)
            )
        if "value" in node:
            node_id = node.get("id") if isinstance(node.get("id"), str) else None
            leaf = check_leaf(node["value"], ("nodes", i, "value"), node_id, limits)
            total += math.prod(shape_of(leaf))
        if total > limits.max_total_elements:
            raise errors.LimitError(
                f"the circuit's values reach {total} elements at nodes[{i}], over the limit "
                f"of {limits.max_total_elements} for all nodes together",
                loc=("nodes", i, "value"),
            )
