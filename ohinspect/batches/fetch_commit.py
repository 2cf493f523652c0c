"""Committing one verified platform batch in ONE transaction, with the fetch cursor moved in the
same transaction (an interrupted fetch resumes after the last batch committed).

The classification is the file import's (ohinspect/batches/importer.py): already present, new,
updated, conflict, waiting; the merge is sync's (:func:`ohinspect.sync.merge.merge_page`).
Only the order differs: versions fetched from the platform carry the platform's server seq,
the same numbering sync uses, so a version is *superseded* when this store already holds a
later one from the platform (by sync or an earlier fetch: ``sync_record.server_seq``) — a
batch file orders versions by the exporting device's change number instead (``batch_version``).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ohinspect.batches import versions
from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.fetch_verify import VerifiedBatch, photo_hashes
from ohinspect.batches.format import blob_name
from ohinspect.batches.importer import ImportSummary, merge_changes
from ohinspect.batches.keys import TRUSTED_PREFIX
from ohinspect.services.attachments import attachment_path, write_blob_file
from ohinspect.store.database import Store
from ohinspect.store.models import SyncRecord
from ohinspect.store.serialize import canonical_json
from ohinspect.store.uow import Actor, UnitOfWork
from ohinspect.sync import local
from ohinspect.sync import merge_bulk as bulk
from ohinspect.sync.protocol import Change

CURSOR = "batch.fetch.cursor"


def set_cursor(session: Session, server_url: str, seq: int) -> None:
    """The last platform batch seq done, for this platform (another platform starts at 0)."""
    local.set_meta(session, CURSOR, canonical_json({"server": server_url, "seq": seq}))


def server_seqs(session: Session, keys: list[versions.Key]) -> dict[versions.Key, int]:
    """The latest server seq this store holds of each record (0: none from the platform),
    looked up per record type through the (record_type, record_id) index."""
    found: dict[versions.Key, int] = {}
    for record_type, ids in bulk.by_type(keys).items():
        rows = session.execute(select(SyncRecord.record_id, SyncRecord.server_seq).where(
            SyncRecord.record_type == record_type, bulk.one_of(SyncRecord.record_id, ids)))
        found.update({(record_type, r[0]): r[1] or 0 for r in rows})
    return found


def to_merge(session: Session, changes: list[Change], summary: ImportSummary
             ) -> tuple[list[Change], set[versions.Key]]:
    """The versions that are neither here already nor older than what is here (the others
    are counted), and which records this store holds already."""
    keys = [(c.record_type, c.id) for c in changes]
    before, seen = versions.current_hashes(session, keys), server_seqs(session, keys)
    todo = []
    for c, key in zip(changes, keys):
        if before.get(key) == c.hash:
            summary.add(c.record_type, "already")
        elif seen.get(key, 0) >= c.server_seq:
            summary.add(c.record_type, "superseded")
        else:
            todo.append(c)
    return todo, set(before)


def commit_batch(store: Store, actor: Actor, verified: VerifiedBatch, photos: dict[str, Path],
                 server_url: str) -> ImportSummary:
    """Merge what is new, move the photos in, trust a platform-vouched key, audit, move the
    cursor — all or nothing. A batch that brings nothing new only moves the cursor."""
    b = verified.batch
    summary = ImportSummary(Path(b.label), b.batch_id, b.device_id, b.user)
    with store.unit_of_work(actor) as uow:
        s = uow.session
        try:
            todo, here = to_merge(s, verified.changes, summary)
            for c in verified.unavailable:
                summary.add(c.record_type, "superseded")
            missing = [sha for sha in photo_hashes(todo)
                       if sha not in photos and not attachment_path(store, sha).is_file()]
            if missing:
                raise BatchRefused("missing_part", name=blob_name(missing[0]))
            if todo:
                merge_changes(uow, todo, here, summary)
            set_cursor(s, server_url, b.seq)
            if summary.changed:
                _record_import(uow, store, verified, photos, summary)
            uow.commit()
        except (SQLAlchemyError, ValueError, TypeError, KeyError) as exc:
            raise BatchRefused("record_rejected", detail=type(exc).__name__) from exc
    return summary


def _record_import(uow: UnitOfWork, store: Store, verified: VerifiedBatch,
                   photos: dict[str, Path], summary: ImportSummary) -> None:
    b, key = verified.batch, verified.signer
    s = uow.session
    local.set_meta(s, local.VERIFIED, "0")  # records changed: the next sync checks again
    if verified.key_is_new:
        local.set_meta(s, TRUSTED_PREFIX + key.key_id, canonical_json(asdict(key)))
        uow.audit("batch.key_trusted", details={**asdict(key), "source": "platform"})
    for sha, path in photos.items():  # files before the rows are committed
        if not attachment_path(store, sha).is_file():
            write_blob_file(store, sha, path.read_bytes())
            summary.blobs_new += 1
    uow.audit("batch.imported", details={
        "batch_id": b.batch_id, "device_id": b.device_id, "author": b.user,
        "key_id": key.key_id, "source": "platform", "platform_seq": b.seq,
        "counts": summary.counts, "blobs_new": summary.blobs_new})
