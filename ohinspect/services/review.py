"""Supervisor review (issue 7 item 3): decide approve / return with comments / reject on a
record that arrived from a field device, and — on the author's device — start the correction
of a returned record as an amendment of the locked original (how each record type is corrected:
:mod:`ohinspect.services.review_corrections`).

Rules are data (resources/rules/review.yaml). A decision is a synced record
(:class:`~ohinspect.store.models.ReviewDecision`), written in one unit of work with its outbox
and audit entries (who, when, why). It may be changed by its reviewer only until it synced:
afterwards the service refuses, and migration 0007's triggers are the second line ("cannot be
altered after they synced").
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from ohinspect.batches.scope import LocalScopes
from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.review_corrections import STARTS
from ohinspect.services.review_queue import (QueueFilter, ReturnedItem, ReviewItem, own_device,
                                             returned_to_me, review_queue)
from ohinspect.services.review_rules import kind_of, load_rules
from ohinspect.store.base import SyncMixin
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import RECORD_TYPES, BatchVersion, ReviewDecision, SyncRecord
from ohinspect.store.models.review import DECISIONS, RETURN
from ohinspect.store.serialize import content_hash
from ohinspect.store.uow import Actor

__all__ = ["QueueFilter", "ReturnedItem", "ReviewItem", "decide", "is_synced", "returned_to_me",
           "review_queue", "start_correction"]
RECORD = ReviewDecision.__record_type__


def _when(decision: ReviewDecision) -> str:
    return decision.decided_at.astimezone().strftime("%Y-%m-%d %H:%M")


def is_synced(session: Session, decision_id: str) -> bool:
    """The platform acknowledged the decision, or it arrived from elsewhere (sync or batch)."""
    return bool(session.scalar(select(or_(
        exists().where(SyncRecord.record_type == RECORD, SyncRecord.record_id == decision_id),
        exists().where(BatchVersion.record_type == RECORD,
                       BatchVersion.record_id == decision_id)))))


def _check(session: Session, actor: Actor, role: str, record_type: str, record_id: str,
           decision: str, comments: str) -> SyncMixin:
    rules = load_rules()
    problems: list[FieldProblem] = []

    def problem(field: str, code: str, **kw: object) -> None:
        problems.append(FieldProblem(field, code, tr(code, **kw)))

    if role not in rules.reviewer_roles:
        problem("role", "review.error.role", role=role or "-",
                roles=", ".join(tr(f"ui.first_run.role.{r}") for r in rules.reviewer_roles))
    if decision not in DECISIONS:
        problem("decision", "review.error.decision", decision=decision,
                choices=", ".join(DECISIONS))
    elif decision in rules.comments_required and not comments:
        problem("comments", "review.error.comments", decision=tr(f"review.decision.{decision}"))
    model = RECORD_TYPES.get(record_type)
    obj = session.get(model, record_id) if model is not None else None
    if (obj is None or obj.device_id == own_device(session) or not rules.is_reviewable(obj)):
        problem("record_id", "review.error.not_reviewable", record_type=record_type,
                record_id=record_id)
    elif not rules.self_review and obj.author == actor.user:
        problem("record_id", "review.error.own_record", author=obj.author)
    if problems or obj is None:
        raise ValidationError(problems)
    return obj


def decide(store: Store, actor: Actor, record_type: str, record_id: str, decision: str,
           comments: str = "", *, role: str) -> OpResult:
    """Record ``actor``'s decision on the current version of a reviewable record; the same
    reviewer deciding again on the same version changes the decision while it has not synced."""
    comments = str(comments or "").strip()
    with store.unit_of_work(actor) as uow:
        s = uow.session
        obj = _check(s, actor, role, record_type, record_id, decision, comments)
        record_hash = content_hash(obj.sync_payload())
        row = s.scalars(select(ReviewDecision).where(
            ReviewDecision.record_type == record_type, ReviewDecision.record_id == record_id,
            ReviewDecision.record_hash == record_hash, ReviewDecision.reviewer == actor.user,
            ReviewDecision.deleted_at.is_(None)).order_by(ReviewDecision.decided_at.desc())
            .limit(1)).first()
        if row is not None and is_synced(s, row.id):
            raise ValidationError([FieldProblem("decision", "review.error.synced", tr(
                "review.error.synced", decided_at=_when(row),
                decision=tr(f"review.decision.{row.decision}")))])
        details = {"decision": decision, "comments": comments, "record_type": record_type,
                   "record_id": record_id, "record_hash": record_hash}
        if row is None:
            row = ReviewDecision(
                record_type=record_type, record_id=record_id, record_hash=record_hash,
                reviewer=actor.user, record_author=obj.author,
                jurisdiction=LocalScopes(s, {}).scope((record_type, record_id)) or "")
            action = "review.decided"
        else:
            details |= {"previous_decision": row.decision, "previous_comments": row.comments}
            action = "review.changed"
        row.decision, row.comments, row.decided_at = decision, comments, uow.now
        uow.record(row, action, details)
        uow.commit()
    return OpResult(changed(RECORD, row.id), row.id)


def _returned(session: Session, actor: Actor, decision_id: str) -> tuple[ReviewDecision,
                                                                       SyncMixin]:
    """The return decision and the locked record its author corrects (review_corrections)."""
    row = session.get(ReviewDecision, decision_id)
    if row is None or row.is_deleted:
        code, kw = "review.error.not_found", {"decision_id": decision_id}
    elif row.decision != RETURN:
        code, kw = "review.error.not_returned", {}
    else:
        obj = session.get(RECORD_TYPES[row.record_type], row.record_id)
        if obj is None or obj.author != actor.user:
            code, kw = "review.error.not_author", {"author": obj.author if obj else "-"}
        elif row.record_type in load_rules().amendable and row.record_type in STARTS:
            return row, obj
        else:
            code, kw = "review.error.no_amendment", {"kind": tr(f"review.kind.{kind_of(obj)}"),
                                                     "comments": row.comments}
    raise ValidationError([FieldProblem("decision_id", code, tr(code, **kw))])


def start_correction(store: Store, actor: Actor, decision_id: str, *, role: str = "") -> OpResult:
    """Start correcting a returned record with the reviewer's comments as the reason: an
    amendment draft of the locked original, or (a rectification closure) the item reopened
    for 复查 — ``role`` is the author's, checked by the rectification rules. The result's
    record is the amendment or the item."""
    with store.unit_of_work(actor) as uow:
        row, original = _returned(uow.session, actor, decision_id)
        reason = tr("review.correction_reason", reviewer=row.reviewer, decided_at=_when(row),
                    comments=row.comments)
        new = STARTS[row.record_type](uow, original, row, reason, role)
        uow.audit("review.correction_started", RECORD, row.id,
                  {"record_type": row.record_type, "record_id": row.record_id,
                   "correction_type": new.record_type, "correction_id": new.record_id})
        uow.commit()
    return OpResult(changed(new.record_type, new.record_id)
                    | changed(row.record_type, row.record_id), new.record_id)
