"""The answer for a circuit with groups, from the answer for its flat circuit.

Every inner node keeps its flat id (``s/e``) in `values` and `gradients`, so the
inside of a group can be shown; the group itself gets its body output's value and
gradient. The trace shows each of the circuit's own groups as one gate: one forward
step, and one backward step whose local gradients (d out / d input, per port) come
from backprop through its inside and whose gradients sent are what its ports passed
on. Running totals are summed again in the order the steps are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.groups import GROUP, Expanded, Group

LocalOf = Callable[[Group, dict[str, Any]], list[Any] | None]


def outer_answer(flat: Expanded, answer: dict[str, Any], local_of: LocalOf) -> dict[str, Any]:
    """`answer` (for `flat.circuit`) as the answer for the circuit with its groups."""
    for table in ("values", "gradients", "shapes"):
        for alias, output in flat.aliases.items():
            answer[table][alias] = answer[table][output]
    follows: dict[str, list[str]] = {}
    for alias, output in flat.aliases.items():
        follows.setdefault(output, []).append(alias)
    answer["order"] = [i for node in answer["order"] for i in (node, *follows.get(node, ()))]
    if flat.output is not None:
        answer["output"] = flat.output
    if "trace" in answer:
        answer["trace"] = _trace(flat, answer, local_of)
    return answer


def _trace(flat: Expanded, answer: dict[str, Any], local_of: LocalOf) -> dict[str, Any]:
    by_output = {group.output: group for group in flat.top}
    outer = {group.output: group.id for group in flat.top}
    forward = []
    for step in answer["trace"]["forward"]:
        group = by_output.get(step["id"])
        if group is not None:
            forward.append({"id": group.id, "op": GROUP, "name": group.name,
                            "inputs": list(group.inputs), "value": step["value"]})  # fmt: skip
        elif step["id"] not in flat.owner:
            forward.append({**step, "inputs": [outer.get(i, i) for i in step["inputs"]]})
    backward = []
    totals: dict[str, Any] = {}
    for step in answer["trace"]["backward"]:
        group = by_output.get(step["id"])
        if group is not None:
            sends = _group_sends(group, answer, local_of)
            entry = {"id": group.id, "op": GROUP, "name": group.name, "upstream": step["upstream"]}
        elif step["id"] not in flat.owner:
            sends = [
                (outer.get(p["input"], p["input"]), p["local"], p["sent"]) for p in step["inputs"]
            ]
            entry = {"id": step["id"], "op": step["op"], "upstream": step["upstream"]}
        else:
            continue
        backward.append({**entry, "inputs": _ports(sends, totals)})
    return {"forward": forward, "backward": backward}


def _group_sends(
    group: Group, answer: dict[str, Any], local_of: LocalOf
) -> list[tuple[str, Any, Any]]:
    """Per port: the input it reads, d out / d port, and what the port passed on."""
    local = local_of(group, answer["values"])
    sent = [answer["gradients"][port] for port in group.flat_ports]
    locals_ = local if local is not None else [None] * len(sent)
    return list(zip(group.inputs, locals_, sent, strict=True))


def _ports(sends: list[tuple[str, Any, Any]], totals: dict[str, Any]) -> list[dict[str, Any]]:
    ports = []
    for port, (node, local, sent) in enumerate(sends):
        accumulated = node in totals
        totals[node] = _plus(totals[node], sent) if accumulated else sent
        ports.append({"port": port, "input": node, "local": local, "sent": sent,
                      "total": totals[node], "accumulated": accumulated})  # fmt: skip
    return ports


def _plus(a: Any, b: Any) -> Any:
    if isinstance(a, float) and isinstance(b, float):
        return a + b
    return (np.asarray(a, dtype=np.float64) + np.asarray(b, dtype=np.float64)).tolist()
