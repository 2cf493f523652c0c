"""The device's side of sync: its meta keys, what is waiting, and turning a received payload
back into a row (the inverse of ``SyncMixin.sync_payload``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, delete, func, select
from sqlalchemy.orm import Session

from ohinspect.store.base import SyncMixin, UtcDateTime
from ohinspect.store.models import (RECORD_TYPES, Base, OutboxEntry, StoreMeta, SyncConflict,
                                    SyncRecord)
from ohinspect.store.serialize import content_hash

SERVER_URL, CURSOR, LAST_SUCCESS = "sync.server_url", "sync.cursor", "sync.last_success_at"
USER, ROLE, JURISDICTION = "sync.user", "sync.role", "sync.jurisdiction"
DEVICE_KEY_PUBLIC = "sync.device_key_public"
#: "1" while nothing changed since a post-sync check found both sides equal
VERIFIED = "sync.verified"


def get_meta(session: Session, key: str, default: str = "") -> str:
    meta = session.get(StoreMeta, key)
    return meta.value if meta is not None else default


def set_meta(session: Session, key: str, value: str) -> None:
    meta = session.get(StoreMeta, key)
    if meta is None:
        session.add(StoreMeta(key=key, value=value))
    else:
        meta.value = value


@lru_cache(maxsize=1)
def type_order() -> list[str]:
    """Record types parents first (from the foreign keys of the schema)."""
    by_table = {m.__tablename__: name for name, m in RECORD_TYPES.items()}  # type: ignore[attr-defined]
    return [by_table[t.name] for t in Base.metadata.sorted_tables if t.name in by_table]


def record_hash(obj: SyncMixin) -> str:
    return content_hash(obj.sync_payload())


def is_locked(obj: SyncMixin) -> bool:
    """Signed or locked (ARCHITECTURE: "A signed record … is frozen")."""
    return getattr(obj, "locked_at", None) is not None or getattr(obj, "status", None) == "signed"


def payload_locks(payload: dict[str, Any]) -> bool:
    return bool(payload.get("locked_at")) or payload.get("status") == "signed"


def _timestamp(raw: Any) -> datetime:
    return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).astimezone(timezone.utc)


def _date(raw: Any) -> date:
    return date.fromisoformat(str(raw))


@lru_cache(maxsize=None)
def value_parsers(model: type[SyncMixin]) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """(key, parser of a non-null JSON value or None if it is the column value) of every
    synced column — worked out once per model, not once per received value."""
    table = model.__table__  # type: ignore[attr-defined]
    return tuple((c.key, _timestamp if isinstance(c.type, UtcDateTime)
                  else _date if isinstance(c.type, Date) else None)
                 for c in table.columns if c.key not in model.LOCAL_COLUMNS)


def row_values(model: type[SyncMixin], payload: dict[str, Any]) -> dict[str, Any]:
    """Column values for ``payload``; every synced column must be present."""
    values: dict[str, Any] = {}
    for key, parse in value_parsers(model):
        raw = payload[key]
        values[key] = raw if parse is None or raw is None else parse(raw)
    return values


def apply_payload(session: Session, record_type: str, payload: dict[str, Any]) -> SyncMixin:
    """Insert or update the row so that its payload equals ``payload`` (flushes)."""
    model = RECORD_TYPES[record_type]
    values = row_values(model, payload)
    obj = session.get(model, payload["id"])
    if obj is None:
        obj = model(**values)
        obj.change_seq = 0
        session.add(obj)
    else:
        for key, value in values.items():
            setattr(obj, key, value)
    session.flush()
    return obj


def set_base(session: Session, record_type: str, record_id: str, base_hash: str,
             server_seq: int | None) -> None:
    row = session.get(SyncRecord, (record_type, record_id))
    if row is None:
        session.add(SyncRecord(record_type=record_type, record_id=record_id, base_hash=base_hash,
                               server_seq=server_seq or 0))
    else:
        row.base_hash = base_hash
        if server_seq:
            row.server_seq = max(row.server_seq, server_seq)


def drop_outbox(session: Session, record_type: str, record_id: str,
                up_to_change_seq: int | None = None) -> int:
    """Remove this record's outbox entries (those with change_seq ≤ ``up_to_change_seq``)."""
    stmt = delete(OutboxEntry).where(OutboxEntry.record_type == record_type,
                                     OutboxEntry.record_id == record_id)
    if up_to_change_seq is not None:
        stmt = stmt.where(OutboxEntry.change_seq <= up_to_change_seq)
    return session.execute(stmt).rowcount or 0  # type: ignore[attr-defined]


def has_pending(session: Session, record_type: str, record_id: str) -> bool:
    return session.scalar(select(func.count()).select_from(OutboxEntry).where(
        OutboxEntry.record_type == record_type, OutboxEntry.record_id == record_id)) > 0


def open_conflict(session: Session, record_type: str, record_id: str) -> SyncConflict | None:
    return session.scalars(select(SyncConflict).where(
        SyncConflict.record_type == record_type, SyncConflict.record_id == record_id,
        SyncConflict.resolved_at.is_(None))).first()


def add_conflict(session: Session, record_type: str, record_id: str, local_payload: str,
                 local_hash: str, server_payload: str, server_hash: str,
                 now: datetime) -> bool:
    """Record a conflict unless the same one is already open; True if one was added."""
    existing = open_conflict(session, record_type, record_id)
    if existing is not None:
        if existing.server_hash == server_hash and existing.local_hash == local_hash:
            return False
        existing.resolved_at, existing.resolution = now, "superseded"
    session.add(SyncConflict(record_type=record_type, record_id=record_id, local_hash=local_hash,
                             local_payload=local_payload, server_hash=server_hash,
                             server_payload=server_payload, detected_at=now))
    return True
