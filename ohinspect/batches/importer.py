"""Importing batches as a supervisor (issue 7 item 2): verify and stage (ohinspect/batches/
reader.py), check records and jurisdiction, then commit everything in ONE transaction through
the merge sync's pull uses (ohinspect/sync/merge.py), photos moved into the attachment store
just before the commit. Any refusal changes nothing; the staging folder is removed on every
outcome. Re-importing a batch changes nothing; batches may arrive in any order (a record whose
parent is in a batch not yet imported waits, as in sync; an older version from the same device
is superseded — ohinspect/batches/versions.py)."""

from __future__ import annotations

import gc
import shutil
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ohinspect.batches import scope, versions
from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.format import SHA256, blob_name
from ohinspect.batches.limits import load_limits
from ohinspect.batches.reader import StagedBatch, stage_batch
from ohinspect.batches.records import BatchRecords, read_records
from ohinspect.progress import Reporter
from ohinspect.services.attachments import attachment_path, move_blob_files
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, SyncConflict, SyncPending
from ohinspect.store.uow import Actor, UnitOfWork
from ohinspect.sync import local
from ohinspect.sync.merge import MergeStats, merge_page
from ohinspect.sync.protocol import Change

STAGING_DIR = "staging"
OUTCOMES = ("new", "updated", "already", "superseded", "conflict", "waiting")


@dataclass
class ImportSummary:
    """What one batch brought: per record type, how many records were new, updated, already
    present, superseded by a newer version, in conflict, or waiting for a parent."""

    path: Path
    batch_id: str
    device_id: str
    author: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    blobs_new: int = 0
    outside: int = 0  # records outside the supervisor's jurisdiction, imported by permission
    #: the store changed: a record applied, a conflict or a waiting record that was not there
    changed: bool = False

    def total(self, outcome: str) -> int:
        return sum(c.get(outcome, 0) for c in self.counts.values())

    def add(self, record_type: str, outcome: str) -> None:
        self.counts.setdefault(record_type, dict.fromkeys(OUTCOMES, 0))[outcome] += 1


def _check_blobs(store: Store, staged: StagedBatch, records: BatchRecords) -> None:
    """Every photo an attachment names is in the batch or already here; every photo in the
    batch is named by one of its attachments."""
    named: set[str] = set()
    for c in records.changes:
        if c.record_type != Attachment.__record_type__:
            continue
        sha, original = c.payload["sha256"], c.payload["original_sha256"]
        if not SHA256.match(sha) or not (original == "" or SHA256.match(original)):
            raise BatchRefused("record_invalid", where=f"{c.record_type} {c.id}")
        if sha not in staged.blobs and not attachment_path(store, sha).is_file():
            raise BatchRefused("missing_part", name=blob_name(sha))
        named.update(h for h in (sha, original) if h)
    extra = sorted(set(staged.blobs) - named)
    if extra:
        raise BatchRefused("extra_part", name=blob_name(extra[0]))


def _check_jurisdiction(session: Session, staged: StagedBatch, records: BatchRecords,
                        allow_outside: bool) -> int:
    """Records outside the supervisor's jurisdiction: refused unless explicitly allowed."""
    mine = local.get_meta(session, local.JURISDICTION)
    batch = {(c.record_type, c.id): c.payload for c in records.changes}
    outside = scope.outside(session, batch, mine, staged.manifest.jurisdiction)
    if outside and not allow_outside:
        if not mine:
            raise BatchRefused("no_jurisdiction")
        raise BatchRefused("outside_jurisdiction", count=len(outside), jurisdiction=mine,
                           batch_jurisdiction=staged.manifest.jurisdiction or "-")
    return len(outside)


def _merge(uow: UnitOfWork, staged: StagedBatch, records: BatchRecords,
           summary: ImportSummary) -> None:
    """Merge what is new or newer; classify every record of the batch."""
    s, device = uow.session, staged.manifest.device_id
    keys = list(records.seqs)
    before = versions.current_hashes(s, keys)
    known = versions.known_versions(s, keys)
    todo = []
    for c in records.changes:
        key = (c.record_type, c.id)
        if before.get(key) == c.hash:
            summary.add(c.record_type, "already")
        elif key in known and known[key][0] == device and known[key][1] >= records.seqs[key]:
            summary.add(c.record_type, "superseded")
        else:
            todo.append(c)
    versions.drop_waiting(s, [(c.record_type, c.id) for c in todo])
    applied = merge_changes(uow, todo, before.keys(), summary)
    versions.remember(s, device, {(c.record_type, c.id): records.seqs[(c.record_type, c.id)]
                                  for c in applied})


def merge_changes(uow: UnitOfWork, todo: list[Change], existing: Collection[versions.Key],
                  summary: ImportSummary) -> list[Change]:
    """Merge ``todo`` as sync's pull does (:func:`~ohinspect.sync.merge.merge_page`) and count
    each change in ``summary``: conflict, waiting (its parent is not here yet), updated (its key
    in ``existing``, what the store held before) or new. Returns the changes applied (all but
    the conflicts). Shared by file import and fetch from the platform (fetch_commit.py)."""
    s = uow.session
    pending_before = _pending(s)
    stats = MergeStats()
    merge_page(uow, todo, stats)
    s.flush()
    pending = _pending(s)
    waiting = {(t, i) for t, i, _ in pending}
    summary.changed = bool(stats.received or stats.conflicts or pending - pending_before)
    conflicts = set(map(tuple, s.execute(select(SyncConflict.record_type, SyncConflict.record_id,
                                                SyncConflict.server_hash)
                                         .where(SyncConflict.resolved_at.is_(None)))))
    applied = []
    for c in todo:
        key = (c.record_type, c.id)
        if (c.record_type, c.id, c.hash) in conflicts:
            summary.add(c.record_type, "conflict")
            continue
        summary.add(c.record_type, "waiting" if key in waiting
                    else "updated" if key in existing else "new")
        applied.append(c)
    return applied


def _pending(session: Session) -> set[tuple[str, str, str]]:
    return set(map(tuple, session.execute(select(SyncPending.record_type, SyncPending.record_id,
                                                 SyncPending.hash))))


def _commit(store: Store, actor: Actor, staged: StagedBatch, records: BatchRecords,
            outside: int, summary: ImportSummary) -> None:
    m = staged.manifest
    with store.unit_of_work(actor) as uow:
        try:
            _merge(uow, staged, records, summary)
            if not summary.changed:
                return  # nothing new (a re-import): not even an audit entry
            summary.outside = outside
            if outside:
                uow.audit("batch.outside_jurisdiction_allowed",
                          details={"batch_id": m.batch_id, "records": outside,
                                   "batch_jurisdiction": m.jurisdiction,
                                   "jurisdiction": local.get_meta(uow.session,
                                                                  local.JURISDICTION)})
            summary.blobs_new = move_blob_files(store, staged.blobs)  # files before rows commit
            uow.audit("batch.imported", details={
                "batch_id": m.batch_id, "device_id": m.device_id, "author": m.author,
                "key_id": m.key_id, "file": summary.path.name, "counts": summary.counts,
                "blobs_new": summary.blobs_new})
            uow.commit()
        except (SQLAlchemyError, ValueError, TypeError, KeyError) as exc:
            # the database refused a row (or the commit): the transaction rolls back whole
            raise BatchRefused("record_rejected", detail=type(exc).__name__) from exc


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """An import holds thousands of young objects (records, rows, statements) until it ends,
    and the cycle collector would scan them again and again to find nothing
    (benchmarks/bench_batch_import.py). Reference counting still frees what is dropped; cycles
    made meanwhile are collected once the import is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_batch(store: Store, actor: Actor, path: Path, *, allow_outside: bool = False,
                 reporter: Reporter | None = None) -> ImportSummary:
    """Import one batch file; raises :class:`BatchRefused` (nothing changed) or returns what
    it brought."""
    staging = store.data_dir / STAGING_DIR / uuid.uuid4().hex
    try:
        # collection resumes once _import has returned: its records are freed by then, so
        # the collector does not scan thousands of them for nothing
        with _no_cycle_collection():
            return _import(store, actor, path, staging, allow_outside, reporter or Reporter())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.parent.rmdir()  # only if no other import is using it
        except OSError:
            pass


def _import(store: Store, actor: Actor, path: Path, staging: Path, allow_outside: bool,
            reporter: Reporter) -> ImportSummary:
    limits = load_limits()
    with store.read() as session:
        staged = stage_batch(path, session, staging, limits, reporter)
        records = read_records(staged, limits, reporter)
        _check_blobs(store, staged, records)
        outside = _check_jurisdiction(session, staged, records, allow_outside)
    m = staged.manifest
    summary = ImportSummary(path, m.batch_id, m.device_id, m.author)
    reporter.check()
    _commit(store, actor, staged, records, outside, summary)
    return summary
