"""Fixtures for the store's tests: every test that takes `database_url` runs on SQLite and on
a real PostgreSQL server that this test run starts on 127.0.0.1 (see postgres.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.store import Store
from tests.store.postgres import PostgresServer, find_bin_dir

MakeClient = Callable[..., TestClient]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session; missing PostgreSQL fails under CI=true."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL is not installed (scripts/test installs Debian's postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    server = PostgresServer(bin_dir)
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database: a SQLite file not yet made, or a new database on the server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'circuits.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    with server.database() as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store on an empty database."""
    opened = Store(database_url)
    yield opened
    opened.close()


@pytest.fixture
def make_client(database_url: str) -> Iterator[MakeClient]:
    """Clients for apps on the test database with some settings overridden; the app's
    start-up and shut-down run (``with TestClient``)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = Settings(**{"database_url": database_url, **overrides})
        client = TestClient(create_app(settings)).__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """A client for an app on the test database with the default settings."""
    return make_client()
