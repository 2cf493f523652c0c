"""三同时 verification (核查) writes: start, header, answers, photos, sign-and-lock, amendment.

The flow (shared/DOMAIN.md §1, §5): the inspector starts a verification of one stage of a
project; the stage's checklist is *snapshotted* into the record, so a later template version
never changes it. Each answer is saved the moment it is given and moves the resume point
(``current_item``). Signing checks everything first (nothing is written when anything is
missing), then in ONE unit of work writes the signatures, a rectification item per finding,
the record number and (with findings) the supervision-opinion number, and locks the record.

A locked record is frozen: every write below refuses it with :class:`LockedRecordError` before
touching the database, and the triggers of migration 0002 refuse it again underneath. A
correction is an :func:`amend`: a new draft that references the locked one and is itself signed.

Functions ending in ``_in`` work inside a caller's unit of work (the demo uses them with fixed
ids and dates); the public functions open their own.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.checklists.model import ChecklistItem, ChecklistTemplate
from ohinspect.errors import FieldProblem, LockedRecordError, NotFoundError, ValidationError
from ohinspect.i18n import catalogue, tr
from ohinspect.resources import load_resource
from ohinspect.store.base import new_id
from ohinspect.store.changes import Changes, OpResult, UndoStep, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, Enterprise, Inspection, InspectionAnswer, Project,
                                    ProjectStage, RectificationItem, Signature)
from ohinspect.store.uow import Actor, UnitOfWork

KIND = "three_simultaneities"
RECORD = Inspection.__record_type__
ANSWER_RECORD = InspectionAnswer.__record_type__
SIGNATURE_RECORD = Signature.__record_type__
RECTIFICATION_RECORD = RectificationItem.__record_type__
ATTACHMENT_RECORD = Attachment.__record_type__

#: attachment owner types and kinds used here
PHOTO_OWNER, PHOTO_KIND = ANSWER_RECORD, "photo"
SIGNATURE_OWNER, SIGNATURE_KIND = SIGNATURE_RECORD, "signature"
SIGNATURE_MEDIA_TYPE = "image/png"
RECTIFICATION_SOURCE = "inspection"

#: document types of resources/documents/numbering.yaml
RECORD_DOC_TYPE = "inspection_record"        # 现场检查笔录
OPINION_DOC_TYPE = "supervision_opinion"     # 卫生监督意见书

ROLE_INSPECTOR, ROLE_PARTY, ROLE_RECORDER, ROLE_WITNESS = "inspector", "party", "recorder", "witness"
ROLES = (ROLE_INSPECTOR, ROLE_PARTY, ROLE_RECORDER, ROLE_WITNESS)

STATUS_DRAFT, STATUS_SIGNED = "draft", "signed"

#: a signature image has "ink" when enough pixels differ clearly from its background
#: (image-processing thresholds, not regulatory values)
INK_CONTRAST = 48
INK_MIN_PIXELS = 12

#: an id for a new record from a key naming it ("answer:ts.acc.01", "signature:0"…);
#: the services use random ids, the demo deterministic ones
IdMaker = Callable[[str], str]


def _random_id(_key: str) -> str:
    return new_id()


# --------------------------------------------------------------------------- inputs


@dataclass
class InspectionHeader:
    place: str = ""
    authority: str = ""
    #: [{"name": ..., "id_no": ...}] with their enforcement-ID numbers (执法证号)
    inspectors: list[dict[str, str]] = field(default_factory=list)
    recorder: str = ""
    party_representative: str = ""
    party_title: str = ""
    summary: str = ""

    @classmethod
    def from_record(cls, insp: Inspection) -> InspectionHeader:
        return cls(place=insp.place, authority=insp.authority,
                   inspectors=[dict(i) for i in insp.inspectors or []], recorder=insp.recorder,
                   party_representative=insp.party_representative, party_title=insp.party_title,
                   summary=insp.summary)


@dataclass
class FindingInput:
    item_id: str
    requirement: str
    deadline: date
    legal_basis: str = ""


@dataclass
class SignatureInput:
    role: str
    signer_name: str
    signer_id_no: str = ""
    image_png: bytes | None = None
    refused: bool = False
    witness_name: str = ""


# --------------------------------------------------------------------------- helpers shared with
# inspection_queries (which imports from here, never the other way round)


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


def signature_ink(data: bytes) -> int | None:
    """How many pixels of a PNG differ clearly from its background; None if it is not a PNG.

    Decoded with Pillow: transparent areas are laid on white, the background is the most common
    grey level (and alpha), and a pixel is ink when its grey level or alpha differs by more than
    :data:`INK_CONTRAST`.
    """
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                return None
            img.load()
            rgba = img.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat.alpha_composite(rgba)
    ink = 0
    for channel in (flat.convert("L"), rgba.getchannel("A")):
        hist = channel.histogram()
        background = max(range(256), key=hist.__getitem__)
        ink = max(ink, sum(n for value, n in enumerate(hist)
                           if abs(value - background) > INK_CONTRAST))
    return ink


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
    """The file, then its row, inside ``uow``: through A1's ``add_attachment``; with a fixed
    ``attachment_id`` (the demo) the same steps with :func:`put_blob` and that id."""
    from ohinspect.services.attachments import add_attachment, put_blob

    if attachment_id is None:
        result = add_attachment(uow.store, uow.actor, owner_type, owner_id, data, kind=kind,
                                media_type=media_type, caption=caption, uow=uow)
        pending = [o for o in uow.session.new
                   if isinstance(o, Attachment) and o.id == result.record_id]
        att = pending[0] if pending else uow.session.get(Attachment, result.record_id)
        assert att is not None
        return att
    existing = uow.session.get(Attachment, attachment_id)
    if existing is not None:
        return existing
    blob = put_blob(uow.store, data, media_type)
    att = Attachment(id=attachment_id, owner_type=owner_type, owner_id=owner_id,
                     sha256=blob.sha256, kind=kind, media_type=blob.media_type, size=blob.size,
                     original_sha256=blob.original_sha256, caption=caption.strip())
    uow.record(att, "attachment.add", {"owner_type": owner_type, "owner_id": owner_id,
                                       "sha256": blob.sha256, "kind": kind})
    return att


# --------------------------------------------------------------------------- start


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
    items = template.applicable_items(context_for(project))
    insp = Inspection(
        id=ids("inspection"), kind=KIND, enterprise_id=enterprise.id, project_id=project.id,
        stage=stage, template_id=template.id, template_version=template.version,
        template_snapshot=template.to_snapshot(), started_at=at or uow.now,
        party_name=enterprise.name, current_item=items[0].id if items else "",
        status=STATUS_DRAFT, **clean)
    uow.record(insp, "inspection.start", {"project_id": project.id, "stage": stage,
                                          "template": f"{template.id}@{template.version}"})
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


# --------------------------------------------------------------------------- header


def update_header(store: Store, actor: Actor, inspection_id: str,
                  header: InspectionHeader) -> OpResult:
    with store.unit_of_work(actor) as uow:
        insp = _load_writable(uow.session, inspection_id)
        before = InspectionHeader.from_record(insp)
        clean = _clean_header(header)
        changed_fields = sorted(k for k, v in clean.items() if getattr(insp, k) != v)
        for key in changed_fields:
            setattr(insp, key, clean[key])
        if changed_fields:
            uow.record(insp, "inspection.header", {"fields": changed_fields})
        uow.commit()
    undo = UndoStep(tr("inspection.action.header"),
                    partial(update_header, inspection_id=inspection_id, header=before))
    return OpResult(changed(RECORD, inspection_id), inspection_id,
                    undo if changed_fields else None)


# --------------------------------------------------------------------------- answers


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


# --------------------------------------------------------------------------- sign and lock


def _check_signatures(signatures: list[SignatureInput]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []

    def problem(key: str, **values: object) -> None:
        problems.append(FieldProblem("signatures", key, tr(key, **values)))

    parties = inspectors = 0  # present (their own problems, if any, are reported above)
    for sig in signatures:
        role = _text(sig.role)
        if role not in ROLES:
            problem("inspection.error.role_unknown", role=role, choices=", ".join(ROLES))
            continue
        who = _text(sig.signer_name) or tr(f"inspection.role.{role}")
        parties += role == ROLE_PARTY
        inspectors += role == ROLE_INSPECTOR and not sig.refused
        if sig.refused:
            if role != ROLE_PARTY:
                problem("inspection.error.only_party_refuses", signer=who)
            elif not _text(sig.witness_name):
                problem("inspection.error.refusal_needs_witness")
            continue
        if not _text(sig.signer_name):
            problem("inspection.error.signer_name", role=tr(f"inspection.role.{role}"))
        elif not sig.image_png:
            problem("inspection.error.signature_missing", signer=who)
        else:
            ink = signature_ink(sig.image_png)
            if ink is None:
                problem("inspection.error.signature_unreadable", signer=who)
            elif ink < INK_MIN_PIXELS:
                problem("inspection.error.signature_blank", signer=who)
    if not parties:
        problem("inspection.error.party_missing")
    needed = required_inspectors()
    if inspectors < needed:  # 行政处罚法 第四十二条: at least two officers
        problem("inspection.error.inspector_missing", needed=needed, count=inspectors)
    return problems


def _check_findings(template: ChecklistTemplate, items: list[ChecklistItem],
                    answers: Mapping[str, InspectionAnswer], findings: list[FindingInput],
                    today: date) -> list[FieldProblem]:
    problems: list[FieldProblem] = []

    def problem(key: str, **values: object) -> None:
        problems.append(FieldProblem("findings", key, tr(key, **values)))

    applicable = {i.id for i in items}
    covered: set[str] = set()
    for f in findings:
        try:
            item = template.item(f.item_id)
        except KeyError:
            problem("inspection.error.item_unknown", item=f.item_id)
            continue
        label = item_label(item)
        answer = answers.get(f.item_id)
        if f.item_id not in applicable or answer is None or not answer.answer \
                or not template.is_finding(f.item_id, answer.answer):
            problem("inspection.error.finding_not_a_finding", item=label)
            continue
        covered.add(f.item_id)
        if not _text(f.requirement):
            problem("inspection.error.finding_requirement", item=label)
        if not isinstance(f.deadline, date):
            problem("inspection.error.finding_deadline_missing", item=label)
        elif f.deadline < today:
            problem("inspection.error.finding_deadline_past", item=label,
                    deadline=f.deadline.isoformat())
    for item in items:
        answer = answers.get(item.id)
        if answer is not None and answer.answer and template.is_finding(item.id, answer.answer) \
                and item.id not in covered:
            problem("inspection.error.finding_missing", item=item_label(item))
    return problems


def sign_and_lock_in(uow: UnitOfWork, insp: Inspection, signatures: list[SignatureInput],
                     findings: list[FindingInput], opinion_deadline_days: int | None = None, *,
                     at: datetime | None = None, today: date | None = None,
                     ids: IdMaker = _random_id, fixed_attachment_ids: bool = False
                     ) -> list[RectificationItem]:
    """Check everything, then write signatures, findings, numbers and the lock (no commit)."""
    from ohinspect.services.numbering import issue_number

    ensure_unlocked(insp)
    session = uow.session
    at = at or uow.now
    today = today or local_today()
    findings = [FindingInput(f.item_id, f.requirement,
                             f.deadline.date() if isinstance(f.deadline, datetime) else f.deadline,
                             f.legal_basis) for f in findings]
    template = template_of(insp)
    project = session.get(Project, insp.project_id) if insp.project_id else None
    items = template.applicable_items(context_for(project))
    answers = _answers(session, insp.id)
    photos = _photo_counts(session, answers)

    problems: list[FieldProblem] = []
    for item in items:
        answer = answers.get(item.id)
        if answer is None or not answer.answer:
            problems.append(FieldProblem("answers", "inspection.error.unanswered",
                                         tr("inspection.error.unanswered", item=item_label(item))))
            continue
        if template.photo_required(item.id, answer.answer) and not photos.get(item.id):
            problems.append(FieldProblem("photos", "inspection.error.photo_missing",
                                         tr("inspection.error.photo_missing",
                                            item=item_label(item))))
    problems += _check_signatures(signatures)
    problems += _check_findings(template, items, answers, findings, today)
    if opinion_deadline_days is not None and (not isinstance(opinion_deadline_days, int)
                                              or opinion_deadline_days < 1):
        problems.append(FieldProblem("opinion_deadline_days", "inspection.error.opinion_days",
                                     tr("inspection.error.opinion_days")))
    if problems:
        raise ValidationError(problems)

    # numbers first: no room in the number blocks → NumberingError, nothing written
    division = project.division_code if project is not None else _enterprise_division(session, insp)
    year = at.astimezone().year
    insp.record_number = issue_number(uow, RECORD_DOC_TYPE, division, year, RECORD, insp.id)
    if findings:
        insp.opinion_number = issue_number(uow, OPINION_DOC_TYPE, division, year, RECORD, insp.id)
        insp.opinion_deadline_days = opinion_deadline_days if opinion_deadline_days is not None \
            else max((f.deadline - today).days for f in findings)

    for n, sig in enumerate(signatures):
        role = _text(sig.role)
        name = _text(sig.signer_name) or (insp.party_representative or insp.party_name
                                          if sig.refused else "")
        row = Signature(id=ids(f"signature:{n}"), inspection_id=insp.id, role=role,
                        signer_name=name, signer_id_no=_text(sig.signer_id_no), image_sha256="",
                        refused=bool(sig.refused),
                        witness_name=_text(sig.witness_name) if sig.refused else "",
                        signed_at=at)
        session.add(row)  # the owner of its image: in the session before the attachment
        if sig.image_png and not sig.refused:
            row.image_sha256 = _attach_in(
                uow, SIGNATURE_OWNER, row.id, sig.image_png, kind=SIGNATURE_KIND,
                media_type=SIGNATURE_MEDIA_TYPE,
                attachment_id=ids(f"signature_image:{n}") if fixed_attachment_ids else None,
            ).sha256
        uow.record(row, "inspection.signature", {"role": role, "refused": row.refused})

    opened: list[RectificationItem] = []
    for n, f in enumerate(findings):
        item = template.item(f.item_id)
        note = answers[f.item_id].note
        rect = RectificationItem(
            id=ids(f"finding:{n}"), enterprise_id=insp.enterprise_id,
            source_type=RECTIFICATION_SOURCE, source_id=insp.id, item_id=item.id,
            # what was found leads; documents are Chinese whatever the screen language
            finding=note or catalogue("zh_CN")["inspection.finding_default"].format(
                item=item.text_zh.rstrip("。")),
            legal_basis=_text(f.legal_basis) or item.legal_basis,
            requirement=_text(f.requirement), deadline=f.deadline,
            owner=insp.party_representative, status="open")
        uow.record(rect, "rectification.open", {"inspection_id": insp.id, "item_id": item.id})
        opened.append(rect)

    session.flush()  # children in while the record is still open: the triggers allow them
    with session.no_autoflush:  # the lock must reach the database in one UPDATE, the last one
        insp.locked_at = at
        insp.status = STATUS_SIGNED
        insp.current_item = ""
        uow.record(insp, "inspection.sign_and_lock", {
            "record_number": insp.record_number, "opinion_number": insp.opinion_number,
            "findings": len(findings), "signatures": len(signatures)})
    return opened


def _enterprise_division(session: Session, insp: Inspection) -> str:
    ent = session.get(Enterprise, insp.enterprise_id)
    return ent.division_code if ent is not None else ""


def sign_and_lock(store: Store, actor: Actor, inspection_id: str,
                  signatures: list[SignatureInput], findings: list[FindingInput],
                  opinion_deadline_days: int | None = None) -> OpResult:
    with store.unit_of_work(actor) as uow:
        insp = _load_writable(uow.session, inspection_id)
        opened = sign_and_lock_in(uow, insp, signatures, findings, opinion_deadline_days)
        uow.commit()
    changes: Changes = changed(RECORD, inspection_id) | changed(SIGNATURE_RECORD) \
        | changed(ATTACHMENT_RECORD)
    if opened:
        changes = changes | changed(RECTIFICATION_RECORD, *(r.id for r in opened))
    return OpResult(changes, inspection_id)


# --------------------------------------------------------------------------- amendment


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
