"""Saves are limited per client: 429 with Retry-After past the limit, counted per window."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.ratelimit import RateLimited, RateLimiter
from tests.store.conftest import MakeClient
from tests.store.test_store import DRAWN


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_saves_past_the_limit_get_429_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(save_rate_limit=2, save_rate_window=600)
    saved = [client.post("/api/circuits", json={"circuit": DRAWN}) for _ in range(2)]
    assert [response.status_code for response in saved] == [201, 201]
    refused = client.post("/api/circuits", json={"circuit": DRAWN})
    found = refused.json()["detail"][0]
    assert refused.status_code == 429
    assert found["type"] == "rate_limited"
    assert "at most 2 in 600 seconds" in found["msg"]
    assert 590 <= int(refused.headers["retry-after"]) <= 600
    assert client.get(f"/api/circuits/{saved[0].json()['id']}").status_code == 200


def test_the_limit_is_per_client(make_client: MakeClient) -> None:
    client = make_client(save_rate_limit=1)
    assert client.post("/api/circuits", json={"circuit": DRAWN}).status_code == 201
    assert client.post("/api/circuits", json={"circuit": DRAWN}).status_code == 429
    other = TestClient(client.app, client=("192.0.2.7", 50000))
    assert other.post("/api/circuits", json={"circuit": DRAWN}).status_code == 201


def test_a_client_may_save_again_once_the_window_has_passed() -> None:
    clock = FakeClock()
    limiter = RateLimiter("saves", limit=2, window=60, clock=clock)
    limiter.hit("a")
    clock.now += 50
    limiter.hit("a")
    with pytest.raises(RateLimited) as refused:
        limiter.hit("a")
    assert refused.value.headers == {"Retry-After": "10"}
    clock.now += 10  # the first save leaves the window
    limiter.hit("a")
    with pytest.raises(RateLimited) as refused:
        limiter.hit("a")
    assert refused.value.headers == {"Retry-After": "50"}


def test_refused_requests_do_not_count() -> None:
    clock = FakeClock()
    limiter = RateLimiter("saves", limit=1, window=60, clock=clock)
    limiter.hit("a")
    for _ in range(5):
        clock.now += 10
        with pytest.raises(RateLimited):
            limiter.hit("a")
    clock.now += 10
    limiter.hit("a")


def test_clients_gone_quiet_are_forgotten() -> None:
    clock = FakeClock()
    limiter = RateLimiter("saves", limit=5, window=60, clock=clock)
    for client in range(1000):
        limiter.hit(f"10.0.{client // 256}.{client % 256}")
    clock.now += 61
    limiter.hit("a")
    assert list(limiter._seen) == ["a"]
