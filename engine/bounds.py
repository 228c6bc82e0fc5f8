"""Cheap size checks that run before validation: they look at lengths only, so a
hostile request is refused before any of its parts are copied, echoed or compiled.

An id past `max_id_chars` is refused without repeating it (a 1 MB id would come back
in the error), and so is a gate with more than `max_gate_inputs` inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import errors
from engine.values import Limits


def check_bounds(circuit: Any, limits: Limits) -> None:
    """Raise `LimitError` for the first node whose id, input ids or input count is too long."""
    nodes = circuit.get("nodes") if isinstance(circuit, Mapping) else None
    if not isinstance(nodes, list):
        return  # not a circuit: validation says why
    for i, node in enumerate(nodes):
        if isinstance(node, Mapping):
            _check_node(i, node, limits)


def _check_node(i: int, node: Mapping[str, Any], limits: Limits) -> None:
    node_id = node.get("id")
    if isinstance(node_id, str) and len(node_id) > limits.max_id_chars:
        raise errors.LimitError(
            f"nodes[{i}]: an id of {len(node_id)} characters is over the limit of "
            f"{limits.max_id_chars} (max_id_chars)",
            loc=("nodes", i, "id"),
        )
    inputs = node.get("inputs")
    if not isinstance(inputs, list):
        return
    shown = node_id if isinstance(node_id, str) else f"nodes[{i}]"
    if len(inputs) > limits.max_gate_inputs:
        raise errors.LimitError(
            f"node '{shown}': {len(inputs)} inputs is over the limit of "
            f"{limits.max_gate_inputs} (max_gate_inputs)",
            loc=("nodes", i, "inputs"),
            node=shown,
        )
    for port, ref in enumerate(inputs):
        if isinstance(ref, str) and len(ref) > limits.max_id_chars:
            raise errors.LimitError(
                f"node '{shown}': input {port} is an id of {len(ref)} characters, over the "
                f"limit of {limits.max_id_chars} (max_id_chars)",
                loc=("nodes", i, "inputs", port),
                node=shown,
            )
