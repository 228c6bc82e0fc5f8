"""Alembic's environment and revisions for the store (run by `app.store.database.migrate`)."""
