"""Starting a checklist-driven inspection (the checklist snapshotted into the record) — a
verification of a project stage here, an audit in :mod:`ohinspect.services.audits`, both through
:func:`new_inspection_in` — and editing its header."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select

from ohinspect.checklists.model import ChecklistTemplate
from ohinspect.errors import FieldProblem, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import _clean_header, _load_writable, context_for
from ohinspect.services.inspection_inputs import (KIND, RECORD, STATUS_DRAFT, IdMaker,
                                                  InspectionHeader, _random_id)
from ohinspect.store.changes import OpResult, UndoStep, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Inspection, Project, ProjectStage
from ohinspect.store.uow import Actor, UnitOfWork


def start_verification_in(uow: UnitOfWork, project_id: str, stage: str, header: InspectionHeader,
                          *, at: datetime | None = None, ids: IdMaker = _random_id) -> Inspection:
    from ohinspect.checklists.loader import load_library
    from ohinspect.checklists.stages import load_stages

    session = uow.session
    project = session.get(Project, project_id)
    if project is None or project.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=project_id))
    if stage not in {s.code for s in load_stages()}:
        raise ValidationError([FieldProblem("stage", "inspection.error.stage_unknown",
                                            tr("inspection.error.stage_unknown", stage=stage))])
    stage_row = session.scalars(select(ProjectStage).where(
        ProjectStage.project_id == project_id, ProjectStage.stage == stage,
        ProjectStage.deleted_at.is_(None)).limit(1)).first()
    if stage_row is None:
        raise ValidationError([FieldProblem("stage", "inspection.error.stage_missing",
                                            tr("inspection.error.stage_missing",
                                               stage=stage_name(stage), project=project.name))])
    enterprise = session.get(Enterprise, project.enterprise_id)
    if enterprise is None:
        raise NotFoundError(tr("record.not_found", record_id=project.enterprise_id))
    clean = _clean_header(header)
    try:
        template = load_library().for_stage(KIND, stage)
    except KeyError:
        raise ValidationError([FieldProblem("stage", "inspection.error.no_template",
                                            tr("inspection.error.no_template",
                                               stage=stage_name(stage)))]) from None
    return new_inspection_in(uow, KIND, enterprise, template, clean, project=project,
                             stage=stage, at=at, ids=ids)


def new_inspection_in(uow: UnitOfWork, kind: str, enterprise: Enterprise,
                      template: ChecklistTemplate, clean_header: dict[str, Any], *,
                      project: Project | None = None, stage: str = "",
                      at: datetime | None = None, ids: IdMaker = _random_id) -> Inspection:
    """A new draft inspection of ``kind`` with ``template`` snapshotted (checked input only)."""
    items = template.applicable_items(context_for(project))
    insp = Inspection(
        id=ids("inspection"), kind=kind, enterprise_id=enterprise.id,
        project_id=project.id if project is not None else None, stage=stage,
        template_id=template.id, template_version=template.version,
        template_snapshot=template.to_snapshot(), started_at=at or uow.now,
        party_name=enterprise.name, current_item=items[0].id if items else "",
        status=STATUS_DRAFT, **clean_header)
    details: dict[str, Any] = {"kind": kind, "enterprise_id": enterprise.id,
                               "template": f"{template.id}@{template.version}"}
    if project is not None:
        details.update(project_id=project.id, stage=stage)
    uow.record(insp, "inspection.start", details)
    return insp


def stage_name(code: str) -> str:
    from ohinspect.checklists.stages import load_stages

    return next((s.name() for s in load_stages() if s.code == code), code)


def start_verification(store: Store, actor: Actor, project_id: str, stage: str,
                       header: InspectionHeader) -> OpResult:
    with store.unit_of_work(actor) as uow:
        insp = start_verification_in(uow, project_id, stage, header)
        uow.commit()
    return OpResult(changed(RECORD, insp.id), insp.id)


def update_header(store: Store, actor: Actor, inspection_id: str,
                  header: InspectionHeader) -> OpResult:
    with store.unit_of_work(actor) as uow:
        insp = _load_writable(uow.session, inspection_id)
        before = InspectionHeader.from_record(insp)
        clean = _clean_header(header)
        changed_fields = insp.assign(clean)
        if changed_fields:
            uow.record(insp, "inspection.header", {"fields": changed_fields})
        uow.commit()
    undo = UndoStep(tr("inspection.action.header"),
                    partial(update_header, inspection_id=inspection_id, header=before))
    return OpResult(changed(RECORD, inspection_id), inspection_id,
                    undo if changed_fields else None)
