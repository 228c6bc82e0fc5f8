"""A database that is down answers 503 with a clear message; the app recovers when it returns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.store.postgres import PostgresServer
from tests.store.test_store import DRAWN


def assert_unavailable(client: TestClient, circuit_id: str) -> None:
    for response in (
        client.post("/api/circuits", json={"circuit": DRAWN}),
        client.get(f"/api/circuits/{circuit_id}"),
        client.get(f"/c/{circuit_id}"),
    ):
        assert response.status_code == 503, response.text
        found = response.json()["detail"][0]
        assert found["type"] == "store_unavailable"
        assert "cannot be reached" in found["msg"]
        assert response.headers["retry-after"] == "5"
    assert client.get("/api/health").status_code == 200


def assert_serving(client: TestClient) -> str:
    response = client.post("/api/circuits", json={"circuit": DRAWN})
    assert response.status_code == 201, response.text
    circuit_id = str(response.json()["id"])
    assert client.get(f"/api/circuits/{circuit_id}").json()["circuit"] == DRAWN
    return circuit_id


def test_sqlite_at_a_path_that_cannot_be_made_recovers_once_fixed(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data directory should be")
    url = f"sqlite:///{blocker / 'circuits.sqlite3'}"
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert_unavailable(client, "AAAAAAAAAAAAAAAAAAAAAA")
        blocker.unlink()
        assert_serving(client)


@pytest.fixture
def postgres_database(postgres: PostgresServer) -> Iterator[str]:
    with postgres.database() as url:
        yield url


def test_postgres_stopped_and_started_again(
    postgres: PostgresServer, postgres_database: str
) -> None:
    with TestClient(create_app(Settings(database_url=postgres_database))) as client:
        saved = assert_serving(client)
        postgres.stop()
        try:
            assert_unavailable(client, saved)
        finally:
            postgres.start()
        assert_serving(client)
        assert client.get(f"/api/circuits/{saved}").json()["circuit"] == DRAWN


def test_app_started_while_postgres_is_down_migrates_when_it_comes_up(
    postgres: PostgresServer, postgres_database: str
) -> None:
    postgres.stop()
    try:
        client = TestClient(create_app(Settings(database_url=postgres_database))).__enter__()
        assert_unavailable(client, "AAAAAAAAAAAAAAAAAAAAAA")
    finally:
        postgres.start()
    assert_serving(client)
    client.__exit__(None, None, None)
