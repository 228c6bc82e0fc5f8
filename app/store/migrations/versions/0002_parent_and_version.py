"""Forks and format versions: each circuit may name the circuit it was saved from (`parent`,
indexed), and records the circuit format version it was saved in (1 for rows saved before).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("circuits") as batch:
        batch.add_column(sa.Column("parent", sa.String(32), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.create_foreign_key("fk_circuits_parent", "circuits", ["parent"], ["id"])
        batch.create_index("ix_circuits_parent", ["parent"])


def downgrade() -> None:
    with op.batch_alter_table("circuits") as batch:
        batch.drop_index("ix_circuits_parent")
        batch.drop_constraint("fk_circuits_parent", type_="foreignkey")
        batch.drop_column("version")
        batch.drop_column("parent")
