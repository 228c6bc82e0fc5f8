"""Compound nodes: a group's body flattened into primitive gates before compiling.

A group node holds a circuit of its own::

    {"id": "s", "op": "group", "name": "sigmoid", "inputs": ["dot"],
     "ports": ["x"], "body": {"nodes": [{"id": "x", "op": "input", "value": 0}, ...],
                              "output": "f"}}

`ports` names the body's input nodes in the order of the group's `inputs`. `expand`
turns a circuit holding groups into one holding none, so there is one evaluation path:
every inner node gets the id ``s/<its id>`` (``s/t/<id>`` when nested), each port
becomes an exact identity gate (scale by 1) reading the group's input, and whatever
read ``s`` reads its body's output. Errors found in the flat circuit point back into
the body (`Expanded.relocated`); `engine.group_trace.outer_answer` turns the flat answer
into the grouped circuit's. `engine.group_check` checks a group's own fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from engine import errors
from engine.group_check import group_parts, sinks
from engine.values import Limits

GROUP = "group"
SEP = "/"
_get: Callable[..., Any] = dict.get  # mapped over many nodes at once


@dataclass
class Group:
    """A group as the flat circuit holds it."""

    id: str  # its id in the circuit that holds it
    inputs: list[str]  # the ids it reads there
    ports: list[str]  # the body's input nodes, in port order
    flat_ports: list[str]  # their identity gates' flat ids
    output: str  # the flat id of its body's output
    body: Mapping[str, Any]
    name: str  # its `name`, or its id


@dataclass
class Expanded:
    """A circuit with its groups flattened, and the way back to the groups."""

    circuit: dict[str, Any]
    paths: list[errors.Loc] = field(default_factory=list)  # flat index -> loc in the request
    top: list[Group] = field(default_factory=list)  # the circuit's own groups
    aliases: dict[str, str] = field(default_factory=dict)  # every group's flat id -> output's
    owner: dict[str, str] = field(default_factory=dict)  # inner flat id -> top group's id
    output: str | None = None  # the circuit's output, as it names it

    @contextmanager
    def relocated(self) -> Iterator[None]:
        """Errors about a flat node point at that node inside its group's body."""
        try:
            yield
        except errors.CircuitError as error:
            loc = error.loc
            if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
                error.loc = (*self.paths[loc[1]], *loc[2:])
            raise


def located(flat: Expanded | None) -> AbstractContextManager[None]:
    """Relocate errors about `flat`'s nodes (nothing to do without groups)."""
    return nullcontext() if flat is None else flat.relocated()


def holds_groups(circuit: Any) -> bool:
    """Does the circuit have a node whose op is "group" (at its top level)?"""
    nodes = circuit.get("nodes") if isinstance(circuit, Mapping) else None
    if not isinstance(nodes, list):
        return False
    try:  # one pass in C when every node is a dict, as in nearly every request
        return GROUP in map(_get, nodes, repeat("op"))
    except TypeError:
        return any(isinstance(node, Mapping) and node.get("op") == GROUP for node in nodes)


def expand(circuit: Any, limits: Limits) -> Expanded | None:
    """The circuit with every group flattened, or None when it holds no group."""
    if not holds_groups(circuit):
        return None
    nodes = circuit["nodes"]
    flat = Expanded(circuit={})
    names = _names(nodes, "", ("nodes",), 0)
    flattener = _Flattener(flat, limits)
    flattener.level(nodes, "", ("nodes",), 0, None, names)
    flat.circuit = {**circuit, "nodes": flattener.nodes}
    flat.output = _outer_output(circuit, nodes)
    if flat.output is not None:
        flat.circuit["output"] = names.get(flat.output, flat.output)
    return flat


def _outer_output(circuit: Mapping[str, Any], nodes: list[Any]) -> str | None:
    named = circuit.get("output")
    if named is not None:
        return named if isinstance(named, str) else None
    ends = sinks(nodes)
    return ends[0] if len(ends) == 1 else None


def _names(nodes: list[Any], prefix: str, path: errors.Loc, depth: int) -> dict[str, str]:
    """Each node's flat id at this level: its prefixed id, or a group's output's."""
    names: dict[str, str] = {}
    for i, node in enumerate(nodes):
        node_id = node.get("id") if isinstance(node, Mapping) else None
        if isinstance(node_id, str) and node_id in names:
            raise errors.DuplicateIdError(
                f"node id '{node_id}' is used twice", loc=(*path, i, "id"), node=node_id
            )
        if isinstance(node_id, str):
            names[node_id] = _flat_id(node, prefix, (*path, i), depth)
    return names


def _flat_id(node: Mapping[str, Any], prefix: str, loc: errors.Loc, depth: int) -> str:
    """A node's flat id; a group's is its body output's, followed down nested groups."""
    if node.get("op") != GROUP:
        return prefix + str(node["id"])
    body, output, _ = group_parts(node, loc, depth)
    j = next(j for j, inner in enumerate(body) if inner["id"] == output)
    return _flat_id(body[j], f"{prefix}{node['id']}{SEP}", (*loc, "body", "nodes", j), depth + 1)


class _Flattener:
    """Emits the flat nodes in file order, each group's body in its place."""

    def __init__(self, flat: Expanded, limits: Limits) -> None:
        self.flat, self.limits = flat, limits
        self.nodes: list[Any] = []

    def emit(self, node: Any, loc: errors.Loc, owner: str | None) -> None:
        if len(self.nodes) >= self.limits.max_nodes:
            raise errors.LimitError(
                f"the circuit and its groups' bodies hold over {self.limits.max_nodes} nodes "
                f"in all, over the limit of {self.limits.max_nodes}",
                loc=loc,
            )
        self.nodes.append(node)
        self.flat.paths.append(loc)
        if owner is not None and isinstance(node, Mapping):
            self.flat.owner[node["id"]] = owner

    def level(
        self,
        nodes: list[Any],
        prefix: str,
        path: errors.Loc,
        depth: int,
        feeds: dict[str, str] | None,
        names: dict[str, str],
    ) -> None:
        """Emit one level's nodes; `feeds` maps its ports to the flat ids they read."""
        owner = prefix.split(SEP, 1)[0] if prefix else None
        for i, node in enumerate(nodes):
            loc = (*path, i)
            node_id = node.get("id") if isinstance(node, Mapping) else None
            if not isinstance(node_id, str):
                self.emit(node, loc, None)  # validation says what is wrong with it
            elif node.get("op") == GROUP:
                self.group(node, loc, prefix, depth, names)
            elif feeds is not None and node_id in feeds:
                port = {"id": prefix + node_id, "op": "mul_const", "params": {"a": 1.0}}
                self.emit({**port, "inputs": [feeds[node_id]]}, loc, owner)
            else:
                self.emit(_renamed(node, prefix, names), loc, owner)

    def group(
        self,
        node: Mapping[str, Any],
        loc: errors.Loc,
        prefix: str,
        depth: int,
        names: dict[str, str],
    ) -> None:
        body, output, ports = group_parts(node, loc, depth)
        inner = f"{prefix}{node['id']}{SEP}"
        reads = [names.get(ref, prefix + ref) for ref in node["inputs"]]
        body_path = (*loc, "body", "nodes")
        body_names = _names(body, inner, body_path, depth + 1)
        self.level(
            body, inner, body_path, depth + 1, dict(zip(ports, reads, strict=True)), body_names
        )
        self.flat.aliases[prefix + node["id"]] = body_names[output]
        if depth == 0:
            group = Group(
                node["id"], list(node["inputs"]), ports, [inner + p for p in ports],
                body_names[output], {**node["body"], "output": output},
                node["name"] if isinstance(node.get("name"), str) else node["id"],
            )  # fmt: skip
            self.flat.top.append(group)


def _renamed(node: Mapping[str, Any], prefix: str, names: dict[str, str]) -> Any:
    """The node with its id prefixed and its inputs read as flat ids (itself if unchanged)."""
    inputs = node.get("inputs")
    reads = inputs
    if isinstance(inputs, list):
        reads = [names.get(ref, prefix + ref) if isinstance(ref, str) else ref for ref in inputs]
    if not prefix and reads == inputs:
        return node
    return {**node, "id": prefix + node["id"], "inputs": reads}
