"""The same random circuit evaluated (forward + backward) by peer libraries.

Each peer gets the circuit's nodes in file order and builds its own graph, as a user of
that library would write it; the measured time covers building, forward and backward.
A peer that is not installed is reported as missing, never silently skipped.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

Circuit = dict[str, Any]


def _apply(node: dict[str, Any], args: list[Any], relu: Callable[[Any], Any]) -> Any:
    op, params = node["op"], node.get("params", {})
    if op == "mul":
        return args[0] * args[1]
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op == "mul_const":
        return args[0] * params["a"]
    if op == "pow":
        return args[0] ** params["p"]
    if op == "relu":
        return relu(args[0])
    raise ValueError(f"the peers are only given the random circuit's gates, not {op!r}")


def _walk(circuit: Circuit, leaf: Callable[[str, float], Any], relu: Callable[[Any], Any]) -> Any:
    values: dict[str, Any] = {}
    for node in circuit["nodes"]:
        if node["op"] == "input":
            values[node["id"]] = leaf(node["id"], node["value"])
        else:
            values[node["id"]] = _apply(node, [values[i] for i in node["inputs"]], relu)
    return values[circuit["output"]]


def micrograd(circuit: Circuit) -> None:
    from micrograd.engine import Value

    inputs: list[Any] = []

    def leaf(name: str, value: float) -> Any:
        inputs.append(Value(value))
        return inputs[-1]

    _walk(circuit, leaf, lambda v: v.relu()).backward()


def hips_autograd(circuit: Circuit) -> None:
    import autograd.numpy as anp
    from autograd import grad

    names = [n["id"] for n in circuit["nodes"] if n["op"] == "input"]
    start = anp.array([n["value"] for n in circuit["nodes"] if n["op"] == "input"])

    def f(x: Any) -> Any:
        return _walk(circuit, lambda name, _: x[names.index(name)], lambda v: anp.maximum(v, 0.0))

    grad(f)(start)


def torch_eager(circuit: Circuit) -> None:
    import torch

    inputs: list[Any] = []

    def leaf(name: str, value: float) -> Any:
        inputs.append(torch.tensor(value, dtype=torch.float64, requires_grad=True))
        return inputs[-1]

    _walk(circuit, leaf, torch.relu).backward()


PEERS: dict[str, tuple[str, Callable[[Circuit], None]]] = {
    "micrograd": ("micrograd", micrograd),
    "HIPS autograd": ("autograd", hips_autograd),
    "PyTorch eager": ("torch", torch_eager),
}


def available() -> dict[str, Callable[[Circuit], None] | None]:
    """Each peer's runner, or None where its package is not installed."""
    return {
        name: run if importlib.util.find_spec(module) else None
        for name, (module, run) in PEERS.items()
    }
