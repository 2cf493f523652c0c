"""Helpers of the verification services, shared with ``inspection_queries`` (which imports
them, never the other way round): the snapshotted checklist and its applicable items, the
resume point, deadlines, header cleaning, loading a record and refusing a locked one, the
answers and photo counts, and attaching a file inside a unit of work."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.checklists.grading import GradedItem, GradingResult, load_grading, roll_up
from ohinspect.checklists.model import ChecklistItem, ChecklistTemplate
from ohinspect.errors import FieldProblem, LockedRecordError, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.resources import load_resource
from ohinspect.services.inspection_inputs import PHOTO_OWNER, InspectionHeader
from ohinspect.store.models import Attachment, Inspection, InspectionAnswer, Project, Signature
from ohinspect.store.uow import UnitOfWork


def template_of(insp: Inspection) -> ChecklistTemplate:
    """The checklist as snapshotted when the inspection started."""
    return ChecklistTemplate.from_snapshot(insp.template_snapshot)


def context_for(project: Project | None) -> dict[str, str]:
    """What decides which items apply (ChecklistItem.condition)."""
    return {"risk_class": project.risk_class if project is not None else ""}


def inspection_context(session: Session, insp: Inspection) -> dict[str, str]:
    project = session.get(Project, insp.project_id) if insp.project_id else None
    return context_for(project)


def items_of(template: ChecklistTemplate, context: Mapping[str, str],
             answered: Mapping[str, str], locked: bool) -> list[ChecklistItem]:
    """The items of an inspection: those that apply now; for a signed one, exactly the items
    answered when it was signed (a later change of the project's risk class changes nothing)."""
    if locked:
        return [i for i in template.items if answered.get(i.id)]
    return template.applicable_items(context)


def audit_grading(kind: str, items: list[ChecklistItem],
                  answers: Mapping[str, str]) -> GradingResult:
    """The overall result of an audit's answered items under the rule set of its kind
    (resources/checklists/grading.yaml)."""
    grading = load_grading()
    graded = [GradedItem(i.id, answers.get(i.id, ""), i.key) for i in items]
    return roll_up(graded, grading.rule_for(kind), grading.ignored_answers)


def required_inspectors() -> int:
    """Officers who must take part and sign (resources/standards/enforcement.yaml: 行政处罚法 第四十二条)."""
    return int(load_resource("standards/enforcement.yaml")["min_inspectors"])


def local_today() -> date:
    return datetime.now().astimezone().date()


def item_label(item: ChecklistItem) -> str:
    return f"{item.id} {item.text()}"


def next_unanswered_after(items: list[ChecklistItem], answered: Mapping[str, str],
                          after: str = "") -> str | None:
    """The first applicable item without an answer, looking after ``after`` and wrapping round."""
    ids = [i.id for i in items]
    start = ids.index(after) + 1 if after in ids else 0
    for item_id in ids[start:] + ids[:start]:
        if not answered.get(item_id):
            return item_id
    return None


def deadline_days_for(template: ChecklistTemplate, item: ChecklistItem) -> int | None:
    """The item's correction deadline in days (the template's ``defaults`` already apply to
    it); an item without one takes the longest of its checklist. Data, never a literal here."""
    if item.deadline_days is not None:
        return item.deadline_days
    known = [i.deadline_days for i in template.items if i.deadline_days is not None]
    return max(known) if known else None


def _text(value: object) -> str:
    return str(value or "").strip()


def _too_long(problems: list[FieldProblem], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        problems.append(FieldProblem(name, "field.too_long", tr("field.too_long", max=limit)))


def _column_length(name: str) -> int:
    return int(Inspection.__table__.columns[name].type.length)  # type: ignore[attr-defined]


def _clean_header(header: InspectionHeader) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}
    for name in ("place", "authority", "recorder", "party_representative", "party_title"):
        clean[name] = _text(getattr(header, name))
        _too_long(problems, name, clean[name], _column_length(name))
    clean["summary"] = str(header.summary or "").strip()
    inspectors: list[dict[str, str]] = []
    name_max = Signature.__table__.columns["signer_name"].type.length  # type: ignore[attr-defined]
    id_max = Signature.__table__.columns["signer_id_no"].type.length  # type: ignore[attr-defined]
    for n, entry in enumerate(header.inspectors or [], start=1):
        name, id_no = _text(entry.get("name")), _text(entry.get("id_no"))
        if not name and not id_no:
            continue  # an empty row of the form
        if not name:
            problems.append(FieldProblem("inspectors", "inspection.error.inspector_name",
                                         tr("inspection.error.inspector_name", n=n)))
        if len(name) > name_max or len(id_no) > id_max:
            problems.append(FieldProblem("inspectors", "field.too_long",
                                         tr("field.too_long", max=min(name_max, id_max))))
        inspectors.append({"name": name, "id_no": id_no})
    clean["inspectors"] = inspectors
    if problems:
        raise ValidationError(problems)
    return clean


def _load(session: Session, inspection_id: str) -> Inspection:
    insp = session.get(Inspection, inspection_id)
    if insp is None or insp.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=inspection_id))
    return insp


def ensure_unlocked(insp: Inspection) -> None:
    """Refuse any write to a signed record (the triggers are the second line)."""
    if insp.locked_at is not None:
        raise LockedRecordError(tr("inspection.error.locked",
                                   number=insp.record_number or insp.id))


def _load_writable(session: Session, inspection_id: str) -> Inspection:
    insp = _load(session, inspection_id)
    ensure_unlocked(insp)
    return insp


def _answers(session: Session, inspection_id: str) -> dict[str, InspectionAnswer]:
    rows = session.scalars(select(InspectionAnswer).where(
        InspectionAnswer.inspection_id == inspection_id, InspectionAnswer.deleted_at.is_(None)))
    return {a.item_id: a for a in rows}


def _photo_counts(session: Session, answers: Mapping[str, InspectionAnswer]) -> dict[str, int]:
    by_answer = {a.id: item_id for item_id, a in answers.items()}
    counts: dict[str, int] = {}
    if not by_answer:
        return counts
    for owner_id in session.scalars(select(Attachment.owner_id).where(
            Attachment.owner_type == PHOTO_OWNER, Attachment.owner_id.in_(by_answer),
            Attachment.deleted_at.is_(None))):
        counts[by_answer[owner_id]] = counts.get(by_answer[owner_id], 0) + 1
    return counts


def _applicable_item(session: Session, insp: Inspection, item_id: str,
                     template: ChecklistTemplate) -> ChecklistItem:
    try:
        item = template.item(item_id)
    except KeyError:
        raise ValidationError([FieldProblem("item_id", "inspection.error.item_unknown",
                                            tr("inspection.error.item_unknown",
                                               item=item_id))]) from None
    if not item.applies(inspection_context(session, insp)):
        raise ValidationError([FieldProblem("item_id", "inspection.error.item_not_applicable",
                                            tr("inspection.error.item_not_applicable",
                                               item=item_label(item)))])
    return item


def _attach_in(uow: UnitOfWork, owner_type: str, owner_id: str, data: bytes, *, kind: str,
               media_type: str, caption: str = "", attachment_id: str | None = None) -> Attachment:
    """The file, then its row, inside ``uow`` (through ``add_attachment``); the row object."""
    from ohinspect.services.attachments import add_attachment

    result = add_attachment(uow.store, uow.actor, owner_type, owner_id, data, kind=kind,
                            media_type=media_type, caption=caption, uow=uow,
                            attachment_id=attachment_id)
    att = uow.session.get(Attachment, result.record_id)  # flushes the pending row first
    assert att is not None
    return att
