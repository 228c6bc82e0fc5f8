"""Saved circuits: SQLAlchemy models, Alembic migrations and the `Store` the routes use.

    store.py       Store: save a circuit (never changed afterwards), load one by id
    database.py    an Engine for any SQLAlchemy URL (SQLite by default), and migrate()
    models.py      the `circuits` table as the ORM sees it at the newest revision
    migrations/    Alembic revisions, run on start-up and again on first use if the
                   database was down then

Any SQLAlchemy URL works; PostgreSQL through psycopg 3 (``postgresql+psycopg://``).
"""

from app.store.store import SavedCircuit, Store, StoreUnavailable

__all__ = ["SavedCircuit", "Store", "StoreUnavailable"]
