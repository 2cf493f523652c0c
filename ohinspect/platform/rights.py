"""Jurisdictions: who may read and write which records (resources/sync/roles.yaml) and which
division a record belongs to (resources/sync/scopes.yaml).

Division codes follow GB/T 2260: two digits per level (province XX, prefecture XXYY, county
XXYYZZ); ``621000`` is the prefecture ``6210`` itself, so codes are compared without trailing
``00`` pairs and a jurisdiction covers every code it is a prefix of (``6210`` covers ``621024``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_

from ohinspect.resources import load_resource

ROLES_FILE, SCOPES_FILE = "sync/roles.yaml", "sync/scopes.yaml"
LEVEL_DIGITS = 2  # GB/T 2260: each administrative level adds two digits


def normalise_division(code: str) -> str:
    """``621000`` → ``6210``, ``620000`` → ``62``; anything that is not 2–6 digits → ``""``
    (covered by nobody)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) % LEVEL_DIGITS or not 2 <= len(code) <= 6:
        return ""
    while len(code) > LEVEL_DIGITS and code.endswith("00"):
        code = code[:-LEVEL_DIGITS]
    return code


def roles() -> dict[str, dict[str, Any]]:
    return dict(load_resource(ROLES_FILE)["roles"])


def scope_rules() -> dict[str, dict[str, Any]]:
    return dict(load_resource(SCOPES_FILE)["types"])


def lock_rule() -> dict[str, Any]:
    return dict(load_resource(SCOPES_FILE)["lock"])


@dataclass(frozen=True)
class Caller:
    """The authenticated user and device of a request."""

    user: str
    role: str
    jurisdiction: str  # normalised
    device_id: str
    public_key: str

    def _relations(self, right: str) -> list[str]:
        return list(roles()[self.role][right])

    def _covers(self, right: str, scope: str) -> bool:
        rel = self._relations(right)
        j = self.jurisdiction
        if not scope or not j:
            return False
        return ("own" in rel and scope == j) or ("below" in rel and scope.startswith(j)
                                                  and scope != j)

    def can_read(self, scope: str) -> bool:
        return self._covers("read", scope)

    def can_write(self, scope: str) -> bool:
        return self._covers("write", scope)

    def may_manage_devices(self) -> bool:
        return bool(roles()[self.role].get("manage_devices"))

    def readable(self, column: Any) -> ColumnElement[bool]:
        """SQL condition on a scope column: the scopes this caller may read."""
        rel, j = self._relations("read"), self.jurisdiction
        if not j:
            return false()
        terms: list[ColumnElement[bool]] = []
        if "own" in rel:
            terms.append(column == j)
        if "below" in rel:
            terms.append(column.like(j + "_%"))
        return or_(*terms) if terms else false()


def is_locked_payload(payload: dict[str, Any]) -> bool:
    """A signed record (status in the lock statuses, or its lock timestamp set) never changes."""
    rule = lock_rule()
    return payload.get("status") in set(rule["statuses"]) or bool(payload.get(rule["field"]))
