"""Which division a pushed record belongs to (resources/sync/scopes.yaml), following its
foreign keys to a record in the same batch or already on the server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from ohinspect.platform import bulk, schema
from ohinspect.platform.rights import normalise_division, scope_rules

Key = tuple[str, str]
#: the longest foreign-key chain in scopes.yaml is shorter than this (lab_result → sample →
#: sampling_task → enterprise); a longer walk means a cycle in the pushed data
MAX_CHAIN = 8


@dataclass(frozen=True)
class StoredParent:
    scope: str
    locked: bool


def parent_key(record_type: str, payload: dict[str, Any]) -> Key | None:
    """The (type, id) the record's scope comes from, or None when its own field holds it."""
    rule = scope_rules()[record_type].get("parent")
    if rule is None:
        return None
    ptype = rule.get("type") or payload.get(rule["type_field"])
    return (str(ptype or ""), str(payload.get(rule["id"]) or ""))


class ScopeResolver:
    """Resolves scopes for one batch: ``batch`` maps keys to payloads being pushed; parents that
    are not in the batch are read from the server in one query."""

    def __init__(self, conn: Connection, batch: dict[Key, dict[str, Any]]) -> None:
        self.batch = batch
        wanted = {k for k in (parent_key(t, p) for (t, _), p in batch.items()) if k}
        self.stored = _stored_parents(conn, wanted)

    def scope(self, key: Key) -> str | None:
        """The normalised division of ``key``, or None when a parent is not known yet."""
        for _ in range(MAX_CHAIN):
            payload = self.batch.get(key)
            if payload is None:
                stored = self.stored.get(key)
                return stored.scope if stored else None
            rule = scope_rules()[key[0]]
            if "field" in rule:
                return normalise_division(str(payload.get(rule["field"]) or ""))
            nxt = parent_key(key[0], payload)
            if nxt is None or nxt[0] not in scope_rules():
                return None
            key = nxt
        return None

    def parent_locked(self, record_type: str, payload: dict[str, Any]) -> bool:
        """The record is frozen with its parent and that parent is locked on the server."""
        if not scope_rules()[record_type].get("locked_with_parent"):
            return False
        key = parent_key(record_type, payload)
        stored = self.stored.get(key) if key else None
        return bool(stored and stored.locked)


def _stored_parents(conn: Connection, keys: set[Key]) -> dict[Key, StoredParent]:
    r = schema.records
    rows = bulk.select_by_keys(conn, r, ("record_type", "record_id"), sorted(keys),
                               (r.c.record_type, r.c.record_id, r.c.scope, r.c.locked))
    return {(row.record_type, row.record_id): StoredParent(row.scope, row.locked) for row in rows}


def common_scope(scopes: list[str]) -> str:
    """The longest common prefix of ``scopes``: whoever reads it reads every one of them."""
    if not scopes:
        return ""
    first, last = min(scopes), max(scopes)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]
