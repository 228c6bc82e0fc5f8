"""A group node's own fields, checked before its body is flattened (`engine.groups`):
its body (a non-empty list of objects with ids), its inputs, its ports (each an input
node of the body, every such node a port, one per input) and its body's output (named,
or the body's only sink), each error pointing inside the group. Groups nest at most
`MAX_DEPTH` deep.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import errors
from engine.values import kind_of

MAX_DEPTH = 8  # groups inside groups


def group_parts(
    node: Mapping[str, Any], loc: errors.Loc, depth: int
) -> tuple[list[Any], str, list[str]]:
    """A group's body nodes, body output and ports, each checked; errors point into it."""
    name = node["id"]
    if not name:
        raise errors.BadCircuitError(
            "a group needs an 'id' that is a non-empty string", loc=(*loc, "id")
        )
    if depth >= MAX_DEPTH:
        raise errors.LimitError(
            f"group '{name}': groups nest more than {MAX_DEPTH} deep", loc=loc, node=name
        )
    body = node.get("body")
    if not isinstance(body, Mapping):
        raise _bad(name, f"needs a 'body', a circuit of its own; got {kind_of(body)}", loc, "body")
    nodes = body.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise _bad(name, "its body needs a non-empty 'nodes' list", loc, "body", "nodes")
    for j, inner in enumerate(nodes):
        if (
            not isinstance(inner, Mapping)
            or not isinstance(inner.get("id"), str)
            or not inner["id"]
        ):
            why = "must be an object with an 'id' that is a non-empty string"
            raise _bad(name, f"body node {j} {why}", loc, "body", "nodes", j)
    inputs = node.get("inputs", [])
    if not isinstance(inputs, list) or not all(isinstance(ref, str) for ref in inputs):
        raise _bad(name, "'inputs' must be a list of node ids", loc, "inputs")
    ports = _ports(name, node.get("ports"), nodes, loc)
    if len(ports) != len(inputs):
        raise errors.ArityError(
            f"group '{name}' has {len(inputs)} input(s) but {len(ports)} port(s); "
            "'ports' names one body input per input",
            loc=(*loc, "inputs"),
            node=name,
        )
    return nodes, _body_output(name, body, nodes, loc), ports


def _ports(name: str, ports: Any, nodes: list[Any], loc: errors.Loc) -> list[str]:
    if not isinstance(ports, list) or not all(isinstance(p, str) for p in ports):
        raise _bad(name, "needs 'ports': the ids of its body's input nodes", loc, "ports")
    inputs = {inner["id"]: j for j, inner in enumerate(nodes) if inner.get("op") == "input"}
    for p, port in enumerate(ports):
        if port not in inputs:
            raise _bad(name, f"port {p} names '{port}', which is not an input node of its body",
                       loc, "ports", p)  # fmt: skip
        if port in ports[:p]:
            raise _bad(name, f"port '{port}' is listed twice", loc, "ports", p)
    for inner_id, j in inputs.items():
        if inner_id not in ports:
            raise _bad(name, f"its body's input '{inner_id}' is not one of its ports",
                       loc, "body", "nodes", j)  # fmt: skip
    return ports


def _body_output(name: str, body: Mapping[str, Any], nodes: list[Any], loc: errors.Loc) -> str:
    named = body.get("output")
    ids = {inner["id"] for inner in nodes}
    if named is not None:
        if not isinstance(named, str) or named not in ids:
            raise errors.OutputError(
                f"group '{name}': its body's output {named!r} is not a node of its body",
                loc=(*loc, "body", "output"),
                node=name,
            )
        return named
    ends = sinks(nodes)
    if len(ends) != 1:
        raise errors.OutputError(
            f"group '{name}': its body has {len(ends)} sinks ({', '.join(ends[:10])}); "
            "name its result in the body's 'output'",
            loc=(*loc, "body", "output"),
            node=name,
        )
    return ends[0]


def _bad(name: str, why: str, loc: errors.Loc, *more: str | int) -> errors.BadCircuitError:
    return errors.BadCircuitError(f"group '{name}' {why}", loc=(*loc, *more), node=name)


def sinks(nodes: list[Any]) -> list[str]:
    """The ids of the nodes no other node reads, in order (odd nodes are skipped)."""
    used = {
        ref
        for node in nodes
        if isinstance(node, Mapping) and isinstance(node.get("inputs"), list)
        for ref in node["inputs"]
        if isinstance(ref, str)
    }
    ids = [node.get("id") for node in nodes if isinstance(node, Mapping)]
    return [i for i in ids if isinstance(i, str) and i not in used]
