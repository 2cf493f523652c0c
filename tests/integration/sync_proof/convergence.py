"""What "converged, exactly once" means, checked on both sides: the device's store and the
platform's database (read directly) plus the platform's own ``GET /v1/check``.

- 0 lost: every record of the device is on the platform with the same content hash;
- 0 duplicated: no record, no (record, hash) version and no server seq stored twice, and the
  platform holds nothing the device does not;
- the device's outbox and pending batch are empty, no conflict is open, and the store passes
  its integrity check; the platform's per-type digests equal the device's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from ohinspect.platform import schema
from ohinspect.store.database import Store
from ohinspect.store.integrity import check_store
from ohinspect.store.models import RECORD_TYPES, OutboxEntry, SyncBatch, SyncConflict
from ohinspect.sync import local
from ohinspect.sync.check import local_digests
from ohinspect.sync.transport import PlatformClient

Versions = dict[tuple[str, str], str]


@dataclass(frozen=True)
class ServerState:
    records: Versions  # (type, id) -> current hash
    versions: int  # rows of the version log
    distinct_versions: int  # distinct (type, id, hash) in it
    distinct_seqs: int
    high_water: int
    batches: int
    blobs_complete: int

    @property
    def digest_key(self) -> tuple[object, ...]:
        """Everything a replayed request must leave unchanged."""
        return (tuple(sorted(self.records.items())), self.versions, self.high_water,
                self.batches, self.blobs_complete)


def server_state(db_url: str) -> ServerState:
    r, v, b, bl = schema.records, schema.record_versions, schema.batches, schema.blobs
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            records = {(t, i): h for t, i, h in conn.execute(
                select(r.c.record_type, r.c.record_id, r.c.hash))}
            versions = conn.scalar(select(func.count()).select_from(v)) or 0
            distinct = conn.scalar(select(func.count()).select_from(
                select(v.c.record_type, v.c.record_id, v.c.hash).distinct().subquery())) or 0
            seqs = conn.scalar(select(func.count(v.c.server_seq.distinct()))) or 0
            high = conn.scalar(select(func.max(r.c.server_seq))) or 0
            batches = conn.scalar(select(func.count()).select_from(b)) or 0
            blobs = conn.scalar(select(func.count()).select_from(bl).where(
                bl.c.complete.is_(True))) or 0
    finally:
        engine.dispose()
    return ServerState(records, versions, distinct, seqs, high, batches, blobs)


@dataclass(frozen=True)
class DeviceState:
    records: Versions
    outbox: int
    pending_batches: int
    open_conflicts: int
    digests: dict[str, tuple[int, str]]
    integrity_problems: list[str]


def device_state(folder: Path) -> DeviceState:
    store = Store.open(folder)
    try:
        with store.read() as s:
            records = {(name, o.id): local.record_hash(o) for name, model in RECORD_TYPES.items()
                       for o in s.scalars(select(model))}
            outbox = s.scalar(select(func.count()).select_from(OutboxEntry)) or 0
            pending = s.scalar(select(func.count()).select_from(SyncBatch)) or 0
            conflicts = s.scalar(select(func.count()).select_from(SyncConflict).where(
                SyncConflict.resolved_at.is_(None))) or 0
            digests = {t: (d.count, d.digest) for t, d in local_digests(s).items() if d.count}
        problems = check_store(store).problems
    finally:
        store.close()
    return DeviceState(records, outbox, pending, conflicts, digests, list(problems))


@dataclass(frozen=True)
class Verdict:
    lost: int
    duplicated: int
    extra_on_server: int
    outbox: int
    digests_equal: bool
    integrity_ok: bool
    open_conflicts: int

    @property
    def converged(self) -> bool:
        return (self.lost == 0 and self.duplicated == 0 and self.extra_on_server == 0
                and self.outbox == 0 and self.digests_equal and self.integrity_ok
                and self.open_conflicts == 0)


def verdict(folder: Path, db_url: str, client: PlatformClient) -> Verdict:
    """Compare the device, the platform's database and the platform's /v1/check."""
    device, server = device_state(folder), server_state(db_url)
    lost = sum(1 for k, h in device.records.items() if server.records.get(k) != h)
    extra = sum(1 for k in server.records if k not in device.records)
    duplicated = (server.versions - server.distinct_versions) + (
        server.versions - server.distinct_seqs)
    with client:
        remote = {t: (d.count, d.digest) for t, d in client.check().items() if d.count}
    return Verdict(lost, duplicated, extra, device.outbox + device.pending_batches,
                   remote == device.digests, not device.integrity_problems,
                   device.open_conflicts)
