"""Photos and scans travel by SHA-256, before the ``attachment`` records that name them:
ask the server which blobs it lacks, then upload only those, chunk by chunk, resuming at the
byte the server already holds (docs/design/issue6-sync.md "Attachments")."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import func, select

from ohinspect.errors import StoreError
from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.services.attachments import write_blob_file, attachment_path
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, OutboxEntry
from ohinspect.sync.errors import SyncError, UploadOffsetMismatch
from ohinspect.sync.protocol import MissingBlob
from ohinspect.sync.transport import PlatformClient

DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
#: a blob whose offset keeps moving under us is given up after this many restarts
MAX_RESTARTS = 3
#: files uploaded at the same time: while the server writes and fsyncs one, the next is on the
#: wire (benchmarks/bench_sync_push.py: 3 streams sent photos ~1.3× faster than 1 on 2 cores)
UPLOAD_STREAMS = 3


@dataclass
class BlobStats:
    uploaded: int = 0
    bytes: int = 0
    missing_locally: int = 0
    downloaded: int = 0


def pending_blob_hashes(store: Store) -> list[str]:
    """SHA-256 of every file named by an attachment record still in the outbox."""
    with store.read() as session:
        newest = select(OutboxEntry.record_id, func.max(OutboxEntry.change_seq).label("m")) \
            .where(OutboxEntry.record_type == Attachment.__record_type__) \
            .group_by(OutboxEntry.record_id).subquery()
        payloads = session.scalars(select(OutboxEntry.payload).join(
            newest, (OutboxEntry.record_id == newest.c.record_id)
            & (OutboxEntry.change_seq == newest.c.m))
            .where(OutboxEntry.record_type == Attachment.__record_type__))
        hashes: set[str] = set()
        for text in payloads:
            data = json.loads(text)
            hashes.update(h for h in (data.get("sha256"), data.get("original_sha256")) if h)
    return sorted(hashes)


def upload_blobs(store: Store, client: PlatformClient, reporter: Reporter, stats: BlobStats,
                 hashes: list[str], stop: Callable[[], bool]) -> None:
    """Upload those of ``hashes`` the server lacks, UPLOAD_STREAMS files at a time over the
    client's keep-alive connections (a file's chunks go one after the other, in order);
    ``stop()`` returning True ends it before the next file."""
    group = client.limits.push_max_items
    missing = []
    for start in range(0, len(hashes), group):
        reporter.check()
        missing.extend(client.missing(hashes[start:start + group]))
    total = len(missing)

    def upload(blob: MissingBlob) -> int | None:
        reporter.check()
        if stop():
            raise UploadsStopped()
        path = attachment_path(store, blob.sha256)
        if not path.is_file():
            return None  # its record waits ("missing_blob") until the file is back
        with path.open("rb") as file:
            return _upload(client, blob.sha256, file, blob.have_bytes, reporter)

    if not missing:
        return
    reporter.progress(0, total, tr("sync.progress.uploading", done=0, total=total))
    with ThreadPoolExecutor(UPLOAD_STREAMS) as pool:
        try:
            for n, sent in enumerate(pool.map(upload, missing), start=1):
                if sent is None:
                    stats.missing_locally += 1
                else:
                    stats.uploaded += 1
                    stats.bytes += sent
                reporter.progress(n, total, tr("sync.progress.uploading", done=n, total=total))
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


class UploadsStopped(Exception):
    """The session ended (its push failed) while files were still going up."""


class BackgroundUploads:
    """``upload_blobs`` on a thread of its own while the outbox is pushed: a record push keeps
    the device's CPU busy while an upload mostly waits for the server's fsyncs, so the two
    overlap instead of following each other (benchmarks/bench_sync_push.py). Only attachment
    records need their files on the server first (else ``missing_blob``): the push sends them
    in batches of their own after :meth:`ready`. The files to send are chosen on the calling
    thread, from the outbox as it is when the session begins (as before: a photo added during
    the sync goes with the next one)."""

    def __init__(self, store: Store, client: PlatformClient, reporter: Reporter,
                 stats: BlobStats) -> None:
        self._stop = threading.Event()
        self._error: BaseException | None = None
        hashes = pending_blob_hashes(store)
        self._thread = threading.Thread(
            target=self._run, name="sync-upload", daemon=True,
            args=(store, client, reporter, stats, hashes))

    def _run(self, store: Store, client: PlatformClient, reporter: Reporter, stats: BlobStats,
             hashes: list[str]) -> None:
        try:
            upload_blobs(store, client, reporter, stats, hashes, self._stop.is_set)
        except BaseException as exc:  # noqa: BLE001 — handed to the session by ready()
            self._error = exc

    def __enter__(self) -> BackgroundUploads:
        self._thread.start()
        return self

    def running(self) -> bool:
        return self._thread.is_alive()

    def ready(self) -> None:
        """Wait until every file went up; the uploads' own error is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if exc_type is not None:  # the push failed: no new file starts, the session ends
            self._stop.set()
            self._thread.join()
            return
        self.ready()


def _upload(client: PlatformClient, sha256: str, file: BinaryIO, offset: int,
            reporter: Reporter) -> int:
    """Send the file from ``offset`` on, one chunk read at a time (a large scan is never
    held in memory whole); returns the bytes sent."""
    size, chunk = os.fstat(file.fileno()).st_size, client.limits.chunk_bytes
    restarts, sent = 0, 0
    if offset > size:
        offset = 0
    while offset < size:
        reporter.check()
        file.seek(offset)
        piece = file.read(chunk)
        try:
            client.put_chunk(sha256, offset, piece, size)
        except UploadOffsetMismatch as exc:
            restarts += 1
            if restarts > MAX_RESTARTS or exc.have_bytes > size:
                raise
            offset = exc.have_bytes
            continue
        offset += len(piece)
        sent += len(piece)
    return sent


def download_blobs(store: Store, client: PlatformClient, hashes: list[str], reporter: Reporter,
                   stats: BlobStats) -> None:
    """Fetch the files of received attachment records that this device does not have.

    Written like every attachment (temp file, fsync, rename); a full disk is a StoreError with
    its own message and leaves nothing half-written."""
    todo = [h for h in dict.fromkeys(hashes) if not attachment_path(store, h).is_file()]
    for n, sha256 in enumerate(todo):
        reporter.check()
        reporter.progress(n, len(todo), tr("sync.progress.downloading", done=n, total=len(todo)))
        data = client.download(sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SyncError(tr("sync.error.blob_corrupt", sha256=sha256[:12]), code="blob_corrupt")
        try:
            write_blob_file(store, sha256, data)
        except StoreError as exc:
            cause = exc.__cause__
            if isinstance(cause, OSError) and cause.errno in DISK_FULL:
                raise SyncError(tr("sync.error.disk_full", path=store.attachments_dir),
                                code="disk_full") from exc
            raise SyncError(exc.user_message(), code="disk") from exc
        stats.downloaded += 1
