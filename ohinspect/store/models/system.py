"""Tables every store has from day one: metadata, outbox, audit chain, form drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, UtcDateTime, utcnow


class StoreMeta(Base):
    """Key/value facts about this store: device id, change counter, creating app version."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OutboxEntry(Base):
    """A change waiting to reach the platform; removed only when the server acknowledged it.

    Written in the same transaction as the change itself (ARCHITECTURE: outbox rule).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        # one record's entries (push reads the newest, an acknowledgement deletes those up to
        # the sent change_seq): without it SQLite scans the whole type per record
        # (benchmarks/bench_sync_push.py, tests/integration/sync_proof/test_outbox_lookup_plan.py)
        Index("ix_outbox_record", "record_type", "record_id", "change_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    change_seq: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(10))  # upsert | delete
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON of the record
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEntry(Base):
    """One line of the append-only, hash-chained audit log.

    ``entry_hash = sha256(prev_hash + canonical JSON of the other fields)``; database triggers
    (migration 0001) refuse UPDATE and DELETE, and ``ohinspect check`` re-verifies the chain.
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40), default="")
    record_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class FormDraft(Base):
    """Unsaved form input, written as the user types so a crash loses at most one field.

    Local scratch, never synced; deleted in the same transaction that saves the record.
    """

    __tablename__ = "form_draft"

    form: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(36), primary_key=True)  # record id or "new"
    values: Mapped[str] = mapped_column(Text)  # JSON object of field → text
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
