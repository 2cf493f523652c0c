"""Fetch from platform (issue 7 item 2): a supervisor's device imports the batches the platform
accepted in its jurisdiction (``GET /v1/batches``, limited by the platform to the caller's
readable scope), one after the other from a cursor kept in ``store_meta``
(``batch.fetch.cursor``, moved in each batch's own transaction).

Each batch is verified like a batch file before anything is unpacked
(ohinspect/batches/fetch_verify.py), its photos are fetched by SHA-256 and verified, and it is
committed in one transaction (ohinspect/batches/fetch_commit.py). Fetching again brings
nothing new; Cancel (between pieces of work) or a lost connection leaves the cursor after the
last batch committed, and the next fetch resumes there. A refused batch stops the fetch with
its reason (the cursor stays before it: nothing is skipped silently). Batches this device
pushed itself are passed over.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.fetch_commit import CURSOR, commit_batch, set_cursor, to_merge
from ohinspect.batches.fetch_verify import (BLOB_CACHE, VerifiedBatch, check_jurisdiction,
                                            download_photo, photo_hashes, verify_batch)
from ohinspect.batches.fetch_wire import BatchClient, PlatformBatch
from ohinspect.batches.importer import STAGING_DIR, ImportSummary
from ohinspect.batches.limits import load_limits
from ohinspect.i18n import tr
from ohinspect.progress import Cancelled, Reporter
from ohinspect.services.attachments import attachment_path
from ohinspect.services.review_import import CANCELLED, IMPORTED, REFUSED, FileOutcome
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment
from ohinspect.store.uow import Actor
from ohinspect.sync import local
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.errors import SyncError
from ohinspect.sync.protocol import Change
from ohinspect.sync.session import normalise_url, open_client

#: the platform's error code for a photo no readable current record names
BLOB_GONE = "blob_not_found"


@dataclass
class FetchReport:
    server_url: str
    #: one per batch examined, in order; the last is the refusal or the Cancel, if any
    outcomes: list[FileOutcome] = field(default_factory=list)
    own: int = 0  # batches this device pushed itself (passed over)
    refused_code: str = ""  # why the fetch stopped at a batch (BatchRefused.code)

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)

    @property
    def refused(self) -> bool:
        return any(o.outcome == REFUSED for o in self.outcomes)


def fetch_cursor(store: Store, server_url: str) -> int:
    with store.read() as session:
        text = local.get_meta(session, CURSOR)
    try:
        data = json.loads(text) if text else {}
        return int(data["seq"]) if data.get("server") == server_url else 0
    except (ValueError, KeyError, TypeError, AttributeError):
        return 0  # unreadable: start again (fetching again is harmless)


def platform_url(store: Store, server_url: str | None) -> str:
    """The platform given, else the one this device enrolled with."""
    if not server_url:
        with store.read() as session:
            server_url = local.get_meta(session, local.SERVER_URL)
    if not server_url:
        raise SyncError(tr("sync.error.no_server"), code="no_server")
    return normalise_url(server_url)


def fetch_from_platform(store: Store, actor: Actor, creds: CredentialStore,
                        server_url: str | None = None, reporter: Reporter | None = None, *,
                        client_factory: Callable[..., BatchClient] = BatchClient) -> FetchReport:
    """Import every batch the platform has for this user after the cursor. Network and
    credential failures raise :class:`SyncError` (what was committed stays committed)."""
    reporter = reporter or Reporter()
    url = platform_url(store, server_url)
    report = FetchReport(url)
    with open_client(store, creds, url, reporter, client_factory=client_factory) as client:
        reporter.progress(0, 0, tr("sync.progress.connecting"))
        client.info()
        since = fetch_cursor(store, url)
        while True:
            reporter.check()
            page = client.batches(since)
            for batch in page.batches:
                reporter.progress(len(report.outcomes), 0,
                                  tr("batch.fetch.progress", done=len(report.outcomes),
                                     label=batch.label))
                if not _one(store, actor, client, batch, url, reporter, report):
                    return report
            if not page.more:
                return report
            since = page.next


def _one(store: Store, actor: Actor, client: BatchClient, batch: PlatformBatch, url: str,
         reporter: Reporter, report: FetchReport) -> bool:
    """Import one batch into ``report``; False when the fetch must stop here."""
    if batch.device_id == store.device_id:
        report.own += 1
        with store.unit_of_work(actor) as uow:
            set_cursor(uow.session, url, batch.seq)
            uow.commit()
        return True
    label = Path(batch.label)
    try:
        reporter.check()
        summary = import_platform_batch(store, actor, client, batch, url, reporter)
    except Cancelled:
        report.outcomes.append(FileOutcome(label, CANCELLED))
        return False
    except BatchRefused as exc:
        report.outcomes.append(FileOutcome(label, REFUSED, message=exc.user_message()))
        report.refused_code = exc.code
        return False
    report.outcomes.append(FileOutcome(label, IMPORTED, summary))
    return True


def import_platform_batch(store: Store, actor: Actor, client: BatchClient, batch: PlatformBatch,
                          url: str, reporter: Reporter) -> ImportSummary:
    """Verify, fetch the photos, commit; the staging folder is removed on every outcome."""
    limits = load_limits()
    staging = store.data_dir / STAGING_DIR / uuid.uuid4().hex
    try:
        with store.read() as session:
            verified = verify_batch(session, batch, staging, limits, reporter)
            check_jurisdiction(session, verified)
            todo, _ = to_merge(session, verified.changes, ImportSummary(Path(), "", "", ""))
        photos = _photos(store, client, verified, todo, staging, reporter)
        reporter.check()
        return commit_batch(store, actor, verified, photos, url)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in (staging.parent / BLOB_CACHE, staging.parent):
            try:
                folder.rmdir()  # only when empty: no piece kept, no other import running
            except OSError:
                pass


def _photos(store: Store, client: BatchClient, verified: VerifiedBatch, todo: list[Change],
            staging: Path, reporter: Reporter) -> dict[str, Path]:
    """The photos of the attachment versions to merge that this store lacks, verified; an
    attachment whose photo the platform no longer serves is set aside (superseded)."""
    limits, cache = load_limits(), store.data_dir / STAGING_DIR / BLOB_CACHE
    photos: dict[str, Path] = {}
    wanted = [sha for sha in photo_hashes(todo) if not attachment_path(store, sha).is_file()]
    for n, sha in enumerate(wanted):
        reporter.progress(n, len(wanted), tr("sync.progress.downloading", done=n,
                                             total=len(wanted)))
        try:
            photos[sha] = download_photo(client, sha, cache, staging, limits, reporter)
        except SyncError as exc:
            if exc.code != BLOB_GONE:
                raise
    lost = set(wanted) - photos.keys()
    gone = {(c.record_type, c.id) for c in todo
            if c.record_type == Attachment.__record_type__ and c.payload["sha256"] in lost}
    verified.unavailable = [c for c in verified.changes if (c.record_type, c.id) in gone]
    verified.changes = [c for c in verified.changes if (c.record_type, c.id) not in gone]
    return photos
