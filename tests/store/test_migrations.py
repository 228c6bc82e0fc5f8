"""Alembic migrations on SQLite and PostgreSQL: from an empty database, and from the
previous revision with circuits already saved in it."""

from __future__ import annotations

from datetime import UTC, datetime

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
