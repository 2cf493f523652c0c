"""Supervisor review (issue 7 item 3): the queue and its filters, the decision rules, decisions
frozen once synced (service and triggers), audit entries, and "returned to me" with the
correction started as an amendment of the locked original."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError

from ohinspect.errors import ValidationError
from ohinspect.services.review import (QueueFilter, decide, is_synced, returned_to_me,
                                       review_queue, start_correction)
from ohinspect.store.database import Store
from ohinspect.store.models import AuditEntry, Inspection, OutboxEntry, ReviewDecision
from ohinspect.store.uow import Actor
from ohinspect.sync import local
from ohinspect.sync.protocol import Change
from tests.unit.review.world import AUTHOR, REVIEWER, SUPERVISOR_ROLE, arrive


def queue(store: Store, **kw: object) -> list:  # type: ignore[type-arg]
    with store.read() as s:
        return review_queue(s, QueueFilter(**kw))  # type: ignore[arg-type]


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [p.code for p in exc.value.problems]


def first(store: Store, kind: str):  # type: ignore[no-untyped-def]
    return next(i for i in queue(store) if i.kind == kind)


def test_queue_holds_signed_records_from_other_devices_and_closures(supervisor_store) -> None:  # type: ignore[no-untyped-def]
    items = queue(supervisor_store)
    kinds = sorted({i.kind for i in items})
    assert kinds == ["institution_audit", "rectification_closure", "sampling_task",
                     "three_simultaneities", "workplace_audit"]
    # the demo's drafts (one verification, one audit, one task) and open events are left out
    assert len(items) == 14
    assert all(i.author == AUTHOR and not i.decided for i in items)
    assert [i.day for i in items] == sorted((i.day for i in items), reverse=True)


def test_records_of_this_device_are_not_reviewed(author_store) -> None:  # type: ignore[no-untyped-def]
    assert queue(author_store) == []


def test_queue_filters(supervisor_store, reviewer) -> None:  # type: ignore[no-untyped-def]
    everything = queue(supervisor_store)
    assert len(queue(supervisor_store, kind="sampling_task")) == 3
    assert len(queue(supervisor_store, jurisdiction="6210")) == 14
    assert queue(supervisor_store, jurisdiction="6201") == []     # 兰州 does not cover 合水县
    assert len(queue(supervisor_store, author="演示")) == 14
    assert queue(supervisor_store, author="别人") == []
    days = sorted({i.day for i in everything})
    mid = days[len(days) // 2]
    since = queue(supervisor_store, since=mid)
    until = queue(supervisor_store, until=mid - timedelta(days=1))
    assert since and until and len(since) + len(until) == 14
    assert all(i.day >= mid for i in since)
    item = everything[0]
    decide(supervisor_store, reviewer, item.record_type, item.record_id, "approve",
           role=SUPERVISOR_ROLE)
    decided = queue(supervisor_store, state="decided")
    assert [(i.record_id, i.decision.decision) for i in decided] == [(item.record_id, "approve")]
    assert len(queue(supervisor_store, state="undecided")) == 13


@pytest.mark.parametrize("case,code", [
    ("role", "review.error.role"), ("decision", "review.error.decision"),
    ("comments_return", "review.error.comments"), ("comments_reject", "review.error.comments"),
    ("unknown", "review.error.not_reviewable"), ("own", "review.error.own_record")])
def test_decide_refusals_write_nothing(supervisor_store, reviewer, case, code) -> None:  # type: ignore[no-untyped-def]
    item = first(supervisor_store, "three_simultaneities")
    args = {"actor": reviewer, "record_type": item.record_type, "record_id": item.record_id,
            "decision": "approve", "comments": "", "role": SUPERVISOR_ROLE}
    args.update({"role": {"role": "inspector"}, "decision": {"decision": "maybe"},
                 "comments_return": {"decision": "return", "comments": "  "},
                 "comments_reject": {"decision": "reject"},
                 "unknown": {"record_id": "no-such-id"},
                 "own": {"actor": Actor(AUTHOR, reviewer.device_id)}}.get(case, {}))
    with pytest.raises(ValidationError) as exc:
        decide(supervisor_store, **args)  # type: ignore[arg-type]
    assert codes(exc) == [code]
    assert exc.value.problems[0].message and "review.error" not in exc.value.problems[0].message
    with supervisor_store.read() as s:
        assert s.scalars(select(ReviewDecision)).all() == []


def test_a_decision_is_a_record_with_outbox_and_audit(supervisor_store, reviewer) -> None:  # type: ignore[no-untyped-def]
    item = first(supervisor_store, "sampling_task")
    result = decide(supervisor_store, reviewer, item.record_type, item.record_id, "reject",
                    " 采样时间不足 ", role=SUPERVISOR_ROLE)
    with supervisor_store.read() as s:
        row = s.get(ReviewDecision, result.record_id)
        assert (row.decision, row.comments, row.reviewer, row.record_hash, row.jurisdiction,
                row.record_author) == ("reject", "采样时间不足", REVIEWER, item.record_hash,
                                       "621024", AUTHOR)
        out = s.scalars(select(OutboxEntry).where(OutboxEntry.record_id == row.id)).one()
        assert json.loads(out.payload)["decision"] == "reject"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.record_id == row.id)).one()
        assert (audit.action, audit.actor) == ("review.decided", REVIEWER)
        assert json.loads(audit.details)["comments"] == "采样时间不足"


def test_changed_before_sync_then_frozen(supervisor_store, reviewer) -> None:  # type: ignore[no-untyped-def]
    item = first(supervisor_store, "workplace_audit")
    rid = decide(supervisor_store, reviewer, item.record_type, item.record_id, "approve",
                 role=SUPERVISOR_ROLE).record_id
    again = decide(supervisor_store, reviewer, item.record_type, item.record_id, "return",
                   "缺少整改期限", role=SUPERVISOR_ROLE).record_id
    assert again == rid   # the same decision, changed while not synced
    with supervisor_store.read() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).where(
            AuditEntry.record_id == rid).order_by(AuditEntry.seq))]
        assert actions == ["review.decided", "review.changed"]
        payload = s.scalars(select(OutboxEntry.payload).where(OutboxEntry.record_id == rid)
                            .order_by(OutboxEntry.change_seq.desc())).first()
    with supervisor_store.unit_of_work(reviewer) as uow:   # the platform acknowledges it
        local.set_base(uow.session, "review_decision", rid, "h", 7)
        uow.commit()
    with supervisor_store.read() as s:
        assert is_synced(s, rid)
    with pytest.raises(ValidationError) as exc:
        decide(supervisor_store, reviewer, item.record_type, item.record_id, "approve",
               role=SUPERVISOR_ROLE)
    assert codes(exc) == ["review.error.synced"]
    # the triggers are the second line: no update, no replace, no delete
    for stmt in (update(ReviewDecision).where(ReviewDecision.id == rid).values(comments="x"),
                 delete(ReviewDecision).where(ReviewDecision.id == rid)):
        with supervisor_store.unit_of_work(reviewer) as uow:
            with pytest.raises(IntegrityError, match="review decision"):
                uow.session.execute(stmt)
    with supervisor_store.unit_of_work(reviewer) as uow:
        with pytest.raises(IntegrityError, match="after it synced"):
            uow.session.execute(text(
                "INSERT OR REPLACE INTO review_decision SELECT * FROM review_decision "
                "WHERE id = :id"), {"id": rid})
    with supervisor_store.read() as s:
        row = s.get(ReviewDecision, rid)
        assert (row.decision, row.comments) == ("return", "缺少整改期限")
        assert json.loads(payload)["decision"] == "return"


def test_an_unsynced_decision_is_never_deleted(supervisor_store, reviewer) -> None:  # type: ignore[no-untyped-def]
    item = first(supervisor_store, "institution_audit")
    rid = decide(supervisor_store, reviewer, item.record_type, item.record_id, "approve",
                 role=SUPERVISOR_ROLE).record_id
    with supervisor_store.unit_of_work(reviewer) as uow:
        with pytest.raises(IntegrityError, match="never deleted"):
            uow.session.execute(delete(ReviewDecision).where(ReviewDecision.id == rid))


def _pull(store: Store, source: Store, record_id: str) -> None:
    """The decision as the platform sends it to the author's device."""
    with source.read() as s:
        out = s.scalars(select(OutboxEntry).where(OutboxEntry.record_id == record_id)
                        .order_by(OutboxEntry.change_seq.desc())).first()
        row = s.get(ReviewDecision, record_id)
        change = Change("review_decision", record_id, out.payload_hash, json.loads(out.payload),
                        1, row.author, row.device_id)
    arrive(store, change)


def test_returned_to_me_and_start_correction(supervisor_store, reviewer, author_store) -> None:  # type: ignore[no-untyped-def]
    verification = first(supervisor_store, "three_simultaneities")
    task = first(supervisor_store, "sampling_task")
    approved = first(supervisor_store, "institution_audit")
    ids = {}
    for item, decision in ((verification, "return"), (task, "return"), (approved, "approve")):
        ids[item.record_id] = decide(supervisor_store, reviewer, item.record_type,
                                     item.record_id, decision, "请补充现场照片",
                                     role=SUPERVISOR_ROLE).record_id
        _pull(author_store, supervisor_store, ids[item.record_id])
    author = author_store.actor(AUTHOR)
    with author_store.read() as s:
        assert returned_to_me(s, "someone else") == []
        mine = returned_to_me(s, AUTHOR)
    assert {(r.record_id, r.correctable, r.correction_id) for r in mine} == {
        (verification.record_id, True, None), (task.record_id, True, None)}
    with author_store.unit_of_work(author) as uow:  # arrived by sync: frozen here too
        with pytest.raises(IntegrityError, match="after it synced"):
            uow.session.execute(update(ReviewDecision).values(comments="改掉"))
    with pytest.raises(ValidationError) as exc:
        start_correction(author_store, author, ids[approved.record_id])
    assert codes(exc) == ["review.error.not_returned"]
    with pytest.raises(ValidationError) as exc:
        start_correction(author_store, Actor("别人", author.device_id), ids[verification.record_id])
    assert codes(exc) == ["review.error.not_author"]
    new_id = start_correction(author_store, author, ids[verification.record_id]).record_id
    with author_store.read() as s:
        new = s.get(Inspection, new_id)
        assert new.amends_id == verification.record_id and new.locked_at is None
        assert REVIEWER in new.amendment_reason and "请补充现场照片" in new.amendment_reason
        assert s.get(Inspection, verification.record_id).locked_at is not None
        audit = s.scalars(select(AuditEntry.action).where(
            AuditEntry.record_id == ids[verification.record_id])).all()
        assert "review.correction_started" in audit
        again = {r.record_id: r.correction_id for r in returned_to_me(s, AUTHOR)}
    assert again[verification.record_id] == new_id
    with pytest.raises(ValidationError):   # one open amendment at a time
        start_correction(author_store, author, ids[verification.record_id])


def test_photos_of_reviewed_records(supervisor_store) -> None:  # type: ignore[no-untyped-def]
    from ohinspect.services.attachments import attachment_path
    from ohinspect.services.review_photos import record_photos
    from ohinspect.store.models import Attachment, InspectionAnswer

    with supervisor_store.read() as s:
        by_kind: dict[str, int] = {}
        for item in review_queue(s):
            photos = record_photos(s, item.record_type, item.record_id)
            by_kind[item.kind] = by_kind.get(item.kind, 0) + len(photos)
            for p in photos:
                assert attachment_path(supervisor_store, p.sha256).is_file()
            if item.record_type == "inspection":   # exactly the photos of its answers
                answers = select(InspectionAnswer.id).where(
                    InspectionAnswer.inspection_id == item.record_id)
                expected = s.scalars(select(Attachment.sha256).where(
                    Attachment.owner_id.in_(answers), Attachment.deleted_at.is_(None))).all()
                assert sorted(p.sha256 for p in photos) == sorted(expected)
    # the demo's verifications and workplace audits carry photos (its tasks and closure none)
    assert by_kind["three_simultaneities"] > 0 and by_kind["workplace_audit"] > 0
