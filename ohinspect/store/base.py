"""Declarative base and the columns every syncable record carries.

Per ARCHITECTURE "Data that survives the field": a UUID primary key made on the device,
created/modified timestamps, a monotonically increasing local change counter, the author and
device, and a tombstone instead of a hard delete. Ids are never reused or renumbered.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74
    random bits. Ids made one after another sort together, so inserting a device's records —
    and a supervisor importing thousands of them — appends to the end of every index keyed by
    id instead of touching pages all over it (random version-4 ids did; see
    benchmarks/bench_batch_import.py). Still globally unique without coordination."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = ((ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (rand >> 68) << 64
             | 0b10 << 62 | rand & 0x3FFF_FFFF_FFFF_FFFF)
    return str(uuid.UUID(int=value))


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp; naive datetimes are refused rather than guessed."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncMixin:
    """Columns of every record that travels between devices and the platform."""

    #: the record-type name used in the outbox, audit log and sync protocol
    __record_type__: str = ""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    change_seq: Mapped[int] = mapped_column(Integer, index=True, default=0)
    author: Mapped[str] = mapped_column(String(64), default="")
    device_id: Mapped[str] = mapped_column(String(36), default="")
    modified_by: Mapped[str] = mapped_column(String(64), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, default=None)

    #: columns that stay on this device (not part of the synced content)
    LOCAL_COLUMNS = frozenset({"change_seq"})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def assign(self, values: dict[str, Any]) -> list[str]:
        """Set the fields of ``values``; returns the names of those whose value changed,
        sorted (what an update's audit entry lists)."""
        changed = sorted(k for k, v in values.items() if getattr(self, k) != v)
        for key in changed:
            setattr(self, key, values[key])
        return changed

    def apply_defaults(self) -> None:
        """Fill unset attributes from their column defaults now rather than at flush, so the
        payload written to the outbox equals what the row will hold."""
        for c in self.__table__.columns:  # type: ignore[attr-defined]
            if getattr(self, c.key) is None and c.default is not None:
                arg = c.default.arg  # type: ignore[attr-defined]
                setattr(self, c.key, arg(None) if c.default.is_callable else arg)  # type: ignore[attr-defined]

    def sync_payload(self) -> dict[str, Any]:
        """The record as JSON-ready data: every mapped column except local-only ones."""
        from ohinspect.store.serialize import to_jsonable

        table = self.__table__  # type: ignore[attr-defined]
        return {
            c.key: to_jsonable(getattr(self, c.key))
            for c in table.columns
            if c.key not in self.LOCAL_COLUMNS
        }
