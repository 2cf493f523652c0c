"""Local-only state of the sync client (docs/design/issue6-sync.md "Client-side local state").

None of these tables carries SyncMixin: they describe this device's relation to the platform
and never travel through the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, UtcDateTime, utcnow


class SyncRecord(Base):
    """The last version of a record the server acknowledged or sent (the *base* of a push)."""

    __tablename__ = "sync_record"

    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    base_hash: Mapped[str] = mapped_column(String(64))
    server_seq: Mapped[int] = mapped_column(Integer, default=0)


class SyncConflict(Base):
    """Both versions of a record that changed on the device and on the platform; a person
    chooses (keep mine / take theirs) — never a silent overwrite."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    local_hash: Mapped[str] = mapped_column(String(64), default="")
    local_payload: Mapped[str] = mapped_column(Text, default="")  # canonical JSON ("" = none)
    server_hash: Mapped[str] = mapped_column(String(64))
    server_payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolution: Mapped[str] = mapped_column(String(20), default="")  # mine | theirs


class SyncBatch(Base):
    """A push in flight: its id is reused on retry until the server answered it."""

    __tablename__ = "sync_batch"

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: [[record_type, record_id, change_seq, hash], …] in the order sent
    item_keys: Mapped[list] = mapped_column(JSON)  # type: ignore[type-arg]


class SyncPending(Base):
    """A received record whose parent has not arrived yet (its page came first); applied as
    soon as the parent is there, so a page never commits a dangling foreign key."""

    __tablename__ = "sync_pending"

    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    server_seq: Mapped[int] = mapped_column(Integer)
