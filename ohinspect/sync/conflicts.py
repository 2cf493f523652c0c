"""Conflicts: the same record changed on this device and on the platform (or a locked record
met another version). A person sees both and chooses; each choice is one unit of work.

- keep mine → the local version is pushed again with base = the server's hash;
- take theirs → the server's version is applied and the record's outbox entries dropped.
A locked local record never changes, so "take theirs" is refused for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import LockedRecordError, NotFoundError
from ohinspect.i18n import tr
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import RECORD_TYPES, OutboxEntry, SyncConflict
from ohinspect.store.serialize import canonical_json, sha256_hex
from ohinspect.store.uow import Actor, UnitOfWork
from ohinspect.sync import local
from ohinspect.sync.errors import SyncError

#: columns every record has that say nothing about its content
_BOOKKEEPING = frozenset({"id", "created_at", "modified_at", "author", "device_id"})
#: what names a record for a person, in order of preference
_NAMING = ("name", "title", "record_number", "task_number", "sample_number", "number")


@dataclass(frozen=True)
class FieldDiff:
    field: str
    mine: Any
    theirs: Any

    @property
    def differs(self) -> bool:
        return self.mine != self.theirs


@dataclass(frozen=True)
class ConflictView:
    id: int
    record_type: str
    record_id: str
    label: str  # the record's name or number, else the start of its id
    detected_at: datetime
    fields: list[FieldDiff]


def _fields(mine: dict[str, Any], theirs: dict[str, Any]) -> list[FieldDiff]:
    names = sorted((mine.keys() | theirs.keys()) - _BOOKKEEPING)
    diffs = [FieldDiff(n, mine.get(n), theirs.get(n)) for n in names]
    return sorted(diffs, key=lambda d: not d.differs)  # what differs first


def _label(mine: dict[str, Any], theirs: dict[str, Any], record_id: str) -> str:
    for key in _NAMING:
        value = mine.get(key) or theirs.get(key)
        if value:
            return str(value)
    return record_id[:8]


def list_conflicts(session: Session) -> list[ConflictView]:
    out = []
    for c in session.scalars(select(SyncConflict).where(SyncConflict.resolved_at.is_(None))
                             .order_by(SyncConflict.detected_at, SyncConflict.id)):
        mine, theirs = json.loads(c.local_payload or "{}"), json.loads(c.server_payload)
        out.append(ConflictView(c.id, c.record_type, c.record_id,
                                _label(mine, theirs, c.record_id), c.detected_at,
                                _fields(mine, theirs)))
    return out


def _open(uow: UnitOfWork, conflict_id: int) -> SyncConflict:
    conflict = uow.session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.resolved_at is not None:
        raise NotFoundError(tr("sync.conflict.gone"))
    return conflict


def _resolve(uow: UnitOfWork, conflict: SyncConflict, resolution: str) -> OpResult:
    conflict.resolved_at, conflict.resolution = uow.now, resolution
    local.set_meta(uow.session, local.VERIFIED, "0")
    local.set_base(uow.session, conflict.record_type, conflict.record_id, conflict.server_hash,
                   None)
    uow.audit("sync.conflict_resolved", conflict.record_type, conflict.record_id,
              {"resolution": resolution, "server_hash": conflict.server_hash,
               "local_hash": conflict.local_hash})
    uow.commit()
    return OpResult(changed(conflict.record_type, conflict.record_id), conflict.record_id)


def keep_mine(store: Store, actor: Actor, conflict_id: int) -> OpResult:
    with store.unit_of_work(actor) as uow:
        conflict = _open(uow, conflict_id)
        s = uow.session
        obj = s.get(RECORD_TYPES[conflict.record_type], conflict.record_id)
        if obj is not None and not local.has_pending(s, conflict.record_type, conflict.record_id):
            payload = canonical_json(obj.sync_payload())  # re-send as it is, row untouched
            s.add(OutboxEntry(record_type=conflict.record_type, record_id=conflict.record_id,
                              change_seq=uow.next_change_seq(),
                              operation="delete" if obj.is_deleted else "upsert",
                              payload=payload, payload_hash=sha256_hex(payload),
                              created_at=uow.now))
        return _resolve(uow, conflict, "mine")


def take_theirs(store: Store, actor: Actor, conflict_id: int) -> OpResult:
    with store.unit_of_work(actor) as uow:
        conflict = _open(uow, conflict_id)
        s = uow.session
        obj = s.get(RECORD_TYPES[conflict.record_type], conflict.record_id)
        if obj is not None and local.is_locked(obj):
            raise LockedRecordError(tr("sync.conflict.locked"))
        savepoint = s.begin_nested()
        try:
            local.apply_payload(s, conflict.record_type, json.loads(conflict.server_payload))
            savepoint.commit()
        except Exception as exc:  # the schema refused it (a lock of its parent, a number)
            savepoint.rollback()
            raise SyncError(tr("sync.conflict.cannot_apply", detail=exc), code="apply") from exc
        local.drop_outbox(s, conflict.record_type, conflict.record_id)
        return _resolve(uow, conflict, "theirs")
