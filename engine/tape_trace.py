"""The teaching trace of a tape run, in the same shape as the general evaluator's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from engine import native
from engine.flat import Flat
from engine.tape_ops import OPS

Step = tuple[int, int, float, float, float]  # input, gate, local, sent, input's total


def tape_trace(
    flat: Flat, values: np.ndarray, grads: np.ndarray, steps: np.ndarray, answer: dict[str, Any]
) -> dict[str, Any]:
    """Every node's forward step, and every backward step the tape took, in order
    (`steps`: one row per step, as `Step`); the dicts are built in C where it is built,
    sharing the float objects of the `answer`'s values and gradients."""
    ids = flat.ids
    ops = list(map(OPS.__getitem__, flat.codes.tolist()))
    if native.module is not None:
        return {
            "forward": native.module.trace_forward(ids, ops, flat.inputs, values, answer["values"]),
            "backward": native.module.trace_backward(ids, ops, grads, steps, answer["gradients"]),
        }
    forward = [
        {"id": node, "op": op, "inputs": list(inputs), "value": value}
        for node, op, inputs, value in zip(ids, ops, flat.inputs, values.tolist(), strict=True)
    ]
    ends = steps[:, :2].astype(np.int64).T.tolist()
    rows: Iterable[Step] = zip(*ends, *steps[:, 2:].T.tolist(), strict=True)
    return {"forward": forward, "backward": _backward(ids, ops, grads.tolist(), rows)}


def _backward(
    ids: list[str], ops: list[str], grads: list[float], steps: Iterable[Step]
) -> list[dict[str, Any]]:
    """One entry per gate, its ports in order; steps arrive gate by gate, port by port."""
    gates: list[dict[str, Any]] = []
    received: set[int] = set()
    ports: list[dict[str, Any]] = []
    last = -1
    for s, d, local, sent, total in steps:
        if d != last:
            ports, last = [], d
            gates.append({"id": ids[d], "op": ops[d], "upstream": grads[d], "inputs": ports})
        ports.append(
            {
                "port": len(ports),
                "input": ids[s],
                "local": local,
                "sent": sent,
                "total": total,
                "accumulated": s in received,
            }
        )
        received.add(s)
    return gates
