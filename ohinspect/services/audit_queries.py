"""Read side of audits: the audit list (filters: kind, status, enterprise, date), the parties
that may be audited with a kind, and the rows of ``ohinspect list audits``.

One audit's details are :func:`ohinspect.services.inspection_queries.get_inspection_view` —
the same view as a 三同时 verification. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.services.audits import EMPLOYER
from ohinspect.services.inspection_inputs import (AUDIT_KINDS, AUDIT_RECTIFICATION_SOURCE,
                                                  INSTITUTION_AUDIT, WORKPLACE_AUDIT)
from ohinspect.store.models import Enterprise, Inspection, RectificationItem
from ohinspect.store.serialize import to_jsonable


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""            # workplace_audit | institution_audit | "" (both)
    status: str = ""          # draft | signed | ""
    enterprise_id: str = ""
    text: str = ""            # part of the party's name
    date_from: date | None = None   # started on or after (local date)
    date_to: date | None = None     # started on or before


@dataclass(frozen=True)
class AuditRow:
    id: str
    kind: str
    enterprise_id: str
    enterprise_name: str
    org_kind: str
    template_id: str
    template_title: str
    status: str
    overall_result: str
    started_at: datetime
    record_number: str
    findings: int
    amends_id: str | None


def _local_bound(day: date, end: bool) -> datetime:
    """The first (or last) moment of a local calendar day, as an aware UTC time."""
    return datetime.combine(day, time.max if end else time.min).astimezone().astimezone(
        timezone.utc)


def list_audits(session: Session, f: AuditFilter = AuditFilter(), *,
                include_deleted: bool = False) -> list[AuditRow]:
    """Audits matching ``f``, newest first."""
    stmt = (select(Inspection, Enterprise.name, Enterprise.org_kind)
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
            .where(Inspection.kind.in_([f.kind] if f.kind else AUDIT_KINDS)))
    if not include_deleted:
        stmt = stmt.where(Inspection.deleted_at.is_(None))
    if f.status:
        stmt = stmt.where(Inspection.status == f.status)
    if f.enterprise_id:
        stmt = stmt.where(Inspection.enterprise_id == f.enterprise_id)
    if f.text.strip():
        stmt = stmt.where(Enterprise.name.contains(f.text.strip()))
    if f.date_from is not None:
        stmt = stmt.where(Inspection.started_at >= _local_bound(f.date_from, False))
    if f.date_to is not None:
        stmt = stmt.where(Inspection.started_at <= _local_bound(f.date_to, True))
    rows = session.execute(stmt.order_by(Inspection.started_at.desc(), Inspection.id)).all()
    ids = [r[0].id for r in rows]
    findings = dict(session.execute(
        select(RectificationItem.source_id, func.count())
        .where(RectificationItem.source_type == AUDIT_RECTIFICATION_SOURCE,
               RectificationItem.source_id.in_(ids), RectificationItem.deleted_at.is_(None))
        .group_by(RectificationItem.source_id)).all()) if ids else {}
    out = []
    for insp, name, org_kind in rows:
        snapshot = insp.template_snapshot or {}
        out.append(AuditRow(
            id=insp.id, kind=insp.kind, enterprise_id=insp.enterprise_id, enterprise_name=name,
            org_kind=org_kind, template_id=insp.template_id,
            template_title=str(snapshot.get("title_zh", insp.template_id)), status=insp.status,
            overall_result=insp.overall_result, started_at=insp.started_at,
            record_number=insp.record_number, findings=int(findings.get(insp.id, 0)),
            amends_id=insp.amends_id))
    return out


def auditable_parties(session: Session, kind: str, text: str = "",
                      limit: int = 200) -> list[Enterprise]:
    """Who an audit of ``kind`` may be of: employers for a workplace audit, institutions
    (any other org_kind) for an institution audit; by name, detached."""
    stmt = select(Enterprise).where(Enterprise.deleted_at.is_(None))
    if kind == WORKPLACE_AUDIT:
        stmt = stmt.where(Enterprise.org_kind == EMPLOYER)
    elif kind == INSTITUTION_AUDIT:
        stmt = stmt.where(Enterprise.org_kind != EMPLOYER)
    if text.strip():
        stmt = stmt.where(Enterprise.name.contains(text.strip()))
    rows = list(session.scalars(stmt.order_by(Enterprise.name, Enterprise.id).limit(limit)))
    for row in rows:
        session.expunge(row)
    return rows


def list_audit_records(session: Session, *, include_deleted: bool = False,
                       limit: int = 0) -> list[dict[str, Any]]:
    """``ohinspect list audits``: one dict per audit, newest first."""
    rows = list_audits(session, include_deleted=include_deleted)
    if limit > 0:
        rows = rows[:limit]
    return [{"id": r.id, "kind": r.kind, "enterprise_id": r.enterprise_id,
             "party": r.enterprise_name, "org_kind": r.org_kind, "template": r.template_id,
             "status": r.status, "overall_result": r.overall_result,
             "record_number": r.record_number, "findings": r.findings,
             "amends_id": r.amends_id, "started_at": to_jsonable(r.started_at)} for r in rows]
