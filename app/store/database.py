"""An Engine for any SQLAlchemy URL, and the Alembic upgrade that brings it to the newest schema.

SQLite gets its directory made, foreign keys switched on, write-ahead logging (one
fsync a save instead of several, and reads that do not wait for a save) and a busy timeout
long enough that several workers' saves queue on a loaded machine instead of failing with
"database is locked"; PostgreSQL a connect
timeout and a lock so that two processes starting at once migrate one after the other.
Every pooled connection is pinged before use, so the app recovers by itself when a
database that was down comes back.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT_SECONDS = 5
SQLITE_BUSY_SECONDS = 30  # how long a save waits for another process's write (sqlite3's default: 5)
MIGRATION_LOCK = 7_315_902_416  # any constant: the PostgreSQL advisory lock migrations hold


def make_engine(url: str) -> Engine:
    """An Engine for `url`; connects lazily, so a database that is down is found on first use."""
    parsed = make_url(url)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    if parsed.get_backend_name() == "sqlite":
        connect_args["timeout"] = SQLITE_BUSY_SECONDS
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def sqlite_directory(engine: Engine) -> Path | None:
    """The directory a SQLite file database lives in (None for other databases and :memory:)."""
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return None
    return Path(database).parent


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision` (making a SQLite file's directory first), one
    process at a time: several workers start together."""
    directory = sqlite_directory(engine)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _sqlite_migration_lock(directory), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def _sqlite_migration_lock(directory: Path | None) -> Iterator[None]:
    """An exclusive lock on a file beside a SQLite database while it migrates (PostgreSQL
    takes an advisory lock instead): without it, a second worker starting at the same
    moment finds no schema yet and fails creating the table the first one just made."""
    if directory is None:
        yield
        return
    with open(directory / ".migrate.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
