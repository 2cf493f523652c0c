"""Pulling what the platform holds for this inspector, page by page from the stored cursor;
each page (its photos first) is merged in one local transaction that also moves the cursor, so
an interruption resumes at the first page not committed (docs/design/issue6-sync.md "Pull")."""

from __future__ import annotations

from dataclasses import dataclass

from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment
from ohinspect.store.uow import Actor
from ohinspect.sync import local
from ohinspect.sync.attachments import BlobStats, download_blobs
from ohinspect.sync.errors import ProtocolError
from ohinspect.sync.merge import MergeStats, merge_page
from ohinspect.sync.protocol import SHA256, Change, ChangesPage
from ohinspect.sync.transport import PlatformClient


@dataclass
class PullStats:
    pages: int = 0
    merge: MergeStats | None = None


def blob_hash(item: Change) -> str:
    """The SHA-256 of the file an attachment record names (checked: it becomes a path)."""
    value = item.payload.get("sha256")
    if not isinstance(value, str) or not SHA256.match(value):
        raise ProtocolError(f"attachment {item.id}: 'sha256' is not a SHA-256 hex digest")
    return value


def cursor(store: Store) -> int:
    with store.read() as session:
        return int(local.get_meta(session, local.CURSOR, "0") or 0)


def commit_page(store: Store, actor: Actor, page: ChangesPage, stats: MergeStats) -> None:
    with store.unit_of_work(actor) as uow:
        merge_page(uow, page.items, stats)
        local.set_meta(uow.session, local.CURSOR, str(page.next))
        if page.items:
            local.set_meta(uow.session, local.VERIFIED, "0")
        uow.commit()


def pull_changes(store: Store, actor: Actor, client: PlatformClient, reporter: Reporter,
                 stats: PullStats, blobs: BlobStats) -> None:
    stats.merge = stats.merge or MergeStats()
    since = cursor(store)
    while True:
        reporter.check()
        reporter.progress(stats.pages, 0, tr("sync.progress.pulling", pages=stats.pages))
        page = client.changes(since, client.limits.pull_limit)
        photos = [blob_hash(c) for c in page.items if c.record_type == Attachment.__record_type__]
        download_blobs(store, client, photos, reporter, blobs)  # files before their rows
        commit_page(store, actor, page, stats.merge)
        stats.pages += 1
        since = page.next
        if not page.more:
            return
