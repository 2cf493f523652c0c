"""Merging received records (docs/design/issue6-sync.md "Pull"), one local transaction per page:

- unknown locally → insert; same content → nothing;
- unchanged locally (nothing in the outbox) and not locked → apply;
- a pending local change, or a locked local record → a conflict row: a person chooses, never a
  silent overwrite ("A locked record never changes" — the schema's lock triggers have the last
  word: a change they refuse becomes a conflict too);
- a record whose parent has not arrived waits in ``sync_pending`` (no dangling foreign key).

Received records get an audit entry ``sync.received`` and never an outbox entry.

The page is handled set-wise (ohinspect/sync/merge_bulk.py): what it needs from the store is
read with a few queries, every record is classified in memory, and the rows are written with
``executemany`` in the order, and with the outcome, of applying them one at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ohinspect.store.models import RECORD_TYPES
from ohinspect.store.serialize import canonical_json, content_hash
from ohinspect.store.uow import UnitOfWork
from ohinspect.sync import local
from ohinspect.sync import merge_bulk as bulk
from ohinspect.sync.protocol import Change

SAME, CONFLICT = "same", "conflict"


@dataclass(frozen=True)
class CheckedChange(Change):
    """A received change whose payload was already checked and turned into column values
    (a batch import does both in one pass, ohinspect/batches/records.py): the merge writes
    ``values`` instead of converting the payload a second time."""

    values: dict[str, Any] = field(compare=False, repr=False)


@dataclass
class MergeStats:
    received: int = 0
    unchanged: int = 0
    conflicts: int = 0
    waiting: int = 0
    record_types: set[str] = field(default_factory=set)


def _resolvable(session: Session, items: list[Change]) -> set[str]:
    """Ids of the items whose parents all exist locally or are themselves resolvable."""
    parents = [[(model, c.payload.get(key)) for key, model in bulk.foreign_keys(c.record_type)
                if c.payload.get(key)] for c in items]
    exists = bulk.existing_ids(session, (ref for refs in parents for ref in refs))
    ok: set[str] = set()
    todo = list(zip(items, parents))
    while True:
        ready = [c for c, refs in todo if all(pid in ok or (model, pid) in exists
                                              for model, pid in refs)]
        if not ready:
            return ok
        ok.update(c.id for c in ready)
        todo = [(c, refs) for c, refs in todo if c.id not in ok]


def _ordered(items: list[Change]) -> list[Change]:
    """Parents first; versions that lock a record after everything else, so its children of
    the same page go in before the lock triggers would refuse them."""
    rank = {t: n for n, t in enumerate(local.type_order())}
    return sorted(items, key=lambda c: (local.payload_locks(c.payload), rank[c.record_type],
                                        c.server_seq))


def _plan(session: Session, page: list[Change]) -> tuple[list[tuple[Change, Any]],
                                                         dict[bulk.Key, bulk.Row]]:
    """What each record needs: nothing (same content), a conflict (locked, or a local change
    pending), or a write (an :class:`~ohinspect.sync.merge_bulk.Op`; kind "" writes nothing)."""
    keys = [(c.record_type, c.id) for c in page]
    rows = bulk.current_rows(session, keys)
    pending = bulk.pending_keys(session, [key for key in keys if key in rows])
    plan: list[tuple[Change, Any]] = []
    for c, key in zip(page, keys):
        row = rows.get(key)
        if row is not None:
            if content_hash(row.payload) == c.hash:
                plan.append((c, SAME))
                continue
            if local.is_locked(SimpleNamespace(**row.values)) or key in pending:  # type: ignore[arg-type]
                plan.append((c, CONFLICT))
                continue
        values = (c.values if isinstance(c, CheckedChange)
                  else local.row_values(RECORD_TYPES[c.record_type], c.payload))
        kind = (bulk.insert_kind(c.record_type, values) if row is None
                else bulk.UPDATE if bulk.differs(c.record_type, row.values, values) else "")
        plan.append((c, bulk.Op(kind, c.record_type, values, c.payload)))
    return plan, rows


def _merge_ready(uow: UnitOfWork, page: list[Change], stats: MergeStats) -> None:
    s = uow.session
    plan, rows = _plan(s, page)
    bulk.write(s, [step for _, step in plan if type(step) is bulk.Op and step.kind])
    bases: list[tuple[str, str, str, int | None]] = []
    received: list[tuple[str, str, str, dict[str, object] | None]] = []
    for item, step in plan:
        if step is SAME:
            bases.append((item.record_type, item.id, item.hash, item.server_seq))
            stats.unchanged += 1
        elif step is CONFLICT or not step.ok:
            row = rows.get((item.record_type, item.id))
            if local.add_conflict(s, item.record_type, item.id,
                                  canonical_json(row.payload) if row is not None else "",
                                  content_hash(row.payload) if row is not None else "",
                                  canonical_json(item.payload), item.hash, uow.now):
                stats.conflicts += 1
        else:
            bases.append((item.record_type, item.id, item.hash, item.server_seq))
            received.append(("sync.received", item.record_type, item.id,
                             {"hash": item.hash, "server_seq": item.server_seq,
                              "author": item.author}))
            stats.record_types.add(item.record_type)
    stats.received += len(received)
    uow.audit_many(received)
    bulk.set_bases(s, bases)


def merge_page(uow: UnitOfWork, items: list[Change], stats: MergeStats) -> None:
    """Merge one page (and whatever was waiting for a parent) inside ``uow``; foreign keys
    are checked at commit, so the order inside the page only has to satisfy the lock rules."""
    s = uow.session
    s.execute(text("PRAGMA defer_foreign_keys = ON"))
    s.flush()
    waiting = [Change(p.record_type, p.record_id, p.hash, json.loads(p.payload), p.server_seq,
                      "", "") for p in bulk.take_waiting(s)]
    newest: dict[tuple[str, str], Change] = {}
    for c in waiting + items:  # only the newest version of a record matters
        key = (c.record_type, c.id)
        if key not in newest or newest[key].server_seq < c.server_seq:
            newest[key] = c
    queue = list(newest.values())
    ok = _resolvable(s, queue)
    _merge_ready(uow, _ordered([c for c in queue if c.id in ok]), stats)
    later = [c for c in queue if c.id not in ok]  # no parent yet: wait for a later page
    bulk.put_waiting(s, [{"record_type": c.record_type, "record_id": c.id, "hash": c.hash,
                          "payload": canonical_json(c.payload), "server_seq": c.server_seq}
                         for c in later])
    stats.waiting = len(later)
