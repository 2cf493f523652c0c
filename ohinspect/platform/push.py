"""POST /v1/push: a batch of record versions, applied in ONE transaction, idempotent per
batch id and per record content hash (docs/design/issue6-sync.md "Push").

Every accepted version gets a server seq; a record changes only by fast-forward (the pusher's
base is the server's current hash), only by its author unless the type is a shared registry
record, and never once locked. The request body, its signature, the manifest and the response
are stored with the batch: a retry or replay gets the stored response, nothing changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from ohinspect.platform import bulk, schema
from ohinspect.platform.db import draw_seqs, high_water, run_write
from ohinspect.platform.messages import PushItem, PushRequest
from ohinspect.platform.protocol import MAX_BATCH_ITEMS, ApiError
from ohinspect.platform.rights import Caller, is_locked_payload, scope_rules
from ohinspect.platform.scopes import Key, ScopeResolver, common_scope
from ohinspect.store.base import utcnow
from ohinspect.store.serialize import canonical_json, sha256_hex

ATTACHMENT = "attachment"


def check_items(req: PushRequest, caller: Caller) -> dict[Key, str]:
    """Refuse the whole batch before touching the database when an item is malformed; returns
    each item's canonical JSON (what is stored)."""
    if len(req.items) > MAX_BATCH_ITEMS:
        raise ApiError(413, "batch_too_large", limit=MAX_BATCH_ITEMS)
    if req.device_id != caller.device_id:
        raise ApiError(403, "device_mismatch")
    texts: dict[Key, str] = {}
    for item in req.items:
        key = (item.record_type, item.id)
        if item.record_type not in scope_rules():
            raise ApiError(400, "unknown_record_type", record_type=item.record_type)
        if key in texts:
            raise ApiError(400, "duplicate_item", record_type=item.record_type, id=item.id)
        if item.payload.get("id") != item.id:
            raise ApiError(400, "id_mismatch", record_type=item.record_type, id=item.id)
        texts[key] = canonical_json(item.payload)
        if sha256_hex(texts[key]) != item.hash:
            raise ApiError(400, "hash_mismatch", record_type=item.record_type, id=item.id)
    return texts


def push(engine: Engine, caller: Caller, req: PushRequest, body: bytes,
         signature: str) -> dict[str, Any]:
    texts = check_items(req, caller)
    try:
        text = body.decode("utf-8")  # kept verbatim with its signature (issue 7 verifies it)
    except UnicodeDecodeError as exc:
        raise ApiError(400, "invalid_request", where="body", problem="not UTF-8") from exc
    return run_write(engine, lambda conn: _apply(conn, caller, req, texts, body, text, signature))


def _apply(conn: Connection, caller: Caller, req: PushRequest, texts: dict[Key, str],
           body: bytes, text: str, signature: str) -> dict[str, Any]:
    b = schema.batches
    done = conn.execute(select(b.c.device_id, b.c.response).where(b.c.batch_id == req.batch_id)
                        ).first()
    if done is not None:
        if done.device_id != caller.device_id:
            raise ApiError(409, "batch_id_taken")
        return dict(json.loads(done.response))
    items = {(i.record_type, i.id): i for i in req.items}
    stored = _lock_records(conn, list(items))
    versions = _known_versions(conn, req.items)
    complete = _complete_blobs(conn, [str(i.payload.get("sha256", "")) for i in req.items
                                      if i.record_type == ATTACHMENT])
    resolver = ScopeResolver(conn, {k: i.payload for k, i in items.items()})
    scopes: dict[Key, str | None] = {k: resolver.scope(k) for k in items}
    for key, scope in scopes.items():
        old = stored.get(key)
        if (scope is not None and not caller.can_write(scope)) or (
                old is not None and not caller.can_write(old.scope)):
            raise ApiError(403, "out_of_scope", record_type=key[0], id=key[1])

    results, accepted = [], []
    for key, item in items.items():
        old = stored.get(key)
        result: dict[str, Any] = {"record_type": key[0], "id": key[1], "hash": item.hash,
                                  "outcome": "accepted", "server_hash": old.hash if old else None,
                                  "server_seq": None}
        if (key[0], key[1], item.hash) in versions:
            result.update(outcome="already", server_seq=versions[(key[0], key[1], item.hash)])
        elif scopes[key] is None:
            result["outcome"] = "missing_parent"
        elif key[0] == ATTACHMENT and item.payload.get("sha256") not in complete:
            result["outcome"] = "missing_blob"
        elif old is not None and not _may_fast_forward(caller, item, old, resolver):
            result.update(outcome="conflict", server_payload=json.loads(old.payload),
                          server_seq=old.server_seq)
        else:
            accepted.append((key, item, result))
        results.append(result)

    seqs = draw_seqs(conn, len(accepted)) if accepted else []
    for seq, (_key, item, result) in zip(seqs, accepted):
        result.update(server_hash=item.hash, server_seq=seq)
    _store_versions(conn, caller, req.batch_id,
                    [(item, texts[key], scopes[key] or "", key in stored, seq)
                     for seq, (key, item, _result) in zip(seqs, accepted)])
    response = {"batch_id": req.batch_id,
                "server_seq_high": max(seqs) if seqs else high_water(conn), "results": results}
    manifest = [{k: r[k] for k in ("record_type", "id", "hash", "outcome", "server_seq")}
                for r in results]
    conn.execute(insert(b).values(
        batch_id=req.batch_id, device_id=caller.device_id, user_name=caller.user,
        received_at=utcnow(), scope=common_scope([s for s in scopes.values() if s]),
        body_sha256=hashlib.sha256(body).hexdigest(), signature=signature,
        public_key=caller.public_key, body=text,
        manifest=json.dumps(manifest), response=json.dumps(response, ensure_ascii=False)))
    return response


def _may_fast_forward(caller: Caller, item: PushItem, old: Any, resolver: ScopeResolver) -> bool:
    """The pusher changed the version the server holds, may change this record, and neither it
    nor (for records frozen with their parent) its parent is locked."""
    shared = bool(scope_rules()[item.record_type].get("shared"))
    return (item.base_hash == old.hash and not old.locked
            and not resolver.parent_locked(item.record_type, item.payload)
            and (old.author == caller.user or shared))


def _lock_records(conn: Connection, keys: list[Key]) -> dict[Key, Any]:
    """The current rows of the batch's records, locked until commit (in key order, so two
    batches touching the same records cannot deadlock)."""
    r = schema.records
    rows = bulk.select_by_keys(conn, r, ("record_type", "record_id"), keys, (
        r.c.record_type, r.c.record_id, r.c.scope, r.c.author, r.c.hash, r.c.payload,
        r.c.locked, r.c.server_seq), lock=True)
    return {(row.record_type, row.record_id): row for row in rows}


def _known_versions(conn: Connection, items: list[PushItem]) -> dict[tuple[str, str, str], int]:
    v = schema.record_versions
    rows = bulk.select_by_keys(conn, v, ("record_type", "record_id", "hash"),
                               [(i.record_type, i.id, i.hash) for i in items],
                               (v.c.record_type, v.c.record_id, v.c.hash, v.c.server_seq))
    return {(row.record_type, row.record_id, row.hash): row.server_seq for row in rows}


def _complete_blobs(conn: Connection, hashes: list[str]) -> set[str]:
    bl = schema.blobs
    rows = bulk.select_by_keys(conn, bl, ("sha256",), [(h,) for h in sorted(set(hashes))],
                               (bl.c.sha256, bl.c.complete))
    return {row.sha256 for row in rows if row.complete}


def _store_versions(conn: Connection, caller: Caller, batch_id: str,
                    accepted: list[tuple[PushItem, str, str, bool, int]]) -> None:
    """Write the accepted versions: new records, fast-forwarded records and the version log,
    one statement each (the seq lock is held from here to commit)."""
    r, v = schema.records, schema.record_versions
    new_rows, changed_rows, versions = [], [], []
    for item, text, scope, exists, seq in accepted:
        row = {"record_type": item.record_type, "record_id": item.id, "scope": scope,
               "device_id": caller.device_id, "hash": item.hash, "payload": text,
               "server_seq": seq, "locked": is_locked_payload(item.payload),
               "blob_sha256": (item.payload.get("sha256") if item.record_type == ATTACHMENT
                               else None)}
        if exists:
            changed_rows.append(row)
        else:
            new_rows.append({**row, "author": caller.user})
        versions.append({"record_type": item.record_type, "record_id": item.id,
                         "hash": item.hash, "server_seq": seq, "device_id": caller.device_id,
                         "batch_id": batch_id})
    bulk.insert_rows(conn, r, new_rows)
    bulk.update_rows(conn, r, ("record_type", "record_id"), changed_rows)
    bulk.insert_rows(conn, v, versions)
