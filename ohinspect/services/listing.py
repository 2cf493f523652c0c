"""``ohinspect list KIND``: records of a kind with ids and key fields, as plain dicts.

Later issues register their kinds (projects, inspections, sampling tasks, audits…) here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.store.models import Enterprise

Listing = Callable[..., list[dict[str, Any]]]


def list_enterprises(session: Session, *, include_deleted: bool = False,
                     limit: int = 0) -> list[dict[str, Any]]:
    stmt = select(Enterprise.id, Enterprise.name, Enterprise.uscc, Enterprise.division_code,
                  Enterprise.industry_code, Enterprise.risk_class, Enterprise.workforce,
                  Enterprise.exposed_count, Enterprise.deleted_at).order_by(Enterprise.name,
                                                                            Enterprise.id)
    if not include_deleted:
        stmt = stmt.where(Enterprise.deleted_at.is_(None))
    if limit > 0:
        stmt = stmt.limit(limit)
    return [{"id": r.id, "name": r.name, "uscc": r.uscc, "division_code": r.division_code,
             "industry_code": r.industry_code, "risk_class": r.risk_class,
             "workforce": r.workforce, "exposed_count": r.exposed_count,
             "deleted": r.deleted_at is not None} for r in session.execute(stmt)]


LISTINGS: dict[str, Listing] = {"enterprises": list_enterprises}
ALIASES = {"enterprise": "enterprises", "用人单位": "enterprises"}


def resolve_kind(kind: str) -> str:
    kind = ALIASES.get(kind, kind)
    if kind not in LISTINGS:
        raise OHInspectError(tr("cli.unknown_kind", kind=kind, choices=", ".join(sorted(LISTINGS))))
    return kind
