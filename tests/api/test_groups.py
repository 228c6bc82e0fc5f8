"""Group nodes over HTTP: evaluated, described by GET /api/gates, saved and reopened,
and every malformed group refused with a 4xx that points inside it."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.capacity import request_weight
from tests.api.helpers import assert_still_serving, circuit, entry, gate, inp

SIGMOID_AT_1 = 1 / (1 + math.exp(-1))


def sigmoid_group(client: TestClient, node_id: str, source: str) -> dict[str, Any]:
    """A group holding the sigmoid's expansion as GET /api/gates gives it."""
    gates = {row["op"]: row for row in client.get("/api/gates").json()["gates"]}
    return {
        "id": node_id,
        "op": "group",
        "name": "sigmoid",
        "inputs": [source],
        **gates["sigmoid"]["expansion"],
    }


def neuron(client: TestClient) -> dict[str, Any]:
    """The notes' 2-D neuron with its sigmoid as a group (dot = 1)."""
    inputs = [inp("w0", 2), inp("x0", -1), inp("w1", -3), inp("x1", -2), inp("w2", -3)]
    products = [gate("w0x0", "mul", "w0", "x0"), gate("w1x1", "mul", "w1", "x1")]
    sums = [gate("s", "add", "w0x0", "w1x1"), gate("dot", "add", "s", "w2")]
    return circuit(*inputs, *products, *sums, sigmoid_group(client, "f", "dot"), output="f")


def test_gates_list_the_composites_expansions(client: TestClient) -> None:
    gates = {row["op"]: row for row in client.get("/api/gates").json()["gates"]}
    sigmoid = gates["sigmoid"]["expansion"]
    assert sigmoid["ports"] == ["x"]
    assert [n["op"] for n in sigmoid["body"]["nodes"]] == [
        "input",
        "mul_const",
        "exp",
        "add_const",
        "inv",
    ]
    assert [n["op"] for n in gates["div"]["expansion"]["body"]["nodes"]][2:] == ["inv", "mul"]
    assert gates["tanh"]["expansion"] is not None and gates["mul"]["expansion"] is None


def test_a_grouped_neuron_evaluates_to_the_notes_numbers(client: TestClient) -> None:
    answer = client.post("/api/evaluate", json=neuron(client)).json()
    assert answer["values"]["f"] == pytest.approx(SIGMOID_AT_1)
    assert answer["gradients"]["x0"] == pytest.approx(0.393, abs=1e-3)
    assert answer["gradients"]["w0"] == pytest.approx(-0.196, abs=1e-3)
    assert answer["values"]["f/e"] == pytest.approx(math.exp(-1))
    group_step = answer["trace"]["backward"][0]
    assert group_step["op"] == "group"
    assert group_step["inputs"][0]["local"] == pytest.approx((1 - SIGMOID_AT_1) * SIGMOID_AT_1)


def test_a_grouped_circuit_saves_reopens_and_evaluates_alike(client: TestClient) -> None:
    sent = neuron(client)
    saved = client.post("/api/circuits", json={"circuit": sent, "title": "grouped neuron"})
    assert saved.status_code == 201, saved.text
    reopened = client.get(f"/api/circuits/{saved.json()['id']}").json()["circuit"]
    assert reopened == sent
    again = client.post("/api/evaluate", json=reopened).json()
    assert again["gradients"] == client.post("/api/evaluate", json=sent).json()["gradients"]


@pytest.mark.parametrize(
    ("change", "loc_tail", "words"),
    [
        (
            lambda g: g["body"]["nodes"][2].update(op="exq"),
            ["body", "nodes", 2, "op"],
            "unknown op",
        ),
        (lambda g: g.update(ports="x"), ["ports"], "needs 'ports'"),
        (lambda g: g.update(body=[1]), ["body"], "needs a 'body'"),
        (lambda g: g["body"].update(nodes=[7]), ["body", "nodes", 0], "non-empty string"),
        (lambda g: g.update(inputs=[3]), ["inputs"], "list of node ids"),
        (lambda g: g["body"]["nodes"][4].update(inputs=["f"]), ["body", "nodes"], "cycle"),
    ],
)
def test_a_malformed_group_gets_a_422_pointing_inside_it(
    client: TestClient, change: Any, loc_tail: list[Any], words: str
) -> None:
    body = neuron(client)
    change(body["nodes"][-1])
    error = entry(client.post("/api/evaluate", json=body), 422)
    assert error["loc"][: 3 + len(loc_tail)][:3] == ["body", "nodes", 9]
    assert error["loc"][3 : 3 + len(loc_tail)] == loc_tail and words in error["msg"]
    assert_still_serving(client)


def test_nested_groups_past_the_depth_limit_and_the_node_limit_get_a_4xx(
    client: TestClient, make_client: Any
) -> None:
    node: dict[str, Any] = gate("n", "neg", "a")
    for depth in range(12):
        body = {"nodes": [inp("a", 0), node]}
        node = {"id": f"g{depth}", "op": "group", "inputs": ["a"], "ports": ["a"], "body": body}
    bomb = circuit(inp("a", 1), {**node, "inputs": ["a"]})
    assert "nest more than 8 deep" in entry(client.post("/api/evaluate", json=bomb), 413)["msg"]
    small = make_client(max_nodes=12)
    error = entry(small.post("/api/evaluate", json=neuron(client)), 413)
    assert "over the limit of 12" in error["msg"]
    assert_still_serving(client)


def test_a_groups_body_counts_towards_the_request_weight(client: TestClient) -> None:
    # 10 nodes and 5 values outside, 5 nodes and 1 (ignored) port value inside
    assert request_weight(neuron(client)) == 10 + 5 + 5 + 1


def test_gradcheck_takes_a_grouped_circuit(client: TestClient) -> None:
    report = client.post("/api/gradcheck", json=copy.deepcopy(neuron(client))).json()
    assert report["max_rel_error"] < 1e-6 and set(report["inputs"]) == {
        "w0",
        "x0",
        "w1",
        "x1",
        "w2",
    }
