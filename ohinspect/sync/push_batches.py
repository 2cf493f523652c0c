"""Building push batches from the outbox (docs/design/issue6-sync.md "Push"): which records
wait and in what order, the newest payload of each read a window at a time, and the request
body — byte for byte the same when a batch that was sent but never answered is resent."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.store.base import new_id
from ohinspect.store.models import Attachment, OutboxEntry, SyncBatch, SyncConflict
from ohinspect.sync import local, push_bulk
from ohinspect.sync.protocol import PushItem
from ohinspect.sync.transport import encode_json

Key = tuple[str, str]


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


def resume_batch(session: Session, device_id: str) -> Batch | None:
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
