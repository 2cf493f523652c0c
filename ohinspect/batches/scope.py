"""Which jurisdiction the records of a batch belong to (resources/sync/scopes.yaml, the same
rules the platform applies to a push — its resolver is reused, with the local store standing in
for the server's records), and whether the supervisor's jurisdiction covers them (GB/T 2260
prefix rule: ``6210`` covers ``621024``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ohinspect.platform.rights import LEVEL_DIGITS, normalise_division
from ohinspect.platform.scopes import Key, ScopeResolver, StoredParent, common_scope
from ohinspect.store.models import RECORD_TYPES


class _LocalParents:
    """Stands in for the server's record table: the scope of a record already in this store."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.memo: dict[Key, StoredParent | None] = {}

    def get(self, key: Key) -> StoredParent | None:
        if key not in self.memo:
            model = RECORD_TYPES.get(key[0])
            obj = self.session.get(model, key[1]) if model is not None and key[1] else None
            scope = (LocalScopes(self.session, {key: obj.sync_payload()}, self).scope(key)
                     if obj is not None else None)
            self.memo[key] = StoredParent(scope, False) if scope else None
        return self.memo[key]


class LocalScopes(ScopeResolver):
    """Scopes of a batch's records, following parents in the batch, then in the local store."""

    def __init__(self, session: Session, batch: dict[Key, dict[str, Any]],
                 parents: _LocalParents | None = None) -> None:  # noqa: D107 — no server query
        self.batch = batch
        self.stored = parents or _LocalParents(session)  # type: ignore[assignment]

    def scope(self, key: Key) -> str | None:
        try:
            return super().scope(key)
        except KeyError:  # a record type scopes.yaml does not place: the batch's jurisdiction
            return None


def covers(jurisdiction: str, scope: str) -> bool:
    j = normalise_division(jurisdiction)
    return bool(j) and normalise_division(scope).startswith(j)


def outside(session: Session, batch: dict[Key, dict[str, Any]], jurisdiction: str,
            fallback: str) -> list[Key]:
    """Records of ``batch`` that ``jurisdiction`` does not cover; a record whose scope cannot
    be found (its parent is in a batch not imported yet) counts as ``fallback``, the signed
    jurisdiction of the batch."""
    resolver = LocalScopes(session, batch)
    inside: dict[str, bool] = {}  # scope → covered: a batch holds few distinct scopes
    out = []
    for key in batch:
        scope = resolver.scope(key) or fallback
        if scope not in inside:
            inside[scope] = covers(jurisdiction, scope)
        if not inside[scope]:
            out.append(key)
    return out


def batch_jurisdiction(session: Session, batch: dict[Key, dict[str, Any]]) -> str:
    """The narrowest division that covers every record of an export."""
    resolver = LocalScopes(session, batch)
    prefix = common_scope(sorted({s for s in map(resolver.scope, batch) if s}))
    return prefix[:len(prefix) - len(prefix) % LEVEL_DIGITS]  # whole levels only
