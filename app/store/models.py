"""The `circuits` table at the newest migration (migrations/versions/ builds it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID_LENGTH = 32  # column width; ids are 22 characters (128 random bits, base64url)


class Base(DeclarativeBase):
    """The declarative base of the store's models."""


class CircuitRow(Base):
    """One saved circuit. Rows are only ever inserted: an edit is a new row with a parent."""

    __tablename__ = "circuits"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    circuit: Mapped[str] = mapped_column(Text)  # the JSON as it was saved
    title: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    parent: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("circuits.id", name="fk_circuits_parent"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)  # the circuit format version it was saved in
