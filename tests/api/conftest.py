"""Fixtures for the API tests: an app built from explicit settings, in process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """Build a client for an app with some settings overridden, e.g. ``max_nodes=10``."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(create_app(Settings(**overrides)))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
        client.app.state.evaluations.close()  # type: ignore[attr-defined]


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """A client for an app with the contract's default limits."""
    return make_client()
