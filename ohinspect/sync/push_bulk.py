"""The set-wise half of push (ohinspect/sync/push.py): a batch's outbox entries and bases read
with a few ``IN`` queries, and an acknowledged batch's entries removed with one ``DELETE`` per
chunk — a push costs a handful of statements per batch instead of several per record
(benchmarks/bench_sync_push.py).

Queries name one record type and a list of ids (``record_type = ? AND record_id IN (…)``), which
SQLite answers from ``ix_outbox_record``; a row-value ``(record_type, record_id) IN (VALUES …)``
would scan the whole table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.orm import Session

from ohinspect.store.models import OutboxEntry, SyncRecord
from ohinspect.sync.merge_bulk import chunks

Key = tuple[str, str]
#: (record_type, record_id, change_seq) of one outbox entry
EntryKey = tuple[str, str, int]


def _by_type(keys: Iterable[Sequence[Any]]) -> Iterator[tuple[str, Sequence[str]]]:
    """(record_type, chunk of record ids) covering ``keys`` (record_type, record_id, …)."""
    ids: dict[str, dict[str, None]] = {}
    for key in keys:
        ids.setdefault(key[0], {})[key[1]] = None
    for record_type, of_type in ids.items():
        for chunk in chunks(list(of_type)):
            yield record_type, chunk


def outbox_entries(session: Session, keys: Sequence[EntryKey]) -> dict[EntryKey, Row[Any]]:
    """(payload_hash, operation, payload) of the outbox entry of each key that still exists."""
    wanted = set(keys)
    found: dict[EntryKey, Row[Any]] = {}
    o = OutboxEntry
    for record_type, ids in _by_type(keys):
        for e in session.execute(select(o.record_id, o.change_seq, o.payload_hash, o.operation,
                                        o.payload)
                                 .where(o.record_type == record_type, o.record_id.in_(ids))):
            key = (record_type, e.record_id, e.change_seq)
            if key in wanted:
                found[key] = e
    return found


def base_hashes(session: Session, keys: Sequence[Key]) -> dict[Key, str]:
    """The version the server last acknowledged or sent (``sync_record``) of each record."""
    found: dict[Key, str] = {}
    for record_type, ids in _by_type(keys):
        found.update(((record_type, i), h) for i, h in session.execute(
            select(SyncRecord.record_id, SyncRecord.base_hash).where(
                SyncRecord.record_type == record_type, SyncRecord.record_id.in_(ids))))
    return found


def drop_acknowledged(session: Session, sent: dict[Key, int]) -> int:
    """``local.drop_outbox`` for many records: remove each record's entries whose change_seq is
    at most the one sent for it — an edit made while the batch was in flight stays."""
    doomed: list[int] = []
    for record_type, ids in _by_type(sent):
        doomed.extend(n for n, i, seq in session.execute(
            select(OutboxEntry.id, OutboxEntry.record_id, OutboxEntry.change_seq).where(
                OutboxEntry.record_type == record_type, OutboxEntry.record_id.in_(ids)))
            if seq <= sent[(record_type, i)])
    for chunk in chunks(doomed):
        session.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(chunk)))
    return len(doomed)
