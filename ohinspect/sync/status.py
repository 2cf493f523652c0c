"""What the Sync screen and ``ohinspect sync status`` show: the platform, who is enrolled, the
last successful sync, what is waiting (records, photos, bytes) and open conflicts."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.store.models import Attachment, OutboxEntry, SyncConflict
from ohinspect.sync import local


@dataclass(frozen=True)
class SyncStatus:
    server_url: str
    user: str
    role: str
    jurisdiction: str
    last_success_at: str
    records: int
    photos: int
    bytes: int
    conflicts: int


def sync_status(session: Session) -> SyncStatus:
    newest = select(OutboxEntry.record_type, OutboxEntry.record_id,
                    func.max(OutboxEntry.change_seq).label("m")) \
        .group_by(OutboxEntry.record_type, OutboxEntry.record_id).subquery()
    rows = session.execute(select(OutboxEntry.record_type, OutboxEntry.payload).join(
        newest, (OutboxEntry.record_type == newest.c.record_type)
        & (OutboxEntry.record_id == newest.c.record_id)
        & (OutboxEntry.change_seq == newest.c.m))).all()
    size, blobs = 0, {}
    for record_type, payload in rows:
        size += len(payload.encode("utf-8"))
        if record_type == Attachment.__record_type__:
            data = json.loads(payload)
            blobs[data.get("sha256")] = int(data.get("size") or 0)
    conflicts = session.scalar(select(func.count()).select_from(SyncConflict)
                               .where(SyncConflict.resolved_at.is_(None))) or 0
    return SyncStatus(
        server_url=local.get_meta(session, local.SERVER_URL),
        user=local.get_meta(session, local.USER), role=local.get_meta(session, local.ROLE),
        jurisdiction=local.get_meta(session, local.JURISDICTION),
        last_success_at=local.get_meta(session, local.LAST_SUCCESS),
        records=len(rows), photos=len(blobs), bytes=size + sum(blobs.values()),
        conflicts=conflicts)
