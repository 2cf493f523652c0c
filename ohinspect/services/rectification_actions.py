"""The transitions of a rectification item, enforced from ``resources/rules/rectification.yaml``.

:func:`transition_in` is the one engine: it checks the item exists, the action is known, the
role may make it, the item's status allows it, and every requirement of the transition
(evidence, note, authorised closer, passing re-test, overdue for escalation, look-back, new
deadline, a supervisor's return of the closure) — all BEFORE writing; then, in the caller's
unit of work, it stores the evidence files
(:func:`~ohinspect.services.attachments.add_attachment`), changes the item and appends one
:class:`~ohinspect.store.models.RectificationEvent`. The public functions each open their
own unit of work around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.attachments import add_attachment, load_attachment_rules
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification_core import (EVENT_RECORD, ITEM_RECORD, check_text,
                                                   item_events, problem, write_event)
from ohinspect.services.rectification_rules import Transition, load_rectification_rules
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, Inspector, RectificationEvent, RectificationItem,
                                    ReviewDecision)
from ohinspect.store.models.review import RETURN
from ohinspect.store.uow import Actor, UnitOfWork

RETEST_PASS, RETEST_FAIL, CLOSE = "retest_pass", "retest_fail", "review_pass"
#: a closure a supervisor returned is re-done (issue 7; made from the review's Returned list)
REVIEW_RETURNED = "review_returned"
CLOSED_STATE = "closed"


@dataclass(frozen=True)
class EvidenceFile:
    """A photo or scan proving a correction; stored by SHA-256 (attachments service)."""

    data: bytes
    media_type: str
    kind: str = "photo"
    name: str = ""


def _label(action: str) -> str:
    return tr(f"rectification.action.{action}")


def _retest_done(events: Sequence[RectificationEvent]) -> bool:
    """A passing re-test since the item was last (re)opened."""
    done = False
    for event in events:
        if event.action == RETEST_PASS:
            done = True
        elif event.to_status == load_rectification_rules().initial:
            done = False
    return done


def _returned_closure(session: Session, item: RectificationItem, review_ref: str) -> bool:
    """``review_ref`` is a live "return" decision on the event that closed ``item``, and no
    later event took the item out of its final state (issue 7: a returned closure)."""
    decision = session.get(ReviewDecision, review_ref) if review_ref else None
    if (decision is None or decision.is_deleted or decision.decision != RETURN
            or decision.record_type != EVENT_RECORD):
        return False
    final = load_rectification_rules().final
    events = item_events(session, item.id)
    ids = [e.id for e in events]
    if decision.record_id not in ids:
        return False
    after = events[ids.index(decision.record_id):]
    return all(e.to_status in final for e in after)


def _check_allowed(item: RectificationItem, t: Transition, role: str) -> list[FieldProblem]:
    problems = []
    if role not in t.roles:
        problems.append(problem("role", "rectification.error.role", role=role,
                                action=_label(t.action), allowed=", ".join(
                                    tr(f"rectification.role.{r}") for r in t.roles)))
    if item.status not in t.sources:
        problems.append(problem("status", "rectification.error.transition",
                                status=tr(f"rectification.status.{item.status}"),
                                action=_label(t.action), allowed=", ".join(
                                    tr(f"rectification.status.{s}") for s in t.sources)))
    return problems


def _check_requirements(uow: UnitOfWork, item: RectificationItem, t: Transition, *,
                        by_name: str, note: str, evidence: Sequence[EvidenceFile],
                        retest_ref: str, new_deadline: date | None, review_ref: str,
                        today: date) -> list[FieldProblem]:
    rules = load_rectification_rules()
    problems: list[FieldProblem] = []
    if "evidence" in t.requires:
        if len(evidence) < rules.min_evidence:
            problems.append(problem("evidence", "rectification.error.evidence_missing",
                                    count=rules.min_evidence))
        media = load_attachment_rules().media_types
        for f in evidence:
            if f.kind not in rules.evidence_kinds:
                problems.append(problem("evidence", "rectification.error.evidence_kind",
                                        kind=f.kind, choices=", ".join(rules.evidence_kinds)))
            if f.media_type.strip().lower() not in media or not f.data:
                problems.append(problem("evidence", "attachment.error.media_type",
                                        media_type=f.media_type, choices=", ".join(media)))
    if "note" in t.requires and not note:
        problems.append(problem("note", "rectification.error.note_required",
                                action=_label(t.action)))
    if "closer" in t.requires and rules.closer_on_roster and by_name:
        on_roster = uow.session.scalars(select(Inspector.id).where(
            Inspector.name == by_name, Inspector.active.is_(True),
            Inspector.deleted_at.is_(None))).first()
        if on_roster is None:
            problems.append(problem("by_name", "rectification.error.closer_not_authorised",
                                    name=by_name))
    if "retest_done" in t.requires and item.requires_retest \
            and not _retest_done(item_events(uow.session, item.id)):
        problems.append(problem("retest_ref", "rectification.error.retest_missing"))
    if t.requires & {"retest_pass", "retest_fail"}:
        if not item.requires_retest:
            problems.append(problem("retest_ref", "rectification.error.not_retest_item"))
        if not retest_ref:
            problems.append(problem("retest_ref", "rectification.error.required",
                                    field_name=_label(t.action)))
    if "overdue_escalation" in t.requires and (today - item.deadline).days < rules.escalation_days:
        problems.append(problem("deadline", "rectification.error.not_overdue",
                                deadline=item.deadline.isoformat(), days=rules.escalation_days))
    if "look_back_due" in t.requires and item.look_back_on is None:
        problems.append(problem("look_back_on", "rectification.error.look_back_not_due"))
    if "new_deadline" in t.requires:
        if new_deadline is None:
            problems.append(problem("deadline", "rectification.error.deadline_missing"))
        elif new_deadline < today:
            problems.append(problem("deadline", "rectification.error.deadline_past",
                                    deadline=new_deadline.isoformat(), today=today.isoformat()))
    if "review_return" in t.requires and not _returned_closure(uow.session, item, review_ref):
        problems.append(problem("review_ref", "rectification.error.review_not_returned"))
    return problems


def transition_in(uow: UnitOfWork, item_id: str, action: str, *, role: str, by_name: str,
                  today: date, note: str = "", evidence: Sequence[EvidenceFile] = (),
                  retest_ref: str = "", new_deadline: date | None = None,
                  review_ref: str = "", event_fixed_id: str | None = None,
                  attachment_ids: Sequence[str] = ()) -> RectificationItem:
    """Check everything, then move the item and append its event (no commit). The fixed ids
    of the event and of the evidence attachments are for deterministic demo data."""
    rules = load_rectification_rules()
    item = uow.session.get(RectificationItem, item_id) if item_id else None
    if item is None or item.is_deleted:
        raise ValidationError([problem("item_id", "rectification.error.item_unknown",
                                       item=item_id)])
    t = rules.transitions.get(action)
    if t is None:
        raise ValidationError([problem("action", "rectification.error.action_unknown",
                                       action=action)])
    refused = _check_allowed(item, t, role)
    problems = list(refused)
    by_name = check_text(problems, RectificationEvent, "by_name", by_name, required=True)
    note = check_text(problems, RectificationEvent, "note", note)
    if not refused:  # a refused role or state is the whole answer; else every requirement
        problems += _check_requirements(uow, item, t, by_name=by_name, note=note,
                                        evidence=evidence, retest_ref=retest_ref,
                                        new_deadline=new_deadline, review_ref=review_ref,
                                        today=today)
    if problems:
        raise ValidationError(problems)

    shas: list[str] = []
    for n, f in enumerate(evidence):
        result = add_attachment(uow.store, uow.actor, ITEM_RECORD, item.id, f.data, kind=f.kind,
                                media_type=f.media_type, original_name=f.name, uow=uow,
                                attachment_id=attachment_ids[n] if attachment_ids else None)
        att = uow.session.get(Attachment, result.record_id)
        assert att is not None
        shas.append(att.sha256)
    from_status = item.status
    item.status, item.status_changed_at = t.target, uow.now
    if action == CLOSE:
        item.closed_at, item.closed_by = uow.now, by_name
        item.look_back_on = today + timedelta(days=rules.look_back_days)
    elif "look_back_due" in t.requires:
        item.look_back_on = None
    if from_status == CLOSED_STATE and t.target != CLOSED_STATE:  # reopened: not closed now
        item.closed_at, item.closed_by, item.look_back_on = None, "", None
    if new_deadline is not None and "new_deadline" in t.requires:
        item.deadline = new_deadline
    details = {"from": from_status, "to": item.status}
    uow.record(item, f"rectification.{action}",
               details | {"review_ref": review_ref} if review_ref else details)
    write_event(uow, item, action, from_status, by_name=by_name, note=note, evidence=shas,
                retest_ref=retest_ref, fixed_id=event_fixed_id)
    return item



def _run(store: Store, actor: Actor, item_id: str, action: str, **kw: object) -> OpResult:
    today = kw.pop("today", None) or local_today()
    with store.unit_of_work(actor) as uow:
        item = transition_in(uow, item_id, action, today=today, **kw)  # type: ignore[arg-type]
        uow.commit()
    return OpResult(changed(ITEM_RECORD, item.id) | changed(EVENT_RECORD), item.id)


def submit_correction(store: Store, actor: Actor, item_id: str, *, role: str, by_name: str,
                      evidence: Sequence[EvidenceFile], note: str = "",
                      today: date | None = None) -> OpResult:
    """整改完成: the evidence (photos/scans) is stored and the item awaits review."""
    return _run(store, actor, item_id, "submit_correction", role=role, by_name=by_name,
                evidence=evidence, note=note, today=today)


def review(store: Store, actor: Actor, item_id: str, *, passed: bool, role: str, by_name: str,
           note: str = "", today: date | None = None) -> OpResult:
    """复查: passed → closed (销号, by an authorised person, look-back date set); failed → open
    again (the note says why)."""
    return _run(store, actor, item_id, "review_pass" if passed else "review_fail", role=role,
                by_name=by_name, note=note, today=today)


def escalate(store: Store, actor: Actor, item_id: str, *, role: str, by_name: str, note: str,
             today: date | None = None) -> OpResult:
    """逾期未改: hand an overdue item over (立案/移交) — the note says to whom and why."""
    return _run(store, actor, item_id, "escalate", role=role, by_name=by_name, note=note,
                today=today)


def reopen(store: Store, actor: Actor, item_id: str, *, role: str, by_name: str, note: str,
           deadline: date | None, today: date | None = None) -> OpResult:
    """回头看 found the problem back: open the closed item again with a new deadline."""
    return _run(store, actor, item_id, "reopen", role=role, by_name=by_name, note=note,
                new_deadline=deadline, today=today)


def confirm_look_back(store: Store, actor: Actor, item_id: str, *, role: str, by_name: str,
                      note: str, today: date | None = None) -> OpResult:
    """回头看 found the correction holding: the item leaves the look-back list."""
    return _run(store, actor, item_id, "look_back_ok", role=role, by_name=by_name, note=note,
                today=today)
