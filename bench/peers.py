"""The same circuits differentiated by peer libraries, timed phase by phase.

Each peer gets the circuit's nodes in file order and builds its own graph, as a user of
that library would write it. Every runner returns its phases' seconds and the gradient
of every input node, so the benchmark can check that the peers agree with us. A peer
that is not installed, or cannot express a circuit (micrograd has no sigmoid and no
tensors), is reported as such, never silently skipped.
"""

from __future__ import annotations

import gc
import importlib.util
import time
from collections.abc import Callable
from typing import Any

import numpy as np

Circuit = dict[str, Any]
Outcome = tuple[dict[str, float], dict[str, Any]]  # phase -> seconds, input id -> gradient


MANY_INPUTS = 2000  # autograd's x[i] builds an n-long gradient per use: O(n^2) beyond this


class CannotExpress(Exception):
    """The peer library has no such operation."""


def _apply(node: dict[str, Any], args: list[Any], lib: dict[str, Callable[..., Any]]) -> Any:
    op, params = node["op"], node.get("params", {})
    binary = {"mul": "__mul__", "add": "__add__", "sub": "__sub__", "matmul": "__matmul__"}
    if op in binary:
        return getattr(args[0], binary[op])(args[1])
    if op == "mul_const":
        return args[0] * params["a"]
    if op == "pow":
        return args[0] ** params["p"]
    if op in lib:
        return lib[op](args[0])
    raise CannotExpress(op)


def _walk(circuit: Circuit, leaf: Callable[[str, Any], Any], lib: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    for node in circuit["nodes"]:
        if node["op"] == "input":
            values[node["id"]] = leaf(node["id"], node["value"])
        else:
            values[node["id"]] = _apply(node, [values[i] for i in node["inputs"]], lib)
    return values[circuit["output"]]


def micrograd(circuit: Circuit) -> Outcome:
    from micrograd.engine import Value

    if any(isinstance(node.get("value"), list) for node in circuit["nodes"]):
        raise CannotExpress("tensors")
    leaves: dict[str, Any] = {}

    def leaf(name: str, value: float) -> Any:
        leaves[name] = Value(value)
        return leaves[name]

    start = time.perf_counter()
    out = _walk(circuit, leaf, {"relu": lambda v: v.relu()})
    built = time.perf_counter()
    out.backward()
    done = time.perf_counter()
    phases = {"build+forward": built - start, "backward": done - built}
    return phases, {name: v.grad for name, v in leaves.items()}


def micrograd_gc_off(circuit: Circuit) -> Outcome:
    """micrograd with the cyclic garbage collector off while it runs."""
    gc.disable()
    try:
        return micrograd(circuit)
    finally:
        gc.enable()


def torch_eager(circuit: Circuit) -> Outcome:
    import torch

    leaves: dict[str, Any] = {}

    def leaf(name: str, value: Any) -> Any:
        leaves[name] = torch.tensor(value, dtype=torch.float64, requires_grad=True)
        return leaves[name]

    lib = {"relu": torch.relu, "sigmoid": torch.sigmoid, "sum": torch.sum}
    start = time.perf_counter()
    out = _walk(circuit, leaf, lib)
    built = time.perf_counter()
    out.backward()
    done = time.perf_counter()
    phases = {"build+forward": built - start, "backward": done - built}
    return phases, {n: 0.0 if t.grad is None else t.grad.numpy() for n, t in leaves.items()}


def hips_autograd(circuit: Circuit) -> Outcome:
    """autograd traces and differentiates in one call: one phase."""
    import autograd.numpy as anp
    from autograd import grad

    names = [node["id"] for node in circuit["nodes"] if node["op"] == "input"]
    if len(names) > MANY_INPUTS:
        raise CannotExpress(f"{len(names)} inputs: each x[i] costs a full-size gradient")
    position = {name: k for k, name in enumerate(names)}
    start = [np.asarray(n["value"], dtype=float) for n in circuit["nodes"] if n["op"] == "input"]
    lib = {
        "relu": lambda v: anp.maximum(v, 0.0),
        "sigmoid": lambda v: 1.0 / (1.0 + anp.exp(-v)),
        "sum": anp.sum,
    }

    def f(xs: Any) -> Any:
        return _walk(circuit, lambda name, _: xs[position[name]], lib)

    begin = time.perf_counter()
    grads = grad(f)(start)
    phases = {"build+forward+backward": time.perf_counter() - begin}
    return phases, dict(zip(names, grads, strict=True))


PEERS: dict[str, tuple[str, Callable[[Circuit], Outcome]]] = {
    "micrograd": ("micrograd", micrograd),
    "micrograd, gc off": ("micrograd", micrograd_gc_off),
    "PyTorch eager": ("torch", torch_eager),
    "HIPS autograd": ("autograd", hips_autograd),
}


def available() -> dict[str, Callable[[Circuit], Outcome] | None]:
    """Each peer's runner, or None where its package is not installed."""
    return {
        name: run if importlib.util.find_spec(module) else None
        for name, (module, run) in PEERS.items()
    }
