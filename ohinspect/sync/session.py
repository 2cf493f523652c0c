"""One sync session, restartable at every step: server info (version, clock skew) → photos up
while the outbox is pushed in batches (attachment records once their files are up) → changes
pulled page by page → post-sync check (whenever anything changed since the last check that
found both sides equal; the server's digests are asked for while the device computes its
own). Each step commits what it finished, so a kill or a lost connection resumes where it
stopped; every failure is one :class:`~ohinspect.sync.errors.SyncError` sentence with the
outbox intact.
"""

from __future__ import annotations

import platform
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy.exc import OperationalError

from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.store.changes import Changes
from ohinspect.store.database import Store
from ohinspect.store.uow import Actor
from ohinspect.sync import local
from ohinspect.sync.attachments import BackgroundUploads, BlobStats
from ohinspect.sync.check import CheckDifference, compare
from ohinspect.sync.credentials import CredentialStore, DeviceSecrets
from ohinspect.sync.device_key import (generate_key, load_private_key, private_key_text,
                                       public_key_text)
from ohinspect.sync.errors import AuthError, SyncError
from ohinspect.sync.protocol import Enrolment, ServerInfo, limits
from ohinspect.sync.pull import PullStats, pull_changes
from ohinspect.sync.push import PushStats, push_outbox
from ohinspect.sync.transport import PlatformClient

ClientFactory = Callable[..., PlatformClient]


@dataclass
class SyncReport:
    server_url: str
    pushed: int = 0
    push_conflicts: int = 0
    missing_blob: int = 0
    missing_parent: int = 0
    refused: list[str] = field(default_factory=list)
    photos_up: int = 0
    photos_down: int = 0
    bytes_up: int = 0
    received: int = 0
    pull_conflicts: int = 0
    waiting_for_parent: int = 0
    clock_skew_s: float = 0.0
    skew_warning: bool = False
    #: False when nothing changed since the last check found both sides equal (not re-run:
    #: a sync with nothing to do stays fast)
    checked: bool = False
    differences: list[CheckDifference] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    @property
    def conflicts(self) -> int:
        return self.push_conflicts + self.pull_conflicts

    def lines(self) -> list[str]:
        """What the session did, in plain words (the command and the Sync screen)."""
        out = [tr("sync.cli.done", pushed=self.pushed, photos_up=self.photos_up,
                  bytes_up=self.bytes_up, received=self.received,
                  photos_down=self.photos_down, conflicts=self.conflicts)]
        if self.skew_warning:
            out.append(tr("sync.cli.skew", minutes=round(self.clock_skew_s / 60)))
        for key, count in (("sync.cli.missing_blob", self.missing_blob),
                           ("sync.cli.missing_parent", self.missing_parent),
                           ("sync.cli.waiting_parent", self.waiting_for_parent)):
            if count:
                out.append(tr(key, count=count))
        if self.refused:
            out.append(tr("sync.cli.refused", count=len(self.refused), detail=self.refused[0]))
        out.extend(tr("sync.cli.check_diff", record_type=d.record_type, local=d.local_count,
                      server=d.server_count) for d in self.differences)
        if not self.differences:
            out.append(tr("sync.cli.check_ok" if self.checked else "sync.cli.check_unchanged"))
        return out

    @property
    def fully_done(self) -> bool:
        """Nothing left behind: no difference, nothing waiting, no skew to fix."""
        return not (self.differences or self.skew_warning or self.missing_blob
                    or self.missing_parent or self.waiting_for_parent or self.refused)


class QuietWhile(Reporter):
    """``inner`` without the progress messages sent while ``busy()`` — the push's, while the
    photos (whose count is shown) are still going up beside it; cancelling is ``inner``'s."""

    def __init__(self, inner: Reporter, busy: Callable[[], bool]) -> None:
        super().__init__()
        self.inner, self.busy = inner, busy

    def progress(self, done: int, total: int, message: str = "") -> None:
        if not self.busy():
            self.inner.progress(done, total, message)

    def cancel(self) -> None:
        self.inner.cancel()

    def cancelled(self) -> bool:
        return self.inner.cancelled()

    def check(self) -> None:
        self.inner.check()


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def clock_skew(info: ServerInfo, now: datetime | None = None) -> float:
    """Seconds the device clock is ahead (+) or behind (−) the server's."""
    return ((now or datetime.now(timezone.utc)) - info.server_time).total_seconds()


def enroll(store: Store, creds: CredentialStore, server_url: str, user: str, password: str, *,
           client_factory: ClientFactory = PlatformClient) -> Enrolment:
    """Log in once: a new device key, a device token kept in the keyring (or only for this run
    when there is no keyring), and who this device belongs to in ``store_meta``."""
    url = normalise_url(server_url)
    key = generate_key()
    with client_factory(url) as client:
        client.info()
        enrolment = client.enroll(user, password, store.device_id, platform.node() or "device",
                                  public_key_text(key))
    creds.save(url, store.device_id, DeviceSecrets(enrolment.device_token, private_key_text(key)))
    with store.unit_of_work(store.actor(enrolment.user)) as uow:
        s = uow.session
        previous = local.get_meta(s, local.SERVER_URL)
        if previous and previous != url:
            local.set_meta(s, local.CURSOR, "0")  # another platform: pull everything it has
        local.set_meta(s, local.VERIFIED, "0")
        for k, v in ((local.SERVER_URL, url), (local.USER, enrolment.user),
                     (local.ROLE, enrolment.role), (local.JURISDICTION, enrolment.jurisdiction),
                     (local.DEVICE_KEY_PUBLIC, public_key_text(key))):
            local.set_meta(s, k, v)
        uow.audit("sync.enrolled", details={"server": url, "user": enrolment.user,
                                            "role": enrolment.role})
        uow.commit()
    return enrolment


def sync_actor(store: Store) -> Actor:
    with store.read() as session:
        return store.actor(local.get_meta(session, local.USER) or "sync")


def open_client(store: Store, creds: CredentialStore, server_url: str, reporter: Reporter, *,
                client_factory: ClientFactory = PlatformClient) -> PlatformClient:
    url = normalise_url(server_url)
    secrets = creds.load(url, store.device_id)
    if secrets is None:
        key = "sync.error.not_enrolled" if creds.persistent else "sync.error.enrol_this_session"
        raise AuthError(tr(key), code="not_enrolled")
    return client_factory(url, token=secrets.token, key=load_private_key(secrets.private_key),
                          stop=reporter.cancelled)


def run_sync(store: Store, creds: CredentialStore, server_url: str,
             reporter: Reporter | None = None, *,
             client_factory: ClientFactory = PlatformClient) -> SyncReport:
    """One session; a full disk under the store is its own message (the transaction that hit
    it rolled back: the outbox is intact)."""
    try:
        return _session(store, creds, server_url, reporter or Reporter(), client_factory)
    except OperationalError as exc:
        orig = getattr(exc, "orig", exc)
        if isinstance(orig, sqlite3.OperationalError) and "full" in str(orig):
            raise SyncError(tr("sync.error.disk_full", path=store.data_dir),
                            code="disk_full") from exc
        raise


def _session(store: Store, creds: CredentialStore, server_url: str, reporter: Reporter,
             client_factory: ClientFactory) -> SyncReport:
    report = SyncReport(normalise_url(server_url))
    actor = sync_actor(store)
    with open_client(store, creds, server_url, reporter, client_factory=client_factory) as client:
        reporter.progress(0, 0, tr("sync.progress.connecting"))
        info = client.info()
        report.clock_skew_s = clock_skew(info)
        report.skew_warning = abs(report.clock_skew_s) > limits().clock_skew_warn_minutes * 60
        blobs, pushed, pulled = BlobStats(), PushStats(), PullStats()
        with BackgroundUploads(store, client, reporter, blobs) as uploads:
            push_outbox(store, actor, client, QuietWhile(reporter, uploads.running), pushed,
                        uploads.ready)
        pull_changes(store, actor, client, reporter, pulled, blobs)
        reporter.check()
        with store.read() as session:
            report.checked = local.get_meta(session, local.VERIFIED) != "1"
        if report.checked:
            reporter.progress(0, 0, tr("sync.progress.checking"))
            with ThreadPoolExecutor(1, thread_name_prefix="sync-check") as wire, \
                    store.read() as session:
                report.differences = compare(session, wire.submit(client.check).result)
    with store.unit_of_work(actor) as uow:
        local.set_meta(uow.session, local.LAST_SUCCESS,
                       datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"))
        if report.checked:
            local.set_meta(uow.session, local.VERIFIED, "0" if report.differences else "1")
        uow.commit()
    merged = pulled.merge
    assert merged is not None
    report.pushed, report.push_conflicts = pushed.acknowledged, pushed.conflicts
    report.missing_blob, report.missing_parent = pushed.missing_blob, pushed.missing_parent
    report.refused = pushed.refused
    report.photos_up, report.bytes_up = blobs.uploaded, blobs.bytes
    report.photos_down = blobs.downloaded
    report.received, report.pull_conflicts = merged.received, merged.conflicts
    report.waiting_for_parent = merged.waiting
    report.changes = Changes(frozenset(merged.record_types))
    return report
