"""Instants in the database: always UTC, always aware, one fixed-width ISO form that sorts as text."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_db(instant: datetime) -> str:
    """``2026-01-12T09:00:00.000000+00:00``: fixed width, so text order is time order."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetimes are not stored; attach a time zone first")
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise ValueError(f"naive instant in the database: {text!r}")
    return instant.astimezone(UTC)


def opt_to_db(instant: datetime | None) -> str | None:
    return None if instant is None else to_db(instant)


def opt_from_db(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)
