"""The notes' worked example and checks shared by the API tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
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


def run_code(code: str) -> dict[str, Any]:
    """The namespace the staged code leaves behind, run in a fresh one."""
    namespace: dict[str, Any] = {}
    exec(compile(code, "<staged code>", "exec"), namespace)
    return namespace


def assert_code_runs_like_evaluate(client: TestClient, body: Any) -> dict[str, Any]:
    """/api/codegen answers as /api/evaluate does; when both say 200, the code run in a
    fresh namespace holds every value and gradient /api/evaluate gives, to 1e-9 relative."""
    staged = client.post("/api/codegen", json=body)
    evaluated = client.post("/api/evaluate", json=body, params={"trace": "false"})
    assert staged.status_code == evaluated.status_code, (staged.text, evaluated.text)
    if staged.status_code != 200:
        assert staged.json()["detail"] == evaluated.json()["detail"]
        return {}
    answer, expected = staged.json(), evaluated.json()
    namespace = run_code(answer["code"])
    assert answer["names"].keys() == answer["gradients"].keys() == expected["gradients"].keys()
    for what, field in (("gradients", "gradients"), ("names", "values")):
        for node, want in expected[field].items():
            got = np.asarray(namespace[answer[what][node]], dtype=float)
            assert got.shape == np.shape(want), (field, node)
            close = np.allclose(got, want, rtol=1e-9, atol=1e-12)
            assert close, (field, node, got.tolist(), want)
    return dict(answer)


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
