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
from ohinspect.services.audit_queries import list_audit_records
from ohinspect.services.rectification_queries import list_rectification
from ohinspect.store.serialize import to_jsonable
from ohinspect.store.models import Inspection, Enterprise, Inspector, Project

Listing = Callable[..., list[dict[str, Any]]]


def list_enterprises(session: Session, *, include_deleted: bool = False,
                     limit: int = 0) -> list[dict[str, Any]]:
    stmt = select(Enterprise.id, Enterprise.name, Enterprise.uscc, Enterprise.division_code,
                  Enterprise.industry_code, Enterprise.risk_class, Enterprise.workforce,
                  Enterprise.exposed_count, Enterprise.org_kind,
                  Enterprise.deleted_at).order_by(Enterprise.name, Enterprise.id)
    if not include_deleted:
        stmt = stmt.where(Enterprise.deleted_at.is_(None))
    if limit > 0:
        stmt = stmt.limit(limit)
    return [{"id": r.id, "name": r.name, "uscc": r.uscc, "division_code": r.division_code,
             "industry_code": r.industry_code, "risk_class": r.risk_class,
             "workforce": r.workforce, "exposed_count": r.exposed_count,
             "org_kind": r.org_kind, "deleted": r.deleted_at is not None}
            for r in session.execute(stmt)]


def list_projects(session: Session, *, include_deleted: bool = False,
                  limit: int = 0) -> list[dict[str, Any]]:
    from ohinspect.services.project_queries import current_stages, verified_stages

    stmt = (select(Project.id, Project.name, Project.enterprise_id, Enterprise.name.label("ent"),
                   Project.division_code, Project.industry_code, Project.nature,
                   Project.risk_class, Project.investment_yuan, Project.deleted_at)
            .join(Enterprise, Enterprise.id == Project.enterprise_id)
            .order_by(Project.name, Project.id))
    if not include_deleted:
        stmt = stmt.where(Project.deleted_at.is_(None))
    if limit > 0:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()
    ids = [r.id for r in rows]
    current, verified = current_stages(session, ids), verified_stages(session, ids)
    return [{"id": r.id, "name": r.name, "enterprise_id": r.enterprise_id,
             "enterprise_name": r.ent, "division_code": r.division_code,
             "industry_code": r.industry_code, "nature": r.nature, "risk_class": r.risk_class,
             "investment_yuan": r.investment_yuan, "current_stage": current[r.id],
             "verified_stages": ",".join(verified[r.id]),
             "deleted": r.deleted_at is not None} for r in rows]


def list_inspectors(session: Session, *, include_deleted: bool = False,
                    limit: int = 0) -> list[dict[str, Any]]:
    stmt = select(Inspector.id, Inspector.name, Inspector.id_no, Inspector.jurisdiction,
                  Inspector.unit, Inspector.active, Inspector.deleted_at).order_by(
        Inspector.jurisdiction, Inspector.name, Inspector.id)
    if not include_deleted:
        stmt = stmt.where(Inspector.deleted_at.is_(None))
    if limit > 0:
        stmt = stmt.limit(limit)
    return [{"id": r.id, "name": r.name, "id_no": r.id_no, "jurisdiction": r.jurisdiction,
             "unit": r.unit, "active": r.active, "deleted": r.deleted_at is not None}
            for r in session.execute(stmt)]


def list_inspection_records(session: Session, *, include_deleted: bool = False,
                            limit: int = 0) -> list[dict[str, Any]]:
    stmt = select(Inspection.id, Inspection.kind, Inspection.stage, Inspection.party_name,
                  Inspection.project_id, Inspection.status, Inspection.record_number,
                  Inspection.opinion_number, Inspection.amends_id, Inspection.started_at,
                  Inspection.deleted_at).order_by(Inspection.started_at, Inspection.id)
    if not include_deleted:
        stmt = stmt.where(Inspection.deleted_at.is_(None))
    if limit > 0:
        stmt = stmt.limit(limit)
    return [{"id": r.id, "kind": r.kind, "stage": r.stage, "party": r.party_name,
             "project_id": r.project_id, "status": r.status, "record_number": r.record_number,
             "opinion_number": r.opinion_number, "amends_id": r.amends_id,
             "started_at": to_jsonable(r.started_at), "deleted": r.deleted_at is not None}
            for r in session.execute(stmt)]


def list_sampling_tasks(session: Session, *, include_deleted: bool = False,
                        limit: int = 0) -> list[dict[str, Any]]:
    """Sampling tasks with their number, enterprise, monitoring type, status and how many posts,
    air samples, blanks, noise measurements and current lab results they hold."""
    from sqlalchemy import func

    from ohinspect.store.models import (LabResult, NoiseMeasurement, Sample, SamplingPost,
                                        SamplingTask)

    stmt = (select(SamplingTask.id, SamplingTask.task_number, SamplingTask.enterprise_id,
                   Enterprise.name.label("ent"), SamplingTask.monitoring_type,
                   SamplingTask.planned_on, SamplingTask.status, SamplingTask.locked_at,
                   SamplingTask.deleted_at)
            .join(Enterprise, Enterprise.id == SamplingTask.enterprise_id)
            .order_by(SamplingTask.planned_on, SamplingTask.task_number, SamplingTask.id))
    if not include_deleted:
        stmt = stmt.where(SamplingTask.deleted_at.is_(None))
    if limit > 0:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()

    def per_task(model: Any, *where: Any) -> dict[str, int]:
        q = (select(model.task_id, func.count()).where(model.deleted_at.is_(None), *where)
             .group_by(model.task_id))
        return {task_id: n for task_id, n in session.execute(q)}

    posts = per_task(SamplingPost)
    samples = per_task(Sample, Sample.kind != "blank")
    blanks = per_task(Sample, Sample.kind == "blank")
    noise = per_task(NoiseMeasurement)
    superseded = select(LabResult.supersedes_id).where(LabResult.supersedes_id.is_not(None))
    results = {task_id: n for task_id, n in session.execute(
        select(Sample.task_id, func.count(LabResult.id))
        .join(LabResult, LabResult.sample_id == Sample.id)
        .where(LabResult.deleted_at.is_(None), Sample.deleted_at.is_(None),
               LabResult.id.not_in(superseded))
        .group_by(Sample.task_id))}
    return [{"id": r.id, "task_number": r.task_number, "enterprise_id": r.enterprise_id,
             "enterprise_name": r.ent, "monitoring_type": r.monitoring_type,
             "planned_on": to_jsonable(r.planned_on), "status": r.status,
             "locked": r.locked_at is not None, "posts": posts.get(r.id, 0),
             "samples": samples.get(r.id, 0), "blanks": blanks.get(r.id, 0),
             "noise": noise.get(r.id, 0), "results": results.get(r.id, 0),
             "deleted": r.deleted_at is not None} for r in rows]


LISTINGS: dict[str, Listing] = {"enterprises": list_enterprises, "projects": list_projects,
                                "inspectors": list_inspectors,
                                "inspections": list_inspection_records,
                                "sampling": list_sampling_tasks, "audits": list_audit_records,
                                "rectification": list_rectification}
ALIASES = {"enterprise": "enterprises", "用人单位": "enterprises",
           "project": "projects", "建设项目": "projects", "项目": "projects",
           "inspector": "inspectors", "检查员": "inspectors", "执法人员": "inspectors",
           "inspection": "inspections", "核查": "inspections", "检查记录": "inspections",
           "sampling-tasks": "sampling", "tasks": "sampling", "采样": "sampling",
           "采样任务": "sampling"}


def resolve_kind(kind: str) -> str:
    kind = ALIASES.get(kind, kind)
    if kind not in LISTINGS:
        raise OHInspectError(tr("cli.unknown_kind", kind=kind, choices=", ".join(sorted(LISTINGS))))
    return kind
