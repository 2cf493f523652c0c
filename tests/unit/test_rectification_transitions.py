"""Every transition of resources/rules/rectification.yaml, allowed and forbidden, driven from the
file itself: a transition added there is tested here without a new test being written.

Allowed: from each source state the item reaches the target state with one event naming who,
the note, evidence and re-test. Forbidden: every other state, every role not listed, and each
missing requirement — a specific ValidationError and nothing written."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ohinspect.errors import ValidationError
from ohinspect.services.rectification import item_events, transition_in
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, AuditEntry, RectificationEvent, RectificationItem,
                                    ReviewDecision)
from tests.unit.test_rectification import (CLOSER, TODAY, add_closer, evidence, make_enterprise,
                                           open_one)

RULES = load_rectification_rules()
LATE = TODAY + timedelta(days=10)          # the day every transition is made: the item is overdue
DEADLINE = TODAY + timedelta(days=1)
RETEST_ACTIONS = {"retest_pass", "retest_fail"}
#: how to reach each state from "open" (actions of the YAML)
PATHS = {"open": [], "corrected": ["submit_correction"],
         "closed": ["submit_correction", "review_pass"], "escalated": ["escalate"]}
RETEST_PATHS = {**PATHS, "corrected": ["retest_pass"], "closed": ["retest_pass", "review_pass"]}


def satisfying(action: str) -> dict[str, object]:
    """Arguments that meet every requirement of ``action``."""
    t = RULES.transition(action)
    kw: dict[str, object] = {"role": t.roles[0], "by_name": CLOSER, "today": LATE,
                             "note": "现场复查：已整改" if "note" in t.requires else ""}
    if "evidence" in t.requires:
        kw["evidence"] = evidence()
    if t.requires & {"retest_pass", "retest_fail"}:
        kw["retest_ref"] = "retest-task"
    if "new_deadline" in t.requires:
        kw["new_deadline"] = LATE + timedelta(days=30)
    return kw


def returned_closure_in(uow, item_id: str) -> str:  # type: ignore[no-untyped-def]
    """A supervisor's "return" decision on the event that closed the item (issue 7 review),
    written in the caller's unit of work ("" when the item was never closed)."""
    closing = [e for e in item_events(uow.session, item_id) if e.to_status == "closed"]
    if not closing:
        return ""
    row = ReviewDecision(record_type="rectification_event", record_id=closing[-1].id,
                         record_hash="0" * 64, decision="return", comments="销号证据不足",
                         reviewer="监督科长", decided_at=uow.now)
    uow.record(row, "review.decided")
    return row.id


def act(store: Store, actor, item_id: str, action: str, **kw: object) -> RectificationItem:  # type: ignore[no-untyped-def]
    args = satisfying(action)
    args.update(kw)
    with store.unit_of_work(actor) as uow:  # the decision goes when the transition is refused
        if "review_return" in RULES.transition(action).requires and "review_ref" not in args:
            args["review_ref"] = returned_closure_in(uow, item_id)
        item = transition_in(uow, item_id, action, **args)  # type: ignore[arg-type]
        uow.commit()
    return item


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One store for the module (opening one costs more than a test): every test works on
    its own new item and compares counts before and after."""
    s = Store.open(tmp_path_factory.mktemp("transitions") / "data")
    yield s
    s.close()


ENTERPRISES = itertools.count(1)


def item_in(store: Store, actor, state: str, retest: bool) -> str:  # type: ignore[no-untyped-def]
    add_closer(store, actor)
    ent = make_enterprise(store, actor, next(ENTERPRISES))
    item_id = open_one(store, actor, ent, deadline=DEADLINE, requires_retest=retest,
                       hazard_code="dust.silica" if retest else "", source_type="sampling")
    for step in (RETEST_PATHS if retest else PATHS)[state]:
        act(store, actor, item_id, step)
    return item_id


def snapshot(store: Store, item_id: str) -> tuple[object, ...]:
    with store.read() as s:
        item = s.get(RectificationItem, item_id)
        assert item is not None
        n = [int(s.scalar(select(func.count()).select_from(m)) or 0)
             for m in (RectificationEvent, Attachment, AuditEntry)]
        return (item.status, item.deadline, item.closed_at, item.look_back_on, item.change_seq, *n)


ALLOWED = [(a, s) for a, t in RULES.transitions.items() for s in t.sources]
FORBIDDEN = [(a, s) for a, t in RULES.transitions.items() for s in RULES.states
             if s not in t.sources]
WRONG_ROLES = [(a, r) for a, t in RULES.transitions.items()
               for r in (*RULES.roles, "visitor") if r not in t.roles]


def test_the_tables_cover_the_file() -> None:
    assert {a for a, _ in ALLOWED} == set(RULES.transitions)
    assert len(ALLOWED) + len(FORBIDDEN) == len(RULES.transitions) * len(RULES.states)
    assert set(PATHS) == set(RULES.states) == set(RETEST_PATHS)


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_allowed_transition(store: Store, actor, action: str, state: str) -> None:  # type: ignore[no-untyped-def]
    t = RULES.transition(action)
    retest = action in RETEST_ACTIONS
    item_id = item_in(store, actor, state, retest)
    before = len(item_events_of(store, item_id))
    item = act(store, actor, item_id, action)
    assert item.status == t.target
    with store.read() as s:
        events = item_events(s, item_id)
        row = s.get(RectificationItem, item_id)
        assert row is not None and row.status == t.target
    assert len(events) == before + 1
    last = events[-1]
    assert (last.action, last.from_status, last.to_status, last.by_name) == (
        action, state, t.target, CLOSER)
    if "evidence" in t.requires:
        assert len(last.evidence) == 1 and len(last.evidence[0]) == 64
    if "note" in t.requires:
        assert last.note == "现场复查：已整改"
    if t.requires & {"retest_pass", "retest_fail"}:
        assert last.retest_ref == "retest-task"
    if action == "review_pass":
        assert row.closed_by == CLOSER and row.closed_at is not None
        assert row.look_back_on == LATE + timedelta(days=RULES.look_back_days)
    if "look_back_due" in t.requires:
        assert row.look_back_on is None
    if action == "reopen":
        assert row.deadline > LATE
    if state == "closed" and t.target != "closed":   # reopened: no longer closed
        assert row.closed_at is None and row.closed_by == "" and row.look_back_on is None


def item_events_of(store: Store, item_id: str) -> list[RectificationEvent]:
    with store.read() as s:
        return item_events(s, item_id)


def refused(store: Store, actor, item_id: str, action: str, **kw: object) -> ValidationError:  # type: ignore[no-untyped-def]
    before = snapshot(store, item_id)
    with pytest.raises(ValidationError) as err:
        act(store, actor, item_id, action, **kw)
    assert snapshot(store, item_id) == before
    assert all(p.message and "rectification.error" not in p.message for p in err.value.problems)
    return err.value


@pytest.mark.parametrize(("action", "state"), FORBIDDEN)
def test_forbidden_transition(store: Store, actor, action: str, state: str) -> None:  # type: ignore[no-untyped-def]
    item_id = item_in(store, actor, state, action in RETEST_ACTIONS)
    err = refused(store, actor, item_id, action)
    assert [(p.field, p.code) for p in err.problems] == [("status", "rectification.error.transition")]


@pytest.mark.parametrize(("action", "role"), WRONG_ROLES)
def test_wrong_role_is_refused(store: Store, actor, action: str, role: str) -> None:  # type: ignore[no-untyped-def]
    state = RULES.transition(action).sources[0]
    item_id = item_in(store, actor, state, action in RETEST_ACTIONS)
    err = refused(store, actor, item_id, action, role=role)
    assert [(p.field, p.code) for p in err.problems] == [("role", "rectification.error.role")]


MISSING = {  # requirement → (arguments that break it, the field and code of the refusal)
    "evidence": ({"evidence": []}, "evidence", "rectification.error.evidence_missing"),
    "note": ({"note": " "}, "note", "rectification.error.note_required"),
    "closer": ({"by_name": "路人甲"}, "by_name", "rectification.error.closer_not_authorised"),
    "retest_pass": ({"retest_ref": ""}, "retest_ref", "rectification.error.required"),
    "retest_fail": ({"retest_ref": ""}, "retest_ref", "rectification.error.required"),
    "overdue_escalation": ({"today": DEADLINE}, "deadline", "rectification.error.not_overdue"),
    "new_deadline": ({"new_deadline": LATE - timedelta(days=1)}, "deadline",
                     "rectification.error.deadline_past"),
    "review_return": ({"review_ref": "no-such-decision"}, "review_ref",
                      "rectification.error.review_not_returned"),
}
REQUIREMENT_CASES = [(a, r) for a, t in RULES.transitions.items() for r in sorted(t.requires)
                     if r in MISSING]


def test_every_requirement_has_a_refusal_case() -> None:
    every = set().union(*(t.requires for t in RULES.transitions.values()))
    assert every <= set(MISSING) | {"retest_done", "look_back_due"}  # those two: tests below


@pytest.mark.parametrize(("action", "requirement"), REQUIREMENT_CASES)
def test_missing_requirement_is_refused(store: Store, actor, action: str,  # type: ignore[no-untyped-def]
                                        requirement: str) -> None:
    state = RULES.transition(action).sources[0]
    item_id = item_in(store, actor, state, action in RETEST_ACTIONS)
    args, field, code = MISSING[requirement]
    err = refused(store, actor, item_id, action, **args)
    assert (field, code) in [(p.field, p.code) for p in err.problems]


def test_closing_a_retest_item_needs_a_passing_retest(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    item_id = item_in(store, actor, "open", retest=True)
    act(store, actor, item_id, "submit_correction")      # evidence alone is not enough
    err = refused(store, actor, item_id, "review_pass")
    assert [(p.field, p.code) for p in err.problems] == [("retest_ref", "rectification.error.retest_missing")]
    act(store, actor, item_id, "retest_fail")            # back to open
    act(store, actor, item_id, "submit_correction")
    refused(store, actor, item_id, "review_pass")        # the failed re-test does not count
    act(store, actor, item_id, "retest_pass")
    assert act(store, actor, item_id, "review_pass").status == "closed"


def test_look_back_needs_the_item_on_the_list(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    item_id = item_in(store, actor, "closed", retest=False)
    act(store, actor, item_id, "look_back_ok")
    for action in ("look_back_ok", "reopen"):
        err = refused(store, actor, item_id, action)
        assert [(p.field, p.code) for p in err.problems] == [
            ("look_back_on", "rectification.error.look_back_not_due")]


def test_a_review_return_reopens_only_the_closure_it_returned(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    item_id = item_in(store, actor, "closed", retest=False)
    with store.unit_of_work(actor) as uow:
        first = returned_closure_in(uow, item_id)
        uow.commit()
    assert act(store, actor, item_id, "review_returned", review_ref=first).status == "corrected"
    act(store, actor, item_id, "review_pass")            # closed again, by a new event
    err = refused(store, actor, item_id, "review_returned", review_ref=first)
    assert [(p.field, p.code) for p in err.problems] == [
        ("review_ref", "rectification.error.review_not_returned")]


def test_retest_actions_are_refused_for_items_without_retest(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    item_id = item_in(store, actor, "open", retest=False)
    err = refused(store, actor, item_id, "retest_pass")
    assert [p.code for p in err.problems] == ["rectification.error.not_retest_item"]


@pytest.mark.parametrize(("item_id", "action", "field", "code"), [
    ("no-such-item", "submit_correction", "item_id", "rectification.error.item_unknown"),
    ("", "review_pass", "item_id", "rectification.error.item_unknown"),
])
def test_unknown_item(store: Store, actor, item_id: str, action: str, field: str, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        act(store, actor, item_id, action)
    assert [(p.field, p.code) for p in err.value.problems] == [(field, code)]


def test_unknown_action_and_missing_name(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    item_id = item_in(store, actor, "open", retest=False)
    with pytest.raises(ValidationError) as err:
        act(store, actor, item_id, "submit_correction", role="enterprise", by_name="")
    assert [(p.field, p.code) for p in err.value.problems] == [("by_name", "rectification.error.required")]
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as err:
        transition_in(uow, item_id, "shred", role="inspector", by_name=CLOSER, today=LATE)
    assert [p.code for p in err.value.problems] == ["rectification.error.action_unknown"]


def test_overdue_is_derived_not_stored() -> None:
    deadline = date(2026, 3, 1)
    assert RULES.is_overdue("open", deadline, date(2026, 3, 2))
    assert not RULES.is_overdue("open", deadline, deadline)
    assert not RULES.is_overdue("closed", deadline, date(2026, 4, 1))
    assert RULES.is_overdue("escalated", deadline, date(2026, 4, 1))
