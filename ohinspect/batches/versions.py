"""Which version of each record the store holds from which device (table ``batch_version``,
docs/batch-format.md "Order"): a version older than one already imported from the same device
is superseded, so batches imported in any order converge to the same store."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from ohinspect.store.models import RECORD_TYPES, BatchVersion, SyncPending
from ohinspect.sync import local

Key = tuple[str, str]
#: keys per IN (…) query
CHUNK = 400


def _chunks(keys: list[Key]) -> Iterable[list[Key]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start:start + CHUNK]


def current_hashes(session: Session, keys: list[Key]) -> dict[Key, str]:
    """Content hash of every record among ``keys`` that the store holds (few queries)."""
    by_type: dict[str, list[str]] = {}
    for record_type, record_id in keys:
        by_type.setdefault(record_type, []).append(record_id)
    found: dict[Key, str] = {}
    for record_type, ids in by_type.items():
        model = RECORD_TYPES[record_type]
        for start in range(0, len(ids), CHUNK):
            for obj in session.scalars(select(model).where(model.id.in_(ids[start:start + CHUNK]))):
                found[(record_type, obj.id)] = local.record_hash(obj)
    return found


def known_versions(session: Session, keys: list[Key]) -> dict[Key, tuple[str, int]]:
    found: dict[Key, tuple[str, int]] = {}
    for chunk in _chunks(keys):
        rows = session.execute(select(BatchVersion.record_type, BatchVersion.record_id,
                                      BatchVersion.device_id, BatchVersion.seq)
                               .where(tuple_(BatchVersion.record_type,
                                             BatchVersion.record_id).in_(chunk)))
        found.update({(r[0], r[1]): (r[2], r[3]) for r in rows})
    return found


def remember(session: Session, device_id: str, seqs: dict[Key, int]) -> None:
    if not seqs:
        return
    stmt = insert(BatchVersion)
    stmt = stmt.on_conflict_do_update(index_elements=["record_type", "record_id"],
                                      set_={"device_id": stmt.excluded.device_id,
                                            "seq": stmt.excluded.seq})
    session.execute(stmt, [{"record_type": t, "record_id": i, "device_id": device_id, "seq": s}
                           for (t, i), s in seqs.items()])


def drop_waiting(session: Session, keys: list[Key]) -> None:
    """A newer version arrived for records still waiting for a parent: the old one goes."""
    for chunk in _chunks(keys):
        session.query(SyncPending).filter(
            tuple_(SyncPending.record_type, SyncPending.record_id).in_(chunk)).delete()
