"""Read side of construction projects: the filtered list and one project with everything attached.

"Verified" (核查) = a locked (signed) ``three_simultaneities`` inspection of a stage; a project
is verified when its ``acceptance`` stage is. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError
from ohinspect.i18n import tr
from ohinspect.services.enterprise_queries import division_prefix
from ohinspect.services.projects import stage_codes
from ohinspect.store.models import Attachment, Enterprise, Inspection, Project, ProjectStage

#: the inspection kind of a 三同时 verification
VERIFICATION_KIND = "three_simultaneities"
#: key of ``ProjectDetail.attachments`` for files attached to the project itself
PROJECT_ATTACHMENTS = "project"


@dataclass(frozen=True)
class ProjectFilter:
    text: str = ""        # part of the project's name or location, or of the enterprise's name
    division: str = ""    # a jurisdiction: the code and every division below it
    risk_class: str = ""
    stage: str = ""       # the current stage code


@dataclass(frozen=True)
class ProjectRow:
    id: str
    name: str
    enterprise_id: str
    enterprise_name: str
    division_code: str
    risk_class: str
    #: the latest stage (in stage order) with a start or completion date; "" = none yet
    current_stage: str
    #: stages with a locked three_simultaneities inspection, in stage order
    verified_stages: tuple[str, ...]


@dataclass(frozen=True)
class ProjectDetail:
    project: Project
    enterprise: Enterprise
    stages: dict[str, ProjectStage]              # stage code → record (live ones)
    #: stage code → that stage's attachments; PROJECT_ATTACHMENTS → the project's own
    attachments: dict[str, list[Attachment]]
    inspections: list[Inspection]                # every inspection of the project, oldest first


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def current_stages(session: Session, project_ids: Iterable[str]) -> dict[str, str]:
    """project id → the latest stage begun (start or completion date), "" if none."""
    order = {code: i for i, code in enumerate(stage_codes())}
    best: dict[str, str] = {}
    ids = list(project_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for project_id, stage in session.execute(
                select(ProjectStage.project_id, ProjectStage.stage)
                .where(ProjectStage.project_id.in_(chunk), ProjectStage.deleted_at.is_(None),
                       or_(ProjectStage.started_on.is_not(None),
                           ProjectStage.completed_on.is_not(None)))):
            if stage in order and (project_id not in best
                                   or order[stage] > order[best[project_id]]):
                best[project_id] = stage
    return {i: best.get(i, "") for i in ids}


def verified_stages(session: Session, project_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """project id → stages with a locked (signed) three_simultaneities inspection."""
    order = {code: i for i, code in enumerate(stage_codes())}
    found: dict[str, set[str]] = defaultdict(set)
    ids = list(project_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for project_id, stage in session.execute(
                select(Inspection.project_id, Inspection.stage)
                .where(Inspection.project_id.in_(chunk), Inspection.kind == VERIFICATION_KIND,
                       Inspection.locked_at.is_not(None), Inspection.deleted_at.is_(None))):
            found[project_id].add(stage)
    return {i: tuple(sorted(found.get(i, ()), key=lambda s: order.get(s, len(order))))
            for i in ids}


def list_projects(session: Session, f: ProjectFilter) -> list[ProjectRow]:
    """Live projects matching the filter, ordered by name."""
    stmt = (select(Project.id, Project.name, Project.enterprise_id, Enterprise.name,
                   Project.division_code, Project.risk_class)
            .join(Enterprise, Enterprise.id == Project.enterprise_id)
            .where(Project.deleted_at.is_(None)).order_by(Project.name, Project.id))
    text = f.text.strip()
    if text:
        pattern = f"%{_like(text)}%"
        stmt = stmt.where(or_(Project.name.like(pattern, escape="\\"),
                              Project.location.like(pattern, escape="\\"),
                              Enterprise.name.like(pattern, escape="\\")))
    if f.division:
        prefix = division_prefix(f.division)
        stmt = stmt.where(and_(Project.division_code >= prefix,
                               Project.division_code < prefix + "\uffff"))
    if f.risk_class:
        stmt = stmt.where(Project.risk_class == f.risk_class)
    rows = session.execute(stmt).all()
    ids = [r[0] for r in rows]
    current = current_stages(session, ids)
    verified = verified_stages(session, ids)
    result = [ProjectRow(r[0], r[1], r[2], r[3], r[4], r[5], current[r[0]], verified[r[0]])
              for r in rows]
    if f.stage:
        result = [r for r in result if r.current_stage == f.stage]
    return result


def get_project_detail(session: Session, project_id: str) -> ProjectDetail:
    """One project with its enterprise, stages, attachments and inspections (all detached)."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError(tr("record.not_found", record_id=project_id))
    enterprise = session.get(Enterprise, project.enterprise_id)
    if enterprise is None:
        raise NotFoundError(tr("record.not_found", record_id=project.enterprise_id))
    stages = {s.stage: s for s in session.scalars(
        select(ProjectStage).where(ProjectStage.project_id == project_id,
                                   ProjectStage.deleted_at.is_(None)))}
    owners = {s.id: code for code, s in stages.items()}
    attachments: dict[str, list[Attachment]] = {code: [] for code in stages}
    attachments[PROJECT_ATTACHMENTS] = []
    for att in session.scalars(
            select(Attachment).where(
                Attachment.deleted_at.is_(None),
                or_(and_(Attachment.owner_type == ProjectStage.__record_type__,
                         Attachment.owner_id.in_(list(owners) or [""])),
                    and_(Attachment.owner_type == Project.__record_type__,
                         Attachment.owner_id == project_id)))
            .order_by(Attachment.created_at, Attachment.id)):
        key = owners.get(att.owner_id, PROJECT_ATTACHMENTS) \
            if att.owner_type == ProjectStage.__record_type__ else PROJECT_ATTACHMENTS
        attachments[key].append(att)
    inspections = list(session.scalars(
        select(Inspection).where(Inspection.project_id == project_id,
                                 Inspection.deleted_at.is_(None))
        .order_by(Inspection.started_at, Inspection.id)))
    for obj in (project, enterprise, *stages.values(), *inspections,
                *(a for files in attachments.values() for a in files)):
        session.expunge(obj)
    return ProjectDetail(project, enterprise, stages, attachments, inspections)
