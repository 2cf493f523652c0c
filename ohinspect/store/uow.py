"""Unit of work: one write transaction holding the record, its outbox entry and its audit entry.

Services open it, validate, change records, call :meth:`UnitOfWork.record` for each change and
:meth:`UnitOfWork.commit` once. Repositories and helpers never commit (cosmicpython).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ohinspect.store.audit import append_audit, append_audit_many
from ohinspect.store.base import SyncMixin, utcnow
from ohinspect.store.models import OutboxEntry, StoreMeta
from ohinspect.store.serialize import canonical_json, sha256_hex

if TYPE_CHECKING:
    from ohinspect.store.database import Store

CHANGE_SEQ_KEY = "change_seq"


@dataclass(frozen=True)
class Actor:
    """Who makes a change, from which device."""

    user: str
    device_id: str


class UnitOfWork:
    def __init__(self, store: Store, actor: Actor) -> None:
        self.store, self.actor = store, actor
        self.session: Session = store.write_sessionmaker()
        self._committed = False
        self._audit_head: tuple[int, str] | None = None
        self.now = utcnow()

    def __enter__(self) -> UnitOfWork:
        self.session.begin()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    def next_change_seq(self) -> int:
        """The next local change number (safe: the writer's transactions are serial)."""
        meta = self.session.get(StoreMeta, CHANGE_SEQ_KEY)
        if meta is None:
            meta = StoreMeta(key=CHANGE_SEQ_KEY, value="0")
            self.session.add(meta)
        meta.value = str(int(meta.value) + 1)
        return int(meta.value)

    def record(self, obj: SyncMixin, action: str, details: dict[str, Any] | None = None) -> None:
        """Stamp ``obj`` as changed now by this actor, then add its outbox and audit entries."""
        obj.modified_at = self.now
        obj.modified_by = self.actor.user
        if not obj.author:
            obj.author, obj.device_id, obj.created_at = self.actor.user, self.actor.device_id, self.now
        obj.change_seq = self.next_change_seq()
        obj.apply_defaults()
        self.session.add(obj)
        payload = canonical_json(obj.sync_payload())
        self.session.add(OutboxEntry(
            record_type=obj.__record_type__, record_id=obj.id, change_seq=obj.change_seq,
            operation="delete" if obj.is_deleted else "upsert", payload=payload,
            payload_hash=sha256_hex(payload), created_at=self.now,
        ))
        self.audit(action, obj.__record_type__, obj.id, details)

    def audit(self, action: str, record_type: str = "", record_id: str = "",
              details: dict[str, Any] | None = None) -> None:
        """An audit entry for something that is not a record change (a draw, an export…)."""
        entry = append_audit(self.session, at=self.now, actor=self.actor.user,
                             device_id=self.actor.device_id, action=action,
                             record_type=record_type, record_id=record_id, details=details,
                             head=self._audit_head)
        self._audit_head = (entry.seq, entry.entry_hash)

    def audit_many(self, entries: Sequence[tuple[str, str, str, dict[str, Any] | None]]
                   ) -> None:
        """Many audit entries at once, in order — (action, record_type, record_id, details)
        each — written with one statement; the chain is the one :meth:`audit` would build."""
        self.session.flush()  # entries added one by one come first in the chain
        self._audit_head = append_audit_many(self.session, self._audit_head, at=self.now,
                                             actor=self.actor.user,
                                             device_id=self.actor.device_id, entries=entries)

    def commit(self) -> None:
        self.session.commit()
        self._committed = True
