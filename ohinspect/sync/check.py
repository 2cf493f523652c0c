"""The post-sync check (docs/design/issue6-sync.md "Post-sync check"): per record type, a
count and the SHA-256 of the sorted lines ``id:hash\\n``, compared with the server's over the
same readable scope. Records still waiting to go (outbox, open conflicts) are left out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.store.models import RECORD_TYPES, OutboxEntry, SyncConflict, SyncPending
from ohinspect.store.serialize import content_hash
from ohinspect.sync import merge_bulk as bulk
from ohinspect.sync.protocol import TypeDigest


def digest_lines(pairs: list[tuple[str, str]]) -> TypeDigest:
    lines = sorted(f"{i}:{h}\n" for i, h in pairs)
    return TypeDigest(len(lines), hashlib.sha256("".join(lines).encode("utf-8")).hexdigest())


def local_digests(session: Session) -> dict[str, TypeDigest]:
    waiting = {tuple(r) for r in session.execute(
        select(OutboxEntry.record_type, OutboxEntry.record_id))}
    waiting |= {tuple(r) for r in session.execute(
        select(SyncConflict.record_type, SyncConflict.record_id)
        .where(SyncConflict.resolved_at.is_(None)))}
    out = {}
    for name in RECORD_TYPES:   # Core rows, not ORM objects: this reads the whole store
        pairs = [(row.values["id"], content_hash(row.payload))
                 for row in bulk.all_rows(session, name) if (name, row.values["id"]) not in waiting]
        out[name] = digest_lines(pairs)
    return out


@dataclass(frozen=True)
class CheckDifference:
    record_type: str
    local_count: int
    server_count: int


def compare(session: Session, server_digests: Callable[[], dict[str, TypeDigest]]
            ) -> list[CheckDifference]:
    """Types whose digests differ. Records waiting for a parent are a known difference.
    ``server_digests()`` is asked once this device's own are computed: the server may work out
    its answer meanwhile (the session sends the request first)."""
    mine = local_digests(session)
    server = server_digests()
    held = {p.record_type for p in session.scalars(select(SyncPending))}
    out = []
    for name in sorted(mine.keys() | server.keys()):
        a, b = mine.get(name, TypeDigest(0, "")), server.get(name, TypeDigest(0, ""))
        if a.count == 0 and b.count == 0:
            continue
        if a.digest != b.digest and name not in held:
            out.append(CheckDifference(name, a.count, b.count))
    return out
