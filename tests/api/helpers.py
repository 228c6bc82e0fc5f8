"""The notes' worked example and checks shared by the API tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from app.schemas import NOTES_CIRCUIT

JSON = {"content-type": "application/json"}  # for bodies sent as raw bytes

# The notes' (x + y) * z at x = -2, y = 5, z = -4 (also /docs' example), and its numbers.
NOTES_VALUES = {"x": -2, "y": 5, "z": -4, "q": 3, "f": -12}
NOTES_GRADIENTS = {"x": -4, "y": -4, "z": 3, "q": -4, "f": 1}


def circuit(*nodes: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A circuit of `nodes` with any top-level `fields` (output, output_grad...)."""
    return {"nodes": list(nodes), **fields}


def inp(node_id: str, value: Any = 1.0) -> dict[str, Any]:
    """An input node."""
    return {"id": node_id, "op": "input", "value": value}


def gate(node_id: str, op: str, *inputs: str, **params: float) -> dict[str, Any]:
    """A gate node fed by `inputs`."""
    node: dict[str, Any] = {"id": node_id, "op": op, "inputs": list(inputs)}
    if params:
        node["params"] = params
    return node


def entry(response: Response, status: int) -> dict[str, Any]:
    """The single `detail` entry of a refusal, after checking its status and shape."""
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and len(detail) == 1, detail
    assert detail[0]["loc"][0] == "body"
    return dict(detail[0])


def assert_still_serving(client: TestClient) -> None:
    """The server answers the next request with the notes' numbers."""
    response = client.post("/api/evaluate", json=NOTES_CIRCUIT, params={"trace": "false"})
    assert response.status_code == 200, response.text
    assert response.json()["gradients"] == NOTES_GRADIENTS


def children(pid: int) -> list[int]:
    """The processes `pid` started, from any of its threads (a server starts its
    evaluation processes from a worker thread)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # the thread has ended meanwhile
            continue
    return found


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (a server's evaluation processes are among them)."""
    return [pid, *(found for child in children(pid) for found in process_tree(child))]
