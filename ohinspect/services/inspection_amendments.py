"""Amendment of a signed verification: a new draft that references the locked one, with its
header, answers and photos copied, and is itself signed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import (_answers, _load, inspection_context,
                                                   next_unanswered_after, template_of)
from ohinspect.services.inspection_inputs import (ANSWER_RECORD, PHOTO_OWNER, RECORD, STATUS_DRAFT,
                                                  IdMaker, InspectionHeader, _random_id)
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, Inspection, InspectionAnswer
from ohinspect.store.uow import Actor, UnitOfWork


def amend_in(uow: UnitOfWork, original: Inspection, reason: str, *, at: datetime | None = None,
             ids: IdMaker = _random_id) -> Inspection:
    session = uow.session
    reason = str(reason or "").strip()
    problems: list[FieldProblem] = []
    if original.locked_at is None:
        problems.append(FieldProblem("amends_id", "inspection.error.amend_draft",
                                     tr("inspection.error.amend_draft")))
    if not reason:
        problems.append(FieldProblem("amendment_reason", "inspection.error.amendment_reason",
                                     tr("inspection.error.amendment_reason")))
    open_draft = session.scalars(select(Inspection).where(
        Inspection.amends_id == original.id, Inspection.locked_at.is_(None),
        Inspection.deleted_at.is_(None)).limit(1)).first()
    if open_draft is not None:
        problems.append(FieldProblem("amends_id", "inspection.error.amendment_open",
                                     tr("inspection.error.amendment_open")))
    if problems:
        raise ValidationError(problems)
    header = InspectionHeader.from_record(original)
    old_answers = _answers(session, original.id)
    items = template_of(original).applicable_items(inspection_context(session, original))
    new = Inspection(
        id=ids("inspection"), kind=original.kind, enterprise_id=original.enterprise_id,
        project_id=original.project_id, stage=original.stage,
        template_id=original.template_id, template_version=original.template_version,
        template_snapshot=original.template_snapshot, started_at=at or uow.now,
        party_name=original.party_name, status=STATUS_DRAFT,
        current_item=next_unanswered_after(items, {k: a.answer for k, a in old_answers.items()})
        or "",
        amends_id=original.id, amendment_reason=reason, place=header.place,
        authority=header.authority, inspectors=header.inspectors, recorder=header.recorder,
        party_representative=header.party_representative, party_title=header.party_title,
        summary=header.summary)
    uow.record(new, "inspection.amend", {"amends_id": original.id, "reason": reason})
    answer_ids: dict[str, str] = {}
    for item_id, old in old_answers.items():
        row = InspectionAnswer(id=ids(f"answer:{item_id}"), inspection_id=new.id,
                               item_id=item_id, answer=old.answer, note=old.note,
                               answered_at=old.answered_at)
        uow.record(row, "inspection.answer_copied", {"item_id": item_id, "from": old.id})
        answer_ids[old.id] = row.id
    if answer_ids:  # the photos stay evidence of the amendment too: new rows, same files
        for old_att in session.scalars(select(Attachment).where(
                Attachment.owner_type == PHOTO_OWNER, Attachment.owner_id.in_(answer_ids),
                Attachment.deleted_at.is_(None)).order_by(Attachment.created_at, Attachment.id)):
            att = Attachment(id=ids(f"photo_copy:{old_att.id}"), owner_type=PHOTO_OWNER,
                             owner_id=answer_ids[old_att.owner_id], sha256=old_att.sha256,
                             kind=old_att.kind, media_type=old_att.media_type, size=old_att.size,
                             original_name=old_att.original_name, caption=old_att.caption,
                             original_sha256=old_att.original_sha256, taken_at=old_att.taken_at)
            uow.record(att, "attachment.copy", {"from": old_att.id})
    return new


def amend(store: Store, actor: Actor, inspection_id: str, reason: str) -> OpResult:
    with store.unit_of_work(actor) as uow:
        original = _load(uow.session, inspection_id)
        new = amend_in(uow, original, reason)
        uow.commit()
    return OpResult(changed(RECORD, new.id, inspection_id) | changed(ANSWER_RECORD), new.id)
