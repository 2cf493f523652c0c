"""Answers and photos of a draft verification: each saved the moment it is given, moving the
resume point (``current_item``)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import (_answers, _applicable_item, _attach_in,
                                                   _load_writable, _photo_counts, _text,
                                                   ensure_unlocked, inspection_context,
                                                   next_unanswered_after, template_of)
from ohinspect.services.inspection_inputs import (ANSWER_RECORD, ATTACHMENT_RECORD, PHOTO_KIND,
                                                  PHOTO_OWNER, RECORD, IdMaker, _random_id)
from ohinspect.store.changes import OpResult, UndoStep, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, Inspection, InspectionAnswer
from ohinspect.store.uow import Actor, UnitOfWork


def answer_item_in(uow: UnitOfWork, insp: Inspection, item_id: str, answer: str, note: str = "",
                   *, at: datetime | None = None, ids: IdMaker = _random_id) -> InspectionAnswer:
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
    row.answer, row.note, row.answered_at = answer, str(note or "").strip(), at or uow.now
    uow.record(row, "inspection.answer", {"item_id": item_id, "answer": answer})
    answers[item_id] = row
    items = template.applicable_items(inspection_context(session, insp))
    nxt = next_unanswered_after(items, {k: a.answer for k, a in answers.items()}, item_id) or ""
    if insp.current_item != nxt:
        insp.current_item = nxt
        uow.record(insp, "inspection.resume_point", {"current_item": nxt})
    return row


def answer_item(store: Store, actor: Actor, inspection_id: str, item_id: str, answer: str,
                note: str = "") -> OpResult:
    with store.unit_of_work(actor) as uow:
        insp = _load_writable(uow.session, inspection_id)
        previous = _answers(uow.session, inspection_id).get(item_id)
        before = (previous.answer, previous.note) if previous is not None else None
        row = answer_item_in(uow, insp, item_id, answer, note)
        uow.commit()
    undo = None
    if before is not None and before[0] and before != (row.answer, row.note):
        undo = UndoStep(tr("inspection.action.answer", item=item_id),
                        partial(answer_item, inspection_id=inspection_id, item_id=item_id,
                                answer=before[0], note=before[1]))
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
