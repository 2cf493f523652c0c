"""Sign and lock (every checklist-driven kind): everything checked first (nothing written when
anything is missing), then in one unit of work the record and (三同时) opinion numbers, the
signatures, a rectification item per finding (through ``rectification.open_item_in``: source
``inspection`` for 三同时, ``audit`` for audits), an audit's overall result (grading.yaml), and
the lock."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import catalogue, tr
from ohinspect.services.inspection_checks import _check_findings, _check_signatures
from ohinspect.services.inspection_helpers import (_answers, _attach_in, _load_writable,
                                                   _photo_counts, _text, context_for,
                                                   ensure_unlocked, item_label, local_today,
                                                   template_of)
from ohinspect.services.inspection_inputs import (ATTACHMENT_RECORD, AUDIT_KINDS, OPINION_DOC_TYPE,
                                                  RECORD, RECORD_DOC_TYPE, RECTIFICATION_RECORD,
                                                  SIGNATURE_KIND,
                                                  SIGNATURE_MEDIA_TYPE, SIGNATURE_OWNER,
                                                  SIGNATURE_RECORD, STATUS_SIGNED, FindingInput,
                                                  IdMaker, SignatureInput, _random_id,
                                                  opinion_at_signing, rectification_source)
from ohinspect.store.changes import Changes, OpResult, changed
from ohinspect.store.database import Store
from ohinspect.services.inspection_helpers import audit_grading
from ohinspect.services.rectification import open_item_in
from ohinspect.store.models import Enterprise, Inspection, Project, RectificationItem, Signature
from ohinspect.store.uow import Actor, UnitOfWork


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
    if insp.kind in AUDIT_KINDS:
        insp.overall_result = audit_grading(insp.kind, items,
                                            {k: a.answer for k, a in answers.items()}).overall
    if findings and opinion_at_signing(insp.kind):
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
        opened.append(open_item_in(
            uow, enterprise_id=insp.enterprise_id, source_type=rectification_source(insp.kind),
            source_id=insp.id, source_ref=insp.record_number, item_id=item.id,
            # what was found leads; documents are Chinese whatever the screen language
            finding=note or catalogue("zh_CN")["inspection.finding_default"].format(
                item=item.text_zh.rstrip("。")),
            legal_basis=_text(f.legal_basis) or item.legal_basis,
            requirement=_text(f.requirement), deadline=f.deadline, today=today,
            owner=insp.party_representative, item_id_fixed=ids(f"finding:{n}")))

    session.flush()  # children in while the record is still open: the triggers allow them
    with session.no_autoflush:  # the lock must reach the database in one UPDATE, the last one
        insp.locked_at = at
        insp.status = STATUS_SIGNED
        insp.current_item = ""
        uow.record(insp, "inspection.sign_and_lock", {
            "record_number": insp.record_number, "opinion_number": insp.opinion_number,
            "findings": len(findings), "signatures": len(signatures),
            "overall_result": insp.overall_result})
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
