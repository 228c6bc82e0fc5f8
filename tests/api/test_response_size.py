"""A bound on an answer's size (max_response_bytes): past it, 413 naming the limit and
how to stay under it, in the server's process and in an evaluation process alike."""

from __future__ import annotations

import pytest

from tests.api.conftest import MakeClient
from tests.api.helpers import entry

# tanh of a 30 x 30 tensor, summed: about 48 kB of answer, about 140 kB with the trace
W = [[0.1 * i + 0.01 * j for j in range(30)] for i in range(30)]
TANH = {
    "nodes": [
        {"id": "W", "op": "input", "value": W},
        {"id": "t", "op": "tanh", "inputs": ["W"]},
        {"id": "f", "op": "sum", "inputs": ["t"]},
    ]
}
WHERE = {"here": {}, "in an evaluation process": {"heavy_request_weight": 1}}


@pytest.mark.parametrize("where", list(WHERE))
def test_a_trace_over_the_limit_is_refused_and_the_answer_without_it_fits(
    make_client: MakeClient, where: str
) -> None:
    client = make_client(max_response_bytes=100_000, **WHERE[where])
    found = entry(client.post("/api/evaluate", json=TANH), 413)
    assert found["type"] == "too_large"
    assert "over the limit of 100000 (max_response_bytes)" in found["msg"]
    assert "?trace=false" in found["msg"]
    response = client.post("/api/evaluate", json=TANH, params={"trace": "false"})
    assert response.status_code == 200
    assert len(response.content) <= 100_000
    assert response.json()["gradients"]["W"][0][0] == pytest.approx(1.0)  # 1 - tanh(0)^2


@pytest.mark.parametrize("where", list(WHERE))
def test_any_answer_over_the_limit_is_refused(make_client: MakeClient, where: str) -> None:
    client = make_client(max_response_bytes=20_000, **WHERE[where])
    for path, params in [("/api/evaluate", {"trace": "false"}), ("/api/gradcheck", {})]:
        found = entry(client.post(path, json=TANH, params=params), 413)
        assert "(max_response_bytes); send a smaller circuit" in found["msg"]


def test_the_default_limit_lets_the_trace_through(make_client: MakeClient) -> None:
    response = make_client().post("/api/evaluate", json=TANH)
    assert response.status_code == 200
    assert len(response.json()["trace"]["forward"]) == 3
