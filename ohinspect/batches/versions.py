"""Which version of each record the store holds from which device (table ``batch_version``,
docs/batch-format.md "Order"): a version older than one already imported from the same device
is superseded, so batches imported in any order converge to the same store."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from ohinspect.store.models import BatchVersion, SyncPending
from ohinspect.store.serialize import content_hash
from ohinspect.sync import merge_bulk as bulk

Key = bulk.Key
#: keys per IN (…) query
CHUNK = bulk.CHUNK


def current_hashes(session: Session, keys: list[Key]) -> dict[Key, str]:
    """Content hash of every record among ``keys`` that the store holds (few queries)."""
    return {key: content_hash(row.payload) for key, row in bulk.current_rows(session, keys).items()}


def known_versions(session: Session, keys: list[Key]) -> dict[Key, tuple[str, int]]:
    found: dict[Key, tuple[str, int]] = {}
    for record_type, ids in bulk.by_type(keys).items():
        rows = session.execute(select(BatchVersion.record_id, BatchVersion.device_id,
                                      BatchVersion.seq)
                               .where(BatchVersion.record_type == record_type,
                                      bulk.one_of(BatchVersion.record_id, ids)))
        found.update({(record_type, r[0]): (r[1], r[2]) for r in rows})
    return found


@lru_cache(maxsize=1)
def _remember_statement() -> Any:
    stmt = insert(BatchVersion.__table__)
    return stmt.on_conflict_do_update(index_elements=["record_type", "record_id"],
                                      set_={"device_id": stmt.excluded.device_id,
                                            "seq": stmt.excluded.seq})


def remember(session: Session, device_id: str, seqs: dict[Key, int]) -> None:
    bulk.executemany(session, _remember_statement(),
                     [{"record_type": t, "record_id": i, "device_id": device_id, "seq": s}
                      for (t, i), s in seqs.items()])


def drop_waiting(session: Session, keys: list[Key]) -> None:
    """A newer version arrived for records still waiting for a parent: the old one goes."""
    for record_type, ids in bulk.by_type(keys).items():
        session.execute(delete(SyncPending).where(SyncPending.record_type == record_type,
                                                  bulk.one_of(SyncPending.record_id, ids)))
