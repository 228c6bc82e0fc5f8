"""The store on SQLite and PostgreSQL: what is saved comes back exactly, and never changes."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.store import Store, StoreUnavailable
from app.store.models import CircuitRow
from app.store.store import CircuitNotFound, UnknownParent

HOSTILE = "<img src=x onerror=alert(1)>"
# ints stay ints and floats floats, keys keep their order, and ui data rides along
DRAWN: dict[str, Any] = {
    "version": 1,
    "nodes": [
        {"id": "x", "op": "input", "value": -2, "label": HOSTILE, "ui": {"x": 12.5, "y": 40}},
        {"id": "w", "op": "input", "value": [[1.5, 2], [3, 4e-9]]},
        {"id": "q", "op": "mul", "inputs": ["x"], "ui": {"x": 90, "y": 40, "open": [1]}},
    ],
    "output": "q",
    "ui": {"zoom": 1.25, "note": "σ(x) — ünïcode, \x00 and \U0001f600"},
}


def rows(store: Store) -> int:
    with Session(store.engine) as session:
        return int(session.scalar(select(func.count()).select_from(CircuitRow)) or 0)


def save(store: Store, circuit: Any = DRAWN, **fields: Any) -> str:
    return store.save(circuit, version=1, title=fields.get("title"), parent=fields.get("parent"))


def test_saved_circuit_comes_back_exactly_as_saved(store: Store) -> None:
    circuit_id = save(store, title=HOSTILE)
    saved = store.load(circuit_id)
    assert saved.circuit == DRAWN
    assert list(saved.circuit) == list(DRAWN)
    assert saved.circuit["nodes"][1]["value"] == [[1.5, 2], [3, 4e-9]]
    assert isinstance(saved.circuit["nodes"][0]["value"], int)
    assert (saved.title, saved.parent, saved.version) == (HOSTILE, None, 1)
    assert saved.created.utcoffset() is not None


def test_ids_are_random_url_safe_and_128_bits(store: Store) -> None:
    ids = {save(store) for _ in range(20)}
    assert len(ids) == 20
    for circuit_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", circuit_id), circuit_id  # 22 * 6 = 132 bits


def test_fork_remembers_its_parent_and_leaves_the_parent_unchanged(store: Store) -> None:
    original = save(store, title="exercise")
    edited = {**DRAWN, "nodes": [*DRAWN["nodes"], {"id": "z", "op": "input", "value": 3}]}
    fork = save(store, edited, title="solution", parent=original)
    assert fork != original
    assert store.load(fork).parent == original
    assert store.load(fork).circuit == edited
    assert store.load(original).circuit == DRAWN
    assert store.load(original).title == "exercise"


def test_unknown_parent_is_refused_and_nothing_is_saved(store: Store) -> None:
    with pytest.raises(UnknownParent):
        save(store, parent="AAAAAAAAAAAAAAAAAAAAAA")
    assert rows(store) == 0


@pytest.mark.parametrize("circuit_id", ["AAAAAAAAAAAAAAAAAAAAAA", "", "../etc", "x" * 1000, "a b"])
def test_load_unknown_id_raises_not_found(store: Store, circuit_id: str) -> None:
    save(store)
    with pytest.raises(CircuitNotFound):
        store.load(circuit_id)
    assert not store.exists(circuit_id)


@pytest.fixture
def failing_flush() -> Iterator[None]:
    """Every flush fails after its INSERT ran, as if the connection dropped mid-save."""

    def fail(session: Session, context: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("connection lost"))

    event.listen(Session, "after_flush", fail)
    yield
    event.remove(Session, "after_flush", fail)


def test_save_that_fails_midway_leaves_nothing(store: Store, failing_flush: None) -> None:
    with pytest.raises(StoreUnavailable):
        save(store)
    assert rows(store) == 0


def test_a_new_store_on_the_same_database_loses_nothing(database_url: str) -> None:
    first = Store(database_url)
    circuit_id = save(first, title="before the restart")
    first.close()
    second = Store(database_url)
    assert second.load(circuit_id).circuit == DRAWN
    assert second.load(circuit_id).title == "before the restart"
    second.close()


def test_a_sqlite_save_waits_for_another_process_write_past_sqlite3s_default(
    tmp_path: Any,
) -> None:
    """Several workers share one SQLite file: a save that meets another's write lock
    waits for it (here 6 s, past sqlite3's default busy timeout of 5 s) instead of failing
    with "database is locked"."""
    path = tmp_path / "circuits.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.start()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    release = threading.Timer(6.0, lambda: other.execute("COMMIT"))
    release.start()
    try:
        circuit_id = save(store)
    finally:
        release.join()
        other.close()
    assert store.load(circuit_id).circuit == DRAWN
    store.close()
