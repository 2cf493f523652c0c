"""Answers and photos of a draft inspection: each saved the moment it is given, moving the
resume point (``current_item``).

An audit grade is given once (issue 5, Bad input: "grading an item twice"): grading an item
already graded otherwise is refused with a message naming the grade it has, unless it comes
with a ``change_reason`` — then it is an explicit change, recorded with the old and new grade
and the reason. A 三同时 answer may simply be given again (with undo)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import (_answers, _applicable_item, _attach_in,
                                                   _load_writable, _photo_counts, _text,
                                                   ensure_unlocked, inspection_context, item_label,
                                                   next_unanswered_after, template_of)
from ohinspect.services.inspection_inputs import (ANSWER_RECORD, ATTACHMENT_RECORD, AUDIT_KINDS,
                                                  PHOTO_KIND, PHOTO_OWNER, RECORD, IdMaker,
                                                  _random_id)
from ohinspect.store.changes import OpResult, UndoStep, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, Inspection, InspectionAnswer
from ohinspect.store.uow import Actor, UnitOfWork


def answer_item_in(uow: UnitOfWork, insp: Inspection, item_id: str, answer: str, note: str = "",
                   *, at: datetime | None = None, ids: IdMaker = _random_id,
                   change_reason: str = "") -> InspectionAnswer:
    ensure_unlocked(insp)
    session = uow.session
    template = template_of(insp)
    item = _applicable_item(session, insp, item_id, template)
    answer = _text(answer)
    answer_type = template.answer_types.get(item.answer_type)
    if answer_type is None or answer_type.option(answer) is None:
        codes = ", ".join(o.code for o in answer_type.options) if answer_type else ""
        raise ValidationError([FieldProblem("answer", "inspection.error.answer_unknown",
                                            tr("inspection.error.answer_unknown", answer=answer,
                                               item=item.id, choices=codes))])
    answers = _answers(session, insp.id)
    row = answers.get(item_id)
    if row is None:
        row = InspectionAnswer(id=ids(f"answer:{item_id}"), inspection_id=insp.id,
                               item_id=item_id)
    previous = row.answer or ""
    details = {"item_id": item_id, "answer": answer}
    if insp.kind in AUDIT_KINDS and previous and previous != answer:
        reason = _text(change_reason)
        if not reason:
            old = answer_type.option(previous)
            raise ValidationError([FieldProblem("answer", "audit.error.graded_twice", tr(
                "audit.error.graded_twice", item=item_label(item),
                grade=old.label() if old is not None else previous,
                new=answer_type.option(answer).label()))])
        details.update(previous=previous, change_reason=reason)
    row.answer, row.note, row.answered_at = answer, str(note or "").strip(), at or uow.now
    uow.record(row, "audit.regrade" if "previous" in details else "inspection.answer", details)
    answers[item_id] = row
    items = template.applicable_items(inspection_context(session, insp))
    nxt = next_unanswered_after(items, {k: a.answer for k, a in answers.items()}, item_id) or ""
    if insp.current_item != nxt:
        insp.current_item = nxt
        uow.record(insp, "inspection.resume_point", {"current_item": nxt})
    return row


def answer_item(store: Store, actor: Actor, inspection_id: str, item_id: str, answer: str,
                note: str = "", *, change_reason: str = "") -> OpResult:
    """Save one answer; for an audit item graded already, a different grade needs
    ``change_reason`` (see the module docstring)."""
    with store.unit_of_work(actor) as uow:
        insp = _load_writable(uow.session, inspection_id)
        previous = _answers(uow.session, inspection_id).get(item_id)
        before = (previous.answer, previous.note) if previous is not None else None
        row = answer_item_in(uow, insp, item_id, answer, note, change_reason=change_reason)
        uow.commit()
    undo = None
    if before is not None and before[0] and before != (row.answer, row.note):
        undo = UndoStep(tr("inspection.action.answer", item=item_id),
                        partial(answer_item, inspection_id=inspection_id, item_id=item_id,
                                answer=before[0], note=before[1],
                                change_reason=tr("audit.undo_reason")))
    return OpResult(changed(RECORD, inspection_id) | changed(ANSWER_RECORD, row.id), row.id, undo)


def add_item_photo_in(uow: UnitOfWork, insp: Inspection, item_id: str, data: bytes,
                      media_type: str, caption: str = "", *, ids: IdMaker | None = None
                      ) -> Attachment:
    ensure_unlocked(insp)
    session = uow.session
    _applicable_item(session, insp, item_id, template_of(insp))
    if not data or not str(media_type or "").startswith("image/"):
        raise ValidationError([FieldProblem("photo", "inspection.error.photo_not_image",
                                            tr("inspection.error.photo_not_image"))])
    row = _answers(session, insp.id).get(item_id)
    if row is None:  # a photo before the answer: the row holds it until the answer comes
        row = InspectionAnswer(id=(ids or _random_id)(f"answer:{item_id}"),
                               inspection_id=insp.id, item_id=item_id, answer="")
        uow.record(row, "inspection.answer_for_photo", {"item_id": item_id})
    n = _photo_counts(session, {item_id: row}).get(item_id, 0)
    return _attach_in(uow, PHOTO_OWNER, row.id, data, kind=PHOTO_KIND, media_type=media_type,
                      caption=str(caption or "").strip(),
                      attachment_id=ids(f"photo:{item_id}:{n}") if ids else None)


def add_item_photo(store: Store, actor: Actor, inspection_id: str, item_id: str, data: bytes,
                   media_type: str, caption: str = "") -> OpResult:
    with store.unit_of_work(actor) as uow:
        insp = _load_writable(uow.session, inspection_id)
        att = add_item_photo_in(uow, insp, item_id, data, media_type, caption)
        answer_id = att.owner_id
        uow.commit()
    return OpResult(changed(RECORD, inspection_id) | changed(ANSWER_RECORD, answer_id)
                    | changed(ATTACHMENT_RECORD, att.id), att.id)
