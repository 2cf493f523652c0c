"""What a caller may read: changes since a server seq (pull), per-type digests (post-sync
check) and the stored batch manifests (supervisors' import, issue 7) — always limited to the
caller's readable scope (resources/sync/roles.yaml)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Engine, func, select

from ohinspect.platform import schema
from ohinspect.platform.rights import Caller
from ohinspect.store.serialize import to_jsonable


def changes(engine: Engine, caller: Caller, since: int, limit: int) -> dict[str, Any]:
    """Current versions with server seq > ``since``, ascending, except versions this device
    pushed itself; ``next`` is the last seq examined, so the cursor also moves past those.

    The device's own versions are left out by the query (a device that pushed 10,000 records
    pulls one empty page, not twenty pages of its own payloads parsed and dropped). The highest
    readable seq is read first: seqs become visible in order (ohinspect/platform/db.py), so
    nothing at or below it can appear later, and on the last page it is ``next``."""
    r = schema.records
    readable = (r.c.server_seq > since) & caller.readable(r.c.scope)
    with engine.connect() as conn:
        high = conn.scalar(select(func.max(r.c.server_seq)).where(readable))
        if high is None:
            return {"items": [], "next": since, "more": False}
        rows = list(conn.execute(
            select(r.c.record_type, r.c.record_id, r.c.hash, r.c.payload, r.c.server_seq,
                   r.c.author, r.c.device_id)
            .where(readable, r.c.server_seq <= high, r.c.device_id != caller.device_id)
            .order_by(r.c.server_seq).limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    items = [{"record_type": row.record_type, "id": row.record_id, "hash": row.hash,
              "payload": json.loads(row.payload), "server_seq": row.server_seq,
              "author": row.author, "device_id": row.device_id} for row in rows]
    return {"items": items, "next": rows[-1].server_seq if more else int(high), "more": more}


def check(engine: Engine, caller: Caller) -> dict[str, Any]:
    """Per record type: count and SHA-256 of the sorted lines ``id:hash\\n``."""
    r = schema.records
    query = select(r.c.record_type, r.c.record_id, r.c.hash).where(caller.readable(r.c.scope))
    lines: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            lines.setdefault(row.record_type, []).append(f"{row.record_id}:{row.hash}\n")
    return {"types": {t: {"count": len(ls),
                          "digest": hashlib.sha256("".join(sorted(ls)).encode()).hexdigest()}
                      for t, ls in lines.items()}}


def batches(engine: Engine, caller: Caller, since: int, limit: int) -> dict[str, Any]:
    """Stored batches after ``since`` whose every item the caller may read, with the signed
    body, the device key and the manifest, so they can be verified and imported."""
    b = schema.batches
    query = (select(b).where(b.c.seq > since, caller.readable(b.c.scope))
             .order_by(b.c.seq).limit(limit + 1))
    with engine.connect() as conn:
        rows = list(conn.execute(query))
    more, rows = len(rows) > limit, rows[:limit]
    out = [{"seq": row.seq, "batch_id": row.batch_id, "device_id": row.device_id,
            "user": row.user_name, "received_at": to_jsonable(row.received_at),
            "body_sha256": row.body_sha256, "signature": row.signature,
            "public_key": row.public_key, "body": row.body,
            "manifest": json.loads(row.manifest)} for row in rows]
    return {"batches": out, "next": rows[-1].seq if rows else since, "more": more}
