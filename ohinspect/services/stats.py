"""Counts for ``ohinspect stats`` and the status bar."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ohinspect import __version__
from ohinspect.store.database import Store
from ohinspect.store.models import RECORD_TYPES, AuditEntry, OutboxEntry


def store_stats(store: Store) -> dict[str, Any]:
    with store.read() as session:
        records: dict[str, dict[str, int]] = {}
        for name, model in RECORD_TYPES.items():
            live = session.scalar(select(func.count()).select_from(model)
                                  .where(model.deleted_at.is_(None))) or 0
            total = session.scalar(select(func.count()).select_from(model)) or 0
            records[name] = {"live": live, "deleted": total - live}
        outbox_entries = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
        outbox_records = session.scalar(
            select(func.count(func.distinct(OutboxEntry.record_id)))) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return {
        "app_version": __version__,
        "schema_version": store.schema_revision(),
        "device_id": store.device_id,
        "data_dir": str(store.data_dir),
        "records": records,
        "outbox": {"entries": outbox_entries, "records": outbox_records},
        "audit_entries": audit,
    }
