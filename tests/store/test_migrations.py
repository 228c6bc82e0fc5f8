"""Alembic migrations on SQLite and PostgreSQL: from an empty database, and from the
previous revision with circuits already saved in it."""

from __future__ import annotations

import fcntl
import threading
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import inspect, text

from app.store import Store
from app.store.database import migrate

SAVED_AT_0001 = [
    ("oldCircuitNumberOne___", {"nodes": [{"id": "x", "op": "input", "value": 3}]}, "first"),
    ("oldCircuitNumberTwo___", {"version": 1, "nodes": [], "ui": {"x": 1}}, None),
]


def test_upgrade_from_empty_makes_the_newest_schema(database_url: str) -> None:
    store = Store(database_url)
    store.migrate()
    schema = inspect(store.engine)
    columns = {column["name"] for column in schema.get_columns("circuits")}
    assert columns == {"id", "circuit", "title", "created", "parent", "version"}
    assert [index["column_names"] for index in schema.get_indexes("circuits")] == [["parent"]]
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0002"
    store.close()


def test_upgrade_from_0001_keeps_saved_circuits(database_url: str) -> None:
    store = Store(database_url)
    migrate(store.engine, "0001")
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    insert = text("INSERT INTO circuits (id, circuit, title, created) VALUES (:i, :c, :t, :d)")
    with store.engine.begin() as connection:
        for circuit_id, circuit, title in SAVED_AT_0001:
            values = {"i": circuit_id, "c": orjson.dumps(circuit).decode(), "t": title}
            connection.execute(insert, {**values, "d": created})
    store.migrate()
    for circuit_id, circuit, title in SAVED_AT_0001:
        saved = store.load(circuit_id)
        assert (saved.circuit, saved.title) == (circuit, title)
        assert (saved.parent, saved.version, saved.created) == (None, 1, created)
    fork = store.save({"nodes": []}, version=1, title=None, parent=SAVED_AT_0001[0][0])
    assert store.load(fork).parent == SAVED_AT_0001[0][0]
    store.close()


def test_sqlite_workers_starting_together_migrate_one_after_the_other(tmp_path: Any) -> None:
    """While one process holds the migration lock beside the SQLite file, another's
    migration waits for it instead of racing it to create the table, and runs once it is
    released."""
    directory = tmp_path / "data"
    store = Store(f"sqlite:///{directory / 'circuits.sqlite3'}")
    directory.mkdir()
    failures: list[BaseException] = []

    def start() -> None:
        try:
            store.migrate()
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    with open(directory / ".migrate.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another worker is migrating
        second = threading.Thread(target=start)
        second.start()
        second.join(timeout=1.0)
        assert second.is_alive(), "the second migration did not wait for the lock"
        fcntl.flock(held, fcntl.LOCK_UN)
    second.join()
    assert failures == []
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0002"
    store.close()
