"""Small builders and an independent numerical derivative for the engine tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

import engine


def single_gate(op: str, values: list[Any], **params: float) -> dict[str, Any]:
    """A circuit of one gate fed by inputs a0, a1, ... holding `values`."""
    names = [f"a{i}" for i in range(len(values))]
    nodes: list[dict[str, Any]] = [
        {"id": name, "op": "input", "value": value}
        for name, value in zip(names, values, strict=True)
    ]
    gate: dict[str, Any] = {"id": "out", "op": op, "inputs": names}
    if params:
        gate["params"] = params
    return {"nodes": [*nodes, gate], "output": "out"}


def central_difference(
    f: Callable[[Mapping[str, Any]], float], point: Mapping[str, Any], h: float = 1e-6
) -> dict[str, Any]:
    """d f / d (each entry of point), by (f(x + h) - f(x - h)) / 2h, element by element."""
    grads: dict[str, Any] = {}
    for name, value in point.items():
        base = np.asarray(value, dtype=float)
        grad = np.zeros_like(base)
        for index in np.ndindex(base.shape):
            sides = []
            for step in (h, -h):
                nudged = base.copy()
                nudged[index] += step
                sides.append(f({**point, name: nudged.tolist()}))
            grad[index] = (sides[0] - sides[1]) / (2 * h)
        grads[name] = grad
    return grads


def output_of(circuit: dict[str, Any]) -> Callable[[Mapping[str, Any]], float]:
    """f(point): the circuit's output (weighted by output_grad) with its inputs set to point."""

    def f(point: Mapping[str, Any]) -> float:
        nodes = [
            {**node, "value": point[node["id"]]} if node["id"] in point else node
            for node in circuit["nodes"]
        ]
        result = engine.evaluate({**circuit, "nodes": nodes}, trace=False)
        weight = np.asarray(circuit.get("output_grad", 1.0))
        return float(np.sum(np.asarray(result["values"][result["output"]]) * weight))

    return f
