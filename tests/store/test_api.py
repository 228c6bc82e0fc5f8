"""POST /api/circuits, GET /api/circuits/<id> and GET /c/<id>, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.settings import REPO_STATIC
from tests.api.helpers import circuit, entry, gate, inp
from tests.api.test_hostile import HOSTILE_JSON, HOSTILE_RAW
from tests.store.conftest import MakeClient
from tests.store.test_store import DRAWN, HOSTILE


def save(client: TestClient, body: dict[str, Any]) -> str:
    response = client.post("/api/circuits", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_save_answers_201_with_id_and_link(client: TestClient) -> None:
    response = client.post("/api/circuits", json={"circuit": DRAWN})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "url"}
    assert body["url"] == f"/c/{body['id']}"
    assert response.headers["location"] == f"/api/circuits/{body['id']}"


def test_read_returns_the_circuit_exactly_as_saved(client: TestClient) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    circuit_id = save(client, {"circuit": DRAWN, "title": HOSTILE})
    response = client.get(f"/api/circuits/{circuit_id}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert {k: body[k] for k in ("id", "title", "circuit", "parent", "version")} == {
        "id": circuit_id,
        "title": HOSTILE,
        "circuit": DRAWN,
        "parent": None,
        "version": 1,
    }
    assert before <= datetime.fromisoformat(body["created"]) <= datetime.now(UTC)


def test_saving_an_edit_makes_a_fork_that_names_its_parent(client: TestClient) -> None:
    original = save(client, {"circuit": DRAWN, "title": "exercise"})
    edited = {**DRAWN, "output": "x"}
    fork = save(client, {"circuit": edited, "title": "my answer", "parent": original})
    assert fork != original
    assert client.get(f"/api/circuits/{fork}").json()["parent"] == original
    assert client.get(f"/api/circuits/{fork}").json()["circuit"] == edited
    assert client.get(f"/api/circuits/{original}").json()["circuit"] == DRAWN


def test_unknown_parent_is_refused_422(client: TestClient) -> None:
    response = client.post("/api/circuits", json={"circuit": DRAWN, "parent": "nope"})
    found = entry(response, 422)
    assert found["loc"] == ["body", "parent"]
    assert "nope" in found["msg"]


@pytest.mark.parametrize(
    "half_built",
    [
        circuit(inp("x"), gate("f", "mul", "x")),  # an open port
        circuit(inp("x"), gate("f", "add", "x", "y")),  # a wire to nothing yet
        circuit(gate("a", "neg", "b"), gate("b", "neg", "a")),  # a cycle
        circuit(inp("x"), inp("y")),  # two sinks and no output named
    ],
)
def test_a_circuit_that_would_not_evaluate_can_still_be_saved(
    client: TestClient, half_built: dict[str, Any]
) -> None:
    assert client.post("/api/evaluate", json=half_built).status_code == 422
    circuit_id = save(client, {"circuit": half_built})
    assert client.get(f"/api/circuits/{circuit_id}").json()["circuit"] == half_built


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ([DRAWN], ["body"]),
        ({"title": "no circuit"}, ["body", "circuit"]),
        ({"circuit": DRAWN, "extra": 1}, ["body", "extra"]),
        ({"circuit": DRAWN, "title": 5}, ["body", "title"]),
        ({"circuit": DRAWN, "title": "t" * 201}, ["body", "title"]),
        ({"circuit": DRAWN, "title": "nul \u0000 in a title"}, ["body", "title"]),
        ({"circuit": DRAWN, "parent": 5}, ["body", "parent"]),
        ({"circuit": [1]}, ["body", "circuit"]),
        ({"circuit": {"nodes": "x"}}, ["body", "circuit", "nodes"]),
        ({"circuit": {"nodes": []}}, ["body", "circuit", "nodes"]),
        ({"circuit": {"nodes": [7]}}, ["body", "circuit", "nodes", 0]),
        ({"circuit": circuit(inp("x", "1"))}, ["body", "circuit", "nodes", 0, "value"]),
        ({"circuit": circuit(inp("x", [[1], [2, 3]]))}, ["body", "circuit", "nodes", 0, "value"]),
        ({"circuit": {**DRAWN, "version": 99}}, ["body", "circuit", "version"]),
        ({"circuit": {**DRAWN, "output_grad": "x"}}, ["body", "circuit", "output_grad"]),
    ],
)
def test_malformed_body_is_refused_422_saying_where(
    client: TestClient, body: Any, loc: list[Any]
) -> None:
    assert entry(client.post("/api/circuits", json=body), 422)["loc"] == loc


def test_malformed_json_is_refused_422(client: TestClient) -> None:
    response = client.post("/api/circuits", content=b'{"circuit": {', headers=JSON_TYPE)
    assert entry(response, 422)["type"] == "json_invalid"


JSON_TYPE = {"content-type": "application/json"}


def test_size_limits_are_those_of_evaluation(make_client: MakeClient) -> None:
    client = make_client(max_nodes=3, max_tensor_elements=4, max_total_elements=6)
    nodes = [inp(f"x{i}") for i in range(4)]
    found = entry(client.post("/api/circuits", json={"circuit": circuit(*nodes)}), 413)
    assert (found["loc"], "3" in found["msg"]) == (["body", "circuit", "nodes"], True)
    too_big = circuit(inp("x", [1, 2, 3, 4, 5]))
    found = entry(client.post("/api/circuits", json={"circuit": too_big}), 413)
    assert (found["loc"], "4" in found["msg"]) == (["body", "circuit", "nodes", 0, "value"], True)
    big_grad = circuit(inp("x"), output_grad=[1, 2, 3, 4, 5])
    found = entry(client.post("/api/circuits", json={"circuit": big_grad}), 413)
    assert (found["loc"], "4" in found["msg"]) == (["body", "circuit", "output_grad"], True)
    too_many = circuit(inp("a", [1, 2, 3, 4]), inp("b", [1, 2, 3]))
    found = entry(client.post("/api/circuits", json={"circuit": too_many}), 413)
    assert (found["loc"], "6" in found["msg"]) == (["body", "circuit", "nodes", 1, "value"], True)
    assert client.post("/api/circuits", json={"circuit": circuit(*nodes[:3])}).status_code == 201


def test_body_limit_applies_to_saves(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=1000)
    big = {"circuit": DRAWN, "title": "t" * 100, "padding": "p" * 1000}
    assert "1000 bytes" in entry(client.post("/api/circuits", json=big), 413)["msg"]


def test_hostile_bodies_never_get_5xx(make_client: MakeClient) -> None:
    client = make_client(save_rate_limit=1000)
    for hostile in HOSTILE_JSON:
        for body in (hostile, {"circuit": hostile}, {"circuit": DRAWN, "title": hostile}):
            response = client.post("/api/circuits", json=body)
            assert response.status_code in {201, 413, 415, 422}, (body, response.text)
    for raw in HOSTILE_RAW:
        response = client.post("/api/circuits", content=raw, headers=JSON_TYPE)
        assert 400 <= response.status_code < 500, (raw[:40], response.text)


@pytest.mark.parametrize("circuit_id", ["AAAAAAAAAAAAAAAAAAAAAA", "bad.id~!", "x" * 5000])
def test_read_unknown_id_is_404(client: TestClient, circuit_id: str) -> None:
    save(client, {"circuit": DRAWN})
    response = client.get(f"/api/circuits/{circuit_id}")
    assert response.status_code == 404
    found = response.json()["detail"][0]
    assert (found["loc"], found["type"]) == (["path", "circuit_id"], "not_found")


def test_there_is_no_listing(client: TestClient) -> None:
    circuit_id = save(client, {"circuit": DRAWN})
    for path in ("/api/circuits", "/api/circuits/", "/c/", "/c"):
        response = client.get(path)
        assert response.status_code in {404, 405}, path
        assert circuit_id not in response.text


def test_link_opens_the_app_for_a_saved_circuit(client: TestClient) -> None:
    circuit_id = save(client, {"circuit": DRAWN})
    response = client.get(f"/c/{circuit_id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == (REPO_STATIC / "index.html").read_text()


def test_link_to_an_unknown_id_is_a_404_page(client: TestClient) -> None:
    response = client.get("/c/AAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "No saved circuit at this link" in response.text
    assert '<a href="/">' in response.text


def test_a_restarted_app_loses_nothing(make_client: MakeClient) -> None:
    first = make_client()
    circuit_id = save(first, {"circuit": DRAWN, "title": "before"})
    first.__exit__(None, None, None)
    body = make_client().get(f"/api/circuits/{circuit_id}").json()
    assert (body["circuit"], body["title"]) == (DRAWN, "before")


def test_a_circuit_saved_in_an_older_format_version_still_opens(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    circuit_id = save(client, {"circuit": DRAWN})
    monkeypatch.setattr("engine.circuit.FORMAT_VERSION", 2)  # the engine moves on to version 2
    response = client.get(f"/api/circuits/{circuit_id}")
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["circuit"]) == (1, DRAWN)
    assert client.post("/api/circuits", json={"circuit": DRAWN}).status_code == 422


def test_a_seeded_value_is_kept_as_written(client: TestClient) -> None:
    seeded = circuit(inp("W", {"shape": [5, 10], "seed": 3}), gate("s", "sum", "W"))
    circuit_id = save(client, {"circuit": seeded})
    assert client.get(f"/api/circuits/{circuit_id}").json()["circuit"] == seeded
    too_big = circuit(inp("W", {"shape": [5000, 5000], "seed": 3}))
    assert entry(client.post("/api/circuits", json={"circuit": too_big}), 413)["loc"] == [
        "body",
        "circuit",
        "nodes",
        0,
        "value",
        "shape",
    ]
