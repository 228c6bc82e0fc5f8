"""Broadcasting over HTTP: a bias answered with its summed gradient and checked by
/api/gradcheck; shapes that do not meet refused with 422 at the gate."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import circuit, entry, gate, inp

M = [[1.0, -2.0, 0.5], [3.0, 1.0, -1.0]]


def test_a_column_bias_is_answered_with_its_summed_gradient(client: TestClient) -> None:
    body = circuit(inp("m", M), inp("b", [[1.0], [-1.0]]), gate("h", "add", "m", "b"))
    answer = client.post("/api/evaluate", json=body).json()
    assert answer["values"]["h"] == [[2.0, -1.0, 1.5], [2.0, 0.0, -2.0]]
    assert answer["gradients"]["b"] == [[3.0], [3.0]]
    assert answer["shapes"]["b"] == [2, 1]


def test_gradcheck_agrees_on_a_broadcast_bias(client: TestClient) -> None:
    body = circuit(
        inp("m", M),
        inp("b", [0.5, -1.0, 2.0]),
        gate("h", "mul", "m", "b"),
        gate("t", "tanh", "h"),
        gate("s", "sum", "t"),
    )
    report = client.post("/api/gradcheck", json=body).json()
    assert report["max_rel_error"] < 1e-7
    assert len(report["inputs"]["b"]["analytic"]) == 3


def test_shapes_that_do_not_broadcast_are_refused_at_the_gate(client: TestClient) -> None:
    body = circuit(inp("m", M), inp("b", [1.0, 2.0]), gate("h", "add", "m", "b"))
    found = entry(client.post("/api/evaluate", json=body), 422)
    assert found["loc"] == ["body", "nodes", 2, "inputs"]
    assert found["node"] == "h" and found["type"] == "shape_mismatch"
    assert "(2, 3) and (2,)" in found["msg"] and "(2, 1), (1, 3) or (3,)" in found["msg"]


def test_a_matmul_mismatch_says_how_many_rows_the_right_side_needs(client: TestClient) -> None:
    body = {"expression": "sum(W @ X)", "values": {"W": M, "X": M}}
    found = entry(client.post("/api/evaluate", json=body), 422)
    assert found["node"] == "matmul1"
    assert "W (2, 3) and X (2, 3): X needs 3 rows" in found["msg"]
