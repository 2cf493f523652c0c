"""Pushing the outbox: the newest payload per record, in bounded batches (≤ 250 records,
≤ 4 MB), each with a batch id persisted before sending and reused on retry; an outbox entry
leaves only when the server acknowledged *its* record with change_seq ≤ the one sent
(docs/design/issue6-sync.md "Push"; ARCHITECTURE "A record leaves the outbox only when the
server acknowledges that record")."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.store.base import new_id
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, OutboxEntry, SyncBatch, SyncConflict
from ohinspect.store.serialize import canonical_json
from ohinspect.store.uow import Actor
from ohinspect.sync import local, merge_bulk, push_bulk
from ohinspect.sync.errors import BatchTooLarge, SyncError
from ohinspect.sync.protocol import ACKNOWLEDGED, OUTCOMES, PushItem, PushResponse
from ohinspect.sync.transport import PlatformClient, encode_json

Key = tuple[str, str]
#: 403 code of a batch holding a record outside the user's writable jurisdiction
OUT_OF_SCOPE = "out_of_scope"


@dataclass
class PushStats:
    batches: int = 0
    acknowledged: int = 0
    conflicts: int = 0
    missing_blob: int = 0
    missing_parent: int = 0
    #: sent in this session (answered), and of those the ones whose parent the server lacked
    sent: set[Key] = field(default_factory=set)
    later: set[Key] = field(default_factory=set)
    #: the server's words for records it refused (outside the user's jurisdiction)
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Batch:
    batch_id: str
    items: list[PushItem]
    change_seqs: list[int]
    body: bytes


def encode_batch(batch_id: str, device_id: str, pieces: list[bytes]) -> bytes:
    head = encode_json({"batch_id": batch_id, "device_id": device_id})[:-1]
    return head + b',"items":[' + b",".join(pieces) + b"]}"


def waiting_keys(session: Session, skip: set[Key]) -> list[tuple[str, str, int]]:
    """(record_type, id, newest change_seq) of every record waiting — parents' types first,
    then oldest change first, attachments last (their owner may be any record) — without
    records that have an open conflict (a person decides first) or are in ``skip``."""
    rows = session.execute(
        select(OutboxEntry.record_type, OutboxEntry.record_id, func.max(OutboxEntry.change_seq))
        .group_by(OutboxEntry.record_type, OutboxEntry.record_id)).all()
    held = {tuple(r) for r in session.execute(
        select(SyncConflict.record_type, SyncConflict.record_id)
        .where(SyncConflict.resolved_at.is_(None)))}
    order = local.type_order()
    rank = {t: (t == Attachment.__record_type__, n) for n, t in enumerate(order)}
    keys = [(t, i, s) for t, i, s in rows if (t, i) not in skip and (t, i) not in held]
    return sorted(keys, key=lambda k: (rank.get(k[0], (True, len(order))), k[2]))


def _items(session: Session, keys: list[tuple[str, str, int]],
           bases: Mapping[Key, str | None] | None = None) -> dict[tuple[str, str, int], PushItem]:
    """The item of each key whose outbox entry still exists; base hashes from ``sync_record``
    unless ``bases`` gives them (a resumed batch resends exactly what it sent)."""
    entries = push_bulk.outbox_entries(session, keys)
    if bases is None:
        bases = push_bulk.base_hashes(session, [(t, i) for t, i, _ in entries])
    return {(t, i, seq): PushItem(t, i, e.payload_hash, bases.get((t, i)), e.operation,
                                  json.loads(e.payload))
            for (t, i, seq), e in entries.items()}


def _candidates(session: Session, keys: list[tuple[str, str, int]], window: int
                ) -> Iterator[tuple[int, PushItem | None]]:
    """(change_seq, item or None when its entry is gone) of each key, read ``window`` at a
    time."""
    for start in range(0, len(keys), window):
        part = keys[start:start + window]
        items = _items(session, part)
        for key in part:
            yield key[2], items.get(key)


def build_batch(session: Session, device_id: str, keys: list[tuple[str, str, int]],
                max_items: int, max_bytes: int) -> tuple[Batch | None, int]:
    """The next batch from the front of ``keys``; returns it and how many keys it used."""
    batch_id = new_id()
    overhead = len(encode_batch(batch_id, device_id, []))
    items: list[PushItem] = []
    seqs: list[int] = []
    pieces: list[bytes] = []
    size, used = overhead, 0
    for change_seq, item in _candidates(session, keys, max_items):
        if item is None:  # removed meanwhile (conflict taken theirs): nothing to send
            used += 1
            continue
        piece = encode_json(item.as_json())
        if items and size + len(piece) + 1 > max_bytes:
            break
        items.append(item)
        seqs.append(change_seq)
        pieces.append(piece)
        size += len(piece) + 1
        used += 1
        if len(items) >= max_items:  # full: read no further window
            break
    if not items:
        return None, used
    return Batch(batch_id, items, seqs, encode_batch(batch_id, device_id, pieces)), used


def _resume(session: Session, device_id: str) -> Batch | None:
    """The batch that was sent but never answered, rebuilt byte for byte (None if gone)."""
    row = session.scalars(select(SyncBatch).order_by(SyncBatch.created_at)).first()
    if row is None:
        return None
    items, seqs = [], []
    found = _items(session, [(t, i, seq) for t, i, seq, _, _ in row.item_keys],
                   {(t, i): base for t, i, _, _, base in row.item_keys})
    for record_type, record_id, change_seq, digest, _ in row.item_keys:
        item = found.get((record_type, record_id, change_seq))
        if item is None or item.hash != digest:
            return Batch(row.batch_id, [], [], b"")  # stale: forget it, build afresh
        items.append(item)
        seqs.append(change_seq)
    body = encode_batch(row.batch_id, device_id, [encode_json(i.as_json()) for i in items])
    return Batch(row.batch_id, items, seqs, body)


def _persist(store: Store, actor: Actor, batch: Batch) -> None:
    with store.unit_of_work(actor) as uow:
        uow.session.add(SyncBatch(batch_id=batch.batch_id, created_at=uow.now, item_keys=[
            [i.record_type, i.id, s, i.hash, i.base_hash] for i, s in zip(batch.items,
                                                                          batch.change_seqs)]))
        uow.commit()


def _forget(store: Store, actor: Actor, batch_id: str) -> None:
    with store.unit_of_work(actor) as uow:
        row = uow.session.get(SyncBatch, batch_id)
        if row is not None:
            uow.session.delete(row)
        uow.commit()


def apply_response(store: Store, actor: Actor, batch: Batch, response: PushResponse,
                   stats: PushStats) -> None:
    """One local transaction: drop acknowledged entries, remember bases, store conflicts."""
    sent = {(i.record_type, i.id): (i, s) for i, s in zip(batch.items, batch.change_seqs)}
    with store.unit_of_work(actor) as uow:
        s = uow.session
        counts = dict.fromkeys(OUTCOMES, 0)
        acknowledged: dict[Key, int] = {}
        bases: list[tuple[str, str, str, int | None]] = []
        for r in response.results:
            item, change_seq = sent[(r.record_type, r.id)]
            counts[r.outcome] += 1
            if r.outcome in ACKNOWLEDGED:
                acknowledged[(r.record_type, r.id)] = change_seq
                bases.append((r.record_type, r.id, r.hash, r.server_seq))
            elif r.outcome == "conflict":
                assert r.server_payload is not None and r.server_hash is not None
                local.add_conflict(s, r.record_type, r.id, canonical_json(item.payload), r.hash,
                                   canonical_json(r.server_payload), r.server_hash, uow.now)
                stats.conflicts += 1
            elif r.outcome == "missing_parent":
                stats.later.add((r.record_type, r.id))  # again once its parent went
            else:
                stats.missing_blob += 1  # waits until its file reached the server
        push_bulk.drop_acknowledged(s, acknowledged)
        merge_bulk.set_bases(s, bases)
        row = s.get(SyncBatch, batch.batch_id)
        if row is not None:
            s.delete(row)
        local.set_meta(s, local.VERIFIED, "0")
        uow.audit("sync.pushed", details={"batch_id": batch.batch_id, **counts})
        uow.commit()
    stats.acknowledged += counts["accepted"] + counts["already"]
    stats.batches += 1


def push_outbox(store: Store, actor: Actor, client: PlatformClient, reporter: Reporter,
                stats: PushStats) -> None:
    """Send everything waiting; records whose parent the server lacked go again in another
    round as long as a round still gets something acknowledged."""
    device_id = store.device_id
    with store.read() as session:
        pending = _resume(session, device_id)
    if pending is not None and not pending.items:
        _forget(store, actor, pending.batch_id)
        pending = None
    if pending is not None:
        _send(store, actor, client, pending, stats)
        with store.read() as session:  # a record changed since that batch goes again now
            newest = {(t, i): seq for t, i, seq in waiting_keys(session, set())}
        stats.sent.update((i.record_type, i.id)
                          for i, seq in zip(pending.items, pending.change_seqs)
                          if newest.get((i.record_type, i.id), seq) <= seq)
    while True:
        before = stats.acknowledged
        with store.read() as session:
            keys = waiting_keys(session, stats.sent)
        if not keys:
            break
        _round(store, actor, client, reporter, stats, keys)
        if not stats.later or stats.acknowledged == before:
            break
        stats.sent -= stats.later
        stats.later = set()
    stats.missing_parent = len(stats.later)


def _round(store: Store, actor: Actor, client: PlatformClient, reporter: Reporter,
           stats: PushStats, keys: list[tuple[str, str, int]]) -> None:
    """Batches of at most ``size`` records. A 413 lowers the cap for good; a record outside the
    user's jurisdiction refuses its whole batch, so the batch is halved until that record is
    alone (it stays waiting, reported) and the size grows back afterwards."""
    lim = client.limits
    cap = size = lim.push_max_items
    total, done = len(keys), 0
    while keys:
        reporter.check()
        reporter.progress(done, total, tr("sync.progress.pushing", done=done, total=total))
        with store.read() as session:
            batch, used = build_batch(session, store.device_id, keys, size, lim.push_max_bytes)
        if batch is None:
            keys = keys[used:]
            continue
        _persist(store, actor, batch)  # the id survives a crash and is reused on retry
        try:
            _send(store, actor, client, batch, stats)
        except BatchTooLarge:
            _forget(store, actor, batch.batch_id)
            if size == 1:
                raise
            cap = size = max(1, size // 2)
            continue
        except SyncError as exc:
            if exc.code != OUT_OF_SCOPE:
                raise
            _forget(store, actor, batch.batch_id)  # refused whole: nothing was stored
            if len(batch.items) > 1:
                size = max(1, len(batch.items) // 2)
                continue
            stats.refused.append(exc.user_message())
        keys, done = keys[used:], done + used
        stats.sent.update((i.record_type, i.id) for i in batch.items)
        size = min(cap, size * 2)


def _send(store: Store, actor: Actor, client: PlatformClient, batch: Batch,
          stats: PushStats) -> None:
    response = client.push(batch.body, batch.batch_id, batch.items)
    apply_response(store, actor, batch, response, stats)
