"""Read side of inspections: one inspection with everything a screen or a document needs.

Every object returned is detached from the session with all its columns loaded (the models
have no relationships), so nothing lazy-loads after the session closes. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.checklists.model import ChecklistItem, ChecklistTemplate
from ohinspect.errors import NotFoundError
from ohinspect.i18n import tr
from ohinspect.services.inspection_inputs import rectification_source
from ohinspect.services.inspections import (PHOTO_OWNER, FindingInput, context_for,
                                            deadline_days_for, items_of, local_today,
                                            template_of)
from ohinspect.store.models import (Attachment, Enterprise, Inspection, InspectionAnswer, Project,
                                    ProjectStage, RectificationItem, Signature)


@dataclass(frozen=True)
class InspectionView:
    inspection: Inspection
    template: ChecklistTemplate
    items: list[ChecklistItem]                  # the applicable items, in checklist order
    answers: dict[str, InspectionAnswer]        # by item id (a row may hold only photos: answer "")
    photos: dict[str, list[Attachment]]         # by item id, oldest first
    signatures: list[Signature]
    findings: list[RectificationItem]           # opened when it was signed
    project: Project | None
    enterprise: Enterprise
    stage: ProjectStage | None
    locked: bool
    amendments: list[Inspection]                # later inspections that amend this one

    def answer_of(self, item_id: str) -> str:
        row = self.answers.get(item_id)
        return row.answer if row is not None else ""

    def answered_count(self) -> int:
        return sum(1 for i in self.items if self.answer_of(i.id))

    def next_unanswered(self) -> str | None:
        """Where to resume: the saved resume point if it is still open, else the first
        unanswered item after it (wrapping round); None when every item is answered."""
        ids = [i.id for i in self.items]
        current = self.inspection.current_item
        start = ids.index(current) if current in ids else 0
        for item_id in ids[start:] + ids[:start]:
            if not self.answer_of(item_id):
                return item_id
        return None

    def proposed_findings(self, *, today: date | None = None) -> list[FindingInput]:
        """A finding for every answer that is one: the item's requirement and legal basis, and a
        deadline of today + the item's correction days (else the checklist's default)."""
        today = today or local_today()
        proposed = []
        for item in self.items:
            answer = self.answer_of(item.id)
            if not answer or not self.template.is_finding(item.id, answer):
                continue
            days = deadline_days_for(self.template, item)
            proposed.append(FindingInput(
                item_id=item.id, requirement=item.requirement_zh,
                deadline=today + timedelta(days=days) if days is not None else today,
                legal_basis=item.legal_basis))
        return proposed


def _detached(session: Session, rows: list) -> list:  # type: ignore[type-arg]
    for row in rows:
        session.expunge(row)
    return rows


def get_inspection_view(session: Session, inspection_id: str) -> InspectionView:
    insp = session.get(Inspection, inspection_id)
    if insp is None or insp.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=inspection_id))
    enterprise = session.get(Enterprise, insp.enterprise_id)
    if enterprise is None:
        raise NotFoundError(tr("record.not_found", record_id=insp.enterprise_id))
    project = session.get(Project, insp.project_id) if insp.project_id else None
    stage = None
    if project is not None and insp.stage:
        stage = session.scalars(select(ProjectStage).where(
            ProjectStage.project_id == project.id, ProjectStage.stage == insp.stage,
            ProjectStage.deleted_at.is_(None)).limit(1)).first()
    answers = {a.item_id: a for a in session.scalars(select(InspectionAnswer).where(
        InspectionAnswer.inspection_id == insp.id, InspectionAnswer.deleted_at.is_(None)))}
    by_answer = {a.id: item_id for item_id, a in answers.items()}
    photos: dict[str, list[Attachment]] = {}
    if by_answer:
        for att in session.scalars(select(Attachment).where(
                Attachment.owner_type == PHOTO_OWNER, Attachment.owner_id.in_(by_answer),
                Attachment.deleted_at.is_(None)).order_by(Attachment.created_at, Attachment.id)):
            photos.setdefault(by_answer[att.owner_id], []).append(att)
    signatures = list(session.scalars(select(Signature).where(
        Signature.inspection_id == insp.id, Signature.deleted_at.is_(None))
        .order_by(Signature.signed_at, Signature.change_seq, Signature.id)))
    findings = list(session.scalars(select(RectificationItem).where(
        RectificationItem.source_type == rectification_source(insp.kind),
        RectificationItem.source_id == insp.id, RectificationItem.deleted_at.is_(None))
        .order_by(RectificationItem.change_seq, RectificationItem.id)))
    amendments = list(session.scalars(select(Inspection).where(
        Inspection.amends_id == insp.id, Inspection.deleted_at.is_(None))
        .order_by(Inspection.started_at, Inspection.id)))
    template = template_of(insp)
    locked = insp.locked_at is not None
    items = items_of(template, context_for(project), {k: a.answer for k, a in answers.items()},
                     locked)
    _detached(session, [insp, enterprise, *([project] if project else []),
                        *([stage] if stage else []), *answers.values(),
                        *(a for rows in photos.values() for a in rows), *signatures, *findings,
                        *amendments])
    return InspectionView(inspection=insp, template=template, items=items, answers=answers,
                          photos=photos, signatures=signatures, findings=findings,
                          project=project, enterprise=enterprise, stage=stage, locked=locked,
                          amendments=amendments)


def list_inspections(session: Session, *, project_id: str | None = None) -> list[Inspection]:
    """Inspections (newest first), of one project when ``project_id`` is given; detached."""
    stmt = select(Inspection).where(Inspection.deleted_at.is_(None))
    if project_id is not None:
        stmt = stmt.where(Inspection.project_id == project_id)
    rows = list(session.scalars(stmt.order_by(Inspection.started_at.desc(), Inspection.id)))
    return _detached(session, rows)
