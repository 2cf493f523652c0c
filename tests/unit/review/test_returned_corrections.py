"""Correcting returned records that are not inspections (issue 7 item 3): a returned signed
sampling task becomes an amendment draft with copies of everything recorded under it (the
original unchanged), and a returned rectification closure reopens its item for 复查 (the event
history keeps the closure). Each start is one unit of work."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

import ohinspect.services.review as review_service
import ohinspect.services.sampling_amendments as amendments
from ohinspect.dashboards import Scope, compute_dashboard
from ohinspect.dashboards.monitoring import BY_FACTOR
from ohinspect.demo.projects import REFERENCE_DATE
from ohinspect.errors import ValidationError
from ohinspect.services.lab_results_current import current_results
from ohinspect.services.review import returned_to_me, start_correction
from ohinspect.services.review_rules import load_rules
from ohinspect.services.sampling_amendments import amend_task
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, AuditEntry, CustodyTransfer, LabResult,
                                    NoiseMeasurement, OutboxEntry, RectificationEvent,
                                    RectificationItem, Sample, SamplingPost, SamplingTask)
from ohinspect.store.serialize import content_hash
from tests.unit.review.world import AUTHOR, REVIEWER, arrive, arriving_decision

CHILDREN = (SamplingPost, Sample, NoiseMeasurement, CustodyTransfer)
EVERYTHING = Scope("", date(2000, 1, 1), date(2100, 12, 31), REFERENCE_DATE)
COMMENTS = "噪声测点布置不符合 GBZ/T 189.8，请更正"


def _counts(store: Store) -> tuple[int, ...]:
    with store.read() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(m)) or 0) for m in (
            SamplingTask, *CHILDREN, LabResult, Attachment, RectificationEvent, AuditEntry,
            OutboxEntry))


def _returned(store: Store, record_type: str, record_id: str) -> str:
    change = arriving_decision(store, record_type, record_id, "return", COMMENTS)
    arrive(store, change)
    return change.id


def _signed_task(store: Store) -> SamplingTask:
    """The signed demo task with the most lab results (posts, samples, noise, custody)."""
    with store.read() as s:
        return s.scalars(select(SamplingTask).join(Sample, Sample.task_id == SamplingTask.id)
                         .join(LabResult, LabResult.sample_id == Sample.id)
                         .where(SamplingTask.locked_at.is_not(None))
                         .group_by(SamplingTask.id).order_by(func.count().desc())).first()


def _tree(store: Store, task_id: str) -> dict[str, list[str]]:
    """Hashes of a task and of everything recorded under it (by type)."""
    with store.read() as s:
        task = s.get(SamplingTask, task_id)
        tree = {"task": [content_hash(task.sync_payload())]}
        for model in CHILDREN:
            tree[model.__tablename__] = sorted(content_hash(r.sync_payload()) for r in s.scalars(
                select(model).where(model.task_id == task_id)))
        samples = select(Sample.id).where(Sample.task_id == task_id)
        tree["lab_result"] = sorted(content_hash(r.sync_payload()) for r in s.scalars(
            select(LabResult).where(LabResult.sample_id.in_(samples))))
        return tree


def test_a_returned_signed_task_is_amended_with_copies(author_store) -> None:  # type: ignore[no-untyped-def]
    author = author_store.actor(AUTHOR)
    original = _signed_task(author_store)
    decision = _returned(author_store, "sampling_task", original.id)
    before = _tree(author_store, original.id)
    new_id = start_correction(author_store, author, decision).record_id
    assert _tree(author_store, original.id) == before          # the locked original unchanged
    with author_store.read() as s:
        new = s.get(SamplingTask, new_id)
        assert (new.amends_id, new.locked_at, new.status) == (original.id, None, "draft")
        assert REVIEWER in new.amendment_reason and COMMENTS in new.amendment_reason
        assert new.task_number and new.task_number != original.task_number
        for model in CHILDREN:
            old = s.scalars(select(model).where(model.task_id == original.id)).all()
            copies = s.scalars(select(model).where(model.task_id == new_id)).all()
            assert len(copies) == len(old) > 0, model.__tablename__
            assert not {r.id for r in old} & {r.id for r in copies}
        numbers = sorted(s.scalars(select(Sample.sample_number).where(Sample.task_id == new_id)))
        assert numbers == sorted(n.replace(original.task_number, new.task_number) for n in
                                 s.scalars(select(Sample.sample_number)
                                           .where(Sample.task_id == original.id)))
        new_samples = select(Sample.id).where(Sample.task_id == new_id)
        copied = s.scalars(select(LabResult).where(LabResult.sample_id.in_(new_samples))).all()
        assert copied and all(r.supersedes_id is None for r in copied)

        def results(task: SamplingTask, rows: object) -> dict[tuple[str, str], tuple[object, ...]]:
            return {(s.get(Sample, r.sample_id).sample_number.replace(task.task_number, ""),
                     r.analyte): (r.value, r.below_lod, r.unit, r.lab, r.method, r.source_file,
                                  r.source_line) for r in rows}  # type: ignore[attr-defined]

        old_samples = s.scalars(select(Sample.id).where(Sample.task_id == original.id)).all()
        assert results(new, copied) == results(original, current_results(s, old_samples).values())
        custody = s.scalars(select(CustodyTransfer).where(CustodyTransfer.task_id == new_id))
        new_ids = set(s.scalars(new_samples))
        assert all(set(c.sample_ids) <= new_ids for c in custody)
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.record_id.in_(
            [new_id, decision]))))
        assert {"sampling.task.amend", "review.correction_started"} <= actions
        mine = {r.record_id: r.correction_id for r in returned_to_me(s, AUTHOR)}
    assert mine[original.id] == new_id
    with pytest.raises(ValidationError) as exc:                  # one open amendment
        start_correction(author_store, author, decision)
    assert [p.code for p in exc.value.problems] == ["sampling.error.amendment_open"]
    assert new.task_number in exc.value.problems[0].message


def test_a_draft_is_not_amended(author_store) -> None:  # type: ignore[no-untyped-def]
    with author_store.read() as s:
        draft = s.scalars(select(SamplingTask).where(SamplingTask.locked_at.is_(None))).first()
    before = _counts(author_store)
    with pytest.raises(ValidationError) as exc:
        amend_task(author_store, author_store.actor(AUTHOR), draft.id, "更正")
    assert [p.code for p in exc.value.problems] == ["sampling.error.amend_draft"]
    assert draft.task_number in exc.value.problems[0].message
    assert _counts(author_store) == before


def test_starting_a_correction_is_one_unit_of_work(author_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    original = _signed_task(author_store)
    decision = _returned(author_store, "sampling_task", original.id)
    before = _counts(author_store)

    def broken(*_a: object, **_k: object) -> object:   # fails after posts and samples were added
        raise OSError("disk full")

    monkeypatch.setattr(amendments, "current_results", broken)
    with pytest.raises(OSError):
        start_correction(author_store, author_store.actor(AUTHOR), decision)
    assert _counts(author_store) == before


def test_a_type_left_out_of_the_rules_is_not_corrected(author_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    decision = _returned(author_store, "sampling_task", _signed_task(author_store).id)
    rules = dataclasses.replace(load_rules(), amendable=frozenset({"inspection"}))
    monkeypatch.setattr(review_service, "load_rules", lambda: rules)
    with pytest.raises(ValidationError) as exc:
        start_correction(author_store, author_store.actor(AUTHOR), decision)
    assert [p.code for p in exc.value.problems] == ["review.error.no_amendment"]
    assert COMMENTS in exc.value.problems[0].message


def test_a_returned_closure_reopens_its_item(author_store) -> None:  # type: ignore[no-untyped-def]
    author = author_store.actor(AUTHOR)
    with author_store.read() as s:
        closure = s.scalars(select(RectificationEvent).where(
            RectificationEvent.to_status == "closed").order_by(RectificationEvent.at)).first()
        closure_hash = content_hash(closure.sync_payload())
    decision = _returned(author_store, "rectification_event", closure.id)
    before = _counts(author_store)
    with pytest.raises(ValidationError) as exc:        # the author's role is checked
        start_correction(author_store, author, decision, role="enterprise")
    assert [p.code for p in exc.value.problems] == ["rectification.error.role"]
    assert _counts(author_store) == before
    item_id = start_correction(author_store, author, decision, role="inspector").record_id
    assert item_id == closure.item_id
    with author_store.read() as s:
        item = s.get(RectificationItem, item_id)
        assert (item.status, item.closed_at, item.closed_by, item.look_back_on) == (
            "corrected", None, "", None)
        events = s.scalars(select(RectificationEvent).where(
            RectificationEvent.item_id == item_id).order_by(RectificationEvent.at,
                                                            RectificationEvent.change_seq)).all()
        last = events[-1]
        assert (last.action, last.from_status, last.to_status, last.by_name) == (
            "review_returned", "closed", "corrected", AUTHOR)
        assert COMMENTS in last.note
        kept = s.get(RectificationEvent, closure.id)   # the returned closure stays in history
        assert kept is not None and content_hash(kept.sync_payload()) == closure_hash
        assert {r.record_id: r.correction_id for r in returned_to_me(s, AUTHOR)}[closure.id] \
            == item_id
    with pytest.raises(ValidationError) as exc:        # reopened once: no longer closed
        start_correction(author_store, author, decision, role="inspector")
    assert [p.code for p in exc.value.problems] == ["rectification.error.transition"]


def test_the_signed_amendment_repeats_no_exceedance_item(author_store) -> None:  # type: ignore[no-untyped-def]
    """Signed like any task; the exceedances its original opened open no second item."""
    from ohinspect.services.sampling import sign_task
    from ohinspect.services.sampling_queries import get_task_view
    from tests.unit.test_sampling_service import png

    author = author_store.actor(AUTHOR)
    with author_store.read() as s:
        task_id = s.scalars(select(RectificationItem.source_id).where(
            RectificationItem.source_type == "sampling")).first()
        items = s.scalar(select(func.count()).select_from(RectificationItem))
    def determinations() -> int:   # the monitoring pass rate counts a corrected task once
        with author_store.read() as s:
            ind = compute_dashboard(s, EVERYTHING, store=author_store).indicator(BY_FACTOR)
        return sum(f.values["determinations"] for f in ind.figures)

    before = determinations()
    new_id = amend_task(author_store, author, task_id, "复核采样时段").record_id
    sign_task(author_store, author, new_id, png(), png())
    assert determinations() == before > 0
    with author_store.read() as s:
        new = s.get(SamplingTask, new_id)
        assert new.locked_at is not None and new.status == "signed"
        assert s.scalar(select(func.count()).select_from(RectificationItem)) == items
        original = s.get(SamplingTask, task_id)
        assert get_task_view(s, new_id).amends_number == original.task_number  # PDF and screen


def test_lab_results_for_a_corrected_task_go_to_the_amendment(author_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The lab writes the number on the physical label; once a correction has begun, the
    amendment is the record in force, so the result lands on its copy of the sample and the
    import says so. The locked original keeps what it had."""
    from ohinspect.services.lab_results_import import import_results_csv

    author = author_store.actor(AUTHOR)
    original = _signed_task(author_store)
    new_id = start_correction(author_store, author, _returned(author_store, "sampling_task",
                                                              original.id)).record_id
    with author_store.read() as s:
        old_samples = s.scalars(select(Sample.id).where(Sample.task_id == original.id)).all()
        result = sorted(current_results(s, old_samples).values(), key=lambda r: r.id)[0]
        label = s.get(Sample, result.sample_id).sample_number
        new = s.get(SamplingTask, new_id)
        copy = label.replace(original.task_number, new.task_number)
    before = _tree(author_store, original.id)
    value = round(result.value * 1.5 + 0.1, 3)
    csv = tmp_path / "lab.csv"
    csv.write_text("sample_number,analyte,result,unit\n"
                   f"{label},{result.analyte},{value},{result.unit}\n", encoding="utf-8")
    outcome = import_results_csv(author_store, author, csv)
    assert any(label in w and copy in w and new.task_number in w for w in outcome.warnings)
    assert _tree(author_store, original.id) == before
    with author_store.read() as s:
        copy_id = s.scalars(select(Sample.id).where(Sample.sample_number == copy)).one()
        current = current_results(s, [copy_id])[(copy_id, result.analyte)]
        assert current.value == value and current.supersedes_id is not None
