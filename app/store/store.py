"""The Store: save a circuit under a new random id, load it back exactly as it was saved.

Saved circuits never change: an edit saved with a `parent` is a new row that names
the circuit it came from. Each call is one transaction, so a save either completes
or leaves nothing behind. A database that cannot be reached becomes `StoreUnavailable`
(503); the schema is migrated on the first call that reaches the database.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session

from app.errors import ServiceError
from app.store.database import make_engine, migrate
from app.store.models import ID_LENGTH, CircuitRow

log = logging.getLogger("app.store")
ID_BYTES = 16  # 128 random bits: 22 URL-safe characters
ID_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{1,{ID_LENGTH}}}")
RETRY_AFTER_SECONDS = 5


class StoreUnavailable(ServiceError):
    status = 503
    type = "store_unavailable"

    def __init__(self) -> None:
        super().__init__(
            "the database that keeps saved circuits cannot be reached just now; "
            "nothing saved is lost: try again in a few seconds",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


class CircuitNotFound(ServiceError):
    status = 404
    type = "not_found"

    def __init__(self, circuit_id: str) -> None:
        msg = f"no saved circuit has the id {circuit_id!r}"
        super().__init__(msg, loc=("path", "circuit_id"))


class UnknownParent(ServiceError):
    status = 422
    type = "unknown_parent"

    def __init__(self, parent: str) -> None:
        super().__init__(f"parent {parent!r} is not a saved circuit", loc=("body", "parent"))


@dataclass(frozen=True)
class SavedCircuit:
    """A circuit as it was saved, with its id, title, time, parent and format version."""

    id: str
    title: str | None
    circuit: Any
    created: datetime
    parent: str | None
    version: int

    def to_json(self) -> dict[str, Any]:
        """The body of ``GET /api/circuits/<id>``."""
        return {
            "id": self.id,
            "title": self.title,
            "circuit": self.circuit,
            "created": self.created.isoformat(timespec="milliseconds"),
            "parent": self.parent,
            "version": self.version,
        }


class Store:
    """Saved circuits in the database at `url` (any SQLAlchemy URL)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self._migrated = False
        self._lock = threading.Lock()

    def migrate(self) -> None:
        """Bring the schema to the newest revision, once; `StoreUnavailable` if unreachable."""
        if self._migrated:
            return
        with self._lock:
            if not self._migrated:
                with _unavailable_on_failure():
                    migrate(self.engine)
                self._migrated = True

    def start(self) -> None:
        """Migrate now if the database answers; if it is down, the first call that needs it
        migrates (and answers 503 until it can)."""
        try:
            self.migrate()
        except StoreUnavailable:
            log.warning("circuit store: database down at start-up; will migrate on first use")

    def save(
        self, circuit: Mapping[str, Any], *, version: int, title: str | None, parent: str | None
    ) -> str:
        """Store `circuit` under a new random id and return the id."""
        circuit_id = secrets.token_urlsafe(ID_BYTES)
        row = CircuitRow(
            id=circuit_id,
            circuit=orjson.dumps(circuit).decode(),
            title=title,
            created=datetime.now(UTC),
            parent=parent,
            version=version,
        )
        with self._session() as session:
            if parent is not None and _get(session, parent) is None:
                raise UnknownParent(parent)
            session.add(row)
        return circuit_id

    def load(self, circuit_id: str) -> SavedCircuit:
        """The circuit saved under `circuit_id`, or `CircuitNotFound`."""
        with self._session() as session:
            row = _get(session, circuit_id)
            if row is None:
                raise CircuitNotFound(circuit_id)
            return _saved(row)

    def exists(self, circuit_id: str) -> bool:
        """Whether a circuit is saved under `circuit_id`."""
        with self._session() as session:
            return _get(session, circuit_id) is not None

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        self.migrate()
        with _unavailable_on_failure(), Session(self.engine) as session, session.begin():
            yield session


@contextmanager
def _unavailable_on_failure() -> Iterator[None]:
    """Turn a database that cannot be reached (or a data directory that cannot be made)
    into `StoreUnavailable`; anything else is a bug and stays what it is."""
    try:
        yield
    except (OperationalError, InterfaceError, PoolTimeoutError, OSError) as error:
        log.warning("circuit store unavailable: %s", type(error).__name__, exc_info=error)
        raise StoreUnavailable from error


def _get(session: Session, circuit_id: str) -> CircuitRow | None:
    if not ID_PATTERN.fullmatch(circuit_id):
        return None
    return session.get(CircuitRow, circuit_id)


def _saved(row: CircuitRow) -> SavedCircuit:
    created = row.created
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created.astimezone(UTC)
    return SavedCircuit(
        id=row.id,
        title=row.title,
        circuit=orjson.loads(row.circuit),
        created=created,
        parent=row.parent,
        version=row.version,
    )
