"""Pushing the outbox: the newest payload per record, in bounded batches (≤ 250 records,
≤ 4 MB), each with a batch id persisted before sending and reused on retry; an outbox entry
leaves only when the server acknowledged *its* record with change_seq ≤ the one sent
(docs/design/issue6-sync.md "Push"; ARCHITECTURE "A record leaves the outbox only when the
server acknowledges that record"). The batches themselves are built by push_batches.py."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, SyncBatch
from ohinspect.store.serialize import canonical_json
from ohinspect.store.uow import Actor
from ohinspect.sync import local, merge_bulk, push_bulk
from ohinspect.sync.errors import BatchTooLarge, SyncError
from ohinspect.sync.protocol import ACKNOWLEDGED, OUTCOMES, PushResponse
from ohinspect.sync.push_batches import Batch, build_batch, resume_batch, waiting_keys
from ohinspect.sync.transport import PlatformClient

Key = tuple[str, str]
#: 403 code of a batch holding a record outside the user's writable jurisdiction
OUT_OF_SCOPE = "out_of_scope"
ATTACHMENT = Attachment.__record_type__


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
                stats: PushStats, files_ready: Callable[[], None] = lambda: None) -> None:
    """Send everything waiting; records whose parent the server lacked go again in another
    round as long as a round still gets something acknowledged. ``files_ready()`` returns once
    the files of attachment records are on the server (they may still be going up while the
    other records are pushed): attachment records go in batches of their own, after it."""
    _resume_all(store, actor, client, stats, files_ready)
    while True:
        before = stats.acknowledged
        with store.read() as session:
            keys = waiting_keys(session, stats.sent)
        if not keys:
            break
        files = next((n for n, k in enumerate(keys) if k[0] == ATTACHMENT), len(keys))
        _round(store, actor, client, reporter, stats, keys[:files])
        if files < len(keys):
            files_ready()
            _round(store, actor, client, reporter, stats, keys[files:])
        if not stats.later or stats.acknowledged == before:
            break
        stats.sent -= stats.later
        stats.later = set()
    stats.missing_parent = len(stats.later)


def _resume_all(store: Store, actor: Actor, client: PlatformClient, stats: PushStats,
                files_ready: Callable[[], None]) -> None:
    """Send again, oldest first, each batch that was sent but never answered (a session
    stopped with one batch in flight and the next one built holds two)."""
    device_id = store.device_id
    while True:
        with store.read() as session:
            pending = resume_batch(session, device_id)
        if pending is None:
            return
        if not pending.items:
            _forget(store, actor, pending.batch_id)
            continue
        if any(i.record_type == ATTACHMENT for i in pending.items):
            files_ready()
        _send(store, actor, client, pending, stats)
        with store.read() as session:  # a record changed since that batch goes again now
            newest = {(t, i): seq for t, i, seq in waiting_keys(session, set())}
        stats.sent.update((i.record_type, i.id)
                          for i, seq in zip(pending.items, pending.change_seqs)
                          if newest.get((i.record_type, i.id), seq) <= seq)


@dataclass
class _InFlight:
    """A batch on the wire: it took the first ``used`` keys of the round's list."""
    batch: Batch
    used: int
    answer: Future[PushResponse]


def _round(store: Store, actor: Actor, client: PlatformClient, reporter: Reporter,
           stats: PushStats, keys: list[tuple[str, str, int]]) -> None:
    """Batches of at most ``size`` records. A 413 lowers the cap for good; a record outside the
    user's jurisdiction refuses its whole batch, so the batch is halved until that record is
    alone (it stays waiting, reported) and the size grows back afterwards.

    Pipelined, so that the device and the server work at the same time: while the server
    stores one batch the next one is built and persisted here; it is sent the moment the answer
    arrives (never earlier: the server has committed every parent before it sees a child), and
    that answer is stored locally while it travels."""
    lim = client.limits
    cap = size = lim.push_max_items
    total, done = len(keys), 0
    flying: _InFlight | None = None
    ahead: Batch | None = None
    with ThreadPoolExecutor(1, thread_name_prefix="sync-push") as wire:
        def send(batch: Batch, used: int) -> _InFlight:
            return _InFlight(batch, used, wire.submit(client.push, batch.body, batch.batch_id,
                                                      batch.items))
        try:
            while keys:
                reporter.check()
                reporter.progress(done, total, tr("sync.progress.pushing", done=done, total=total))
                start = flying.used if flying else 0
                with store.read() as session:
                    ahead, used = build_batch(session, store.device_id, keys[start:], size,
                                              lim.push_max_bytes)
                if ahead is None:  # every entry left was removed meanwhile
                    keys, done = keys[:start], done + used
                else:
                    _persist(store, actor, ahead)  # the id survives a crash, reused on retry
                if flying is None:
                    if ahead is not None:
                        flying, ahead = send(ahead, used), None
                    continue
                landed, flying = flying, None
                try:
                    response = landed.answer.result()
                except BatchTooLarge:
                    _forget_unsent(store, actor, ahead, landed.batch)
                    ahead = None
                    if size == 1:
                        raise
                    cap = size = max(1, size // 2)
                    continue
                except SyncError as exc:
                    _forget_unsent(store, actor, ahead, landed.batch if exc.code == OUT_OF_SCOPE
                                   else None)
                    ahead = None
                    if exc.code != OUT_OF_SCOPE:
                        raise
                    if len(landed.batch.items) > 1:  # refused whole: nothing was stored
                        size = max(1, len(landed.batch.items) // 2)
                        continue
                    stats.refused.append(exc.user_message())
                else:
                    if ahead is not None:
                        flying, ahead = send(ahead, used), None
                    apply_response(store, actor, landed.batch, response, stats)
                keys, done = keys[landed.used:], done + landed.used
                stats.sent.update((i.record_type, i.id) for i in landed.batch.items)
                size = min(cap, size * 2)
        finally:
            if ahead is not None:  # built, never sent: the next session would only resend it
                _forget(store, actor, ahead.batch_id)


def _forget_unsent(store: Store, actor: Actor, ahead: Batch | None,
                   refused: Batch | None) -> None:
    for batch in (ahead, refused):
        if batch is not None:
            _forget(store, actor, batch.batch_id)


def _send(store: Store, actor: Actor, client: PlatformClient, batch: Batch,
          stats: PushStats) -> None:
    response = client.push(batch.body, batch.batch_id, batch.items)
    apply_response(store, actor, batch, response, stats)
