"""Due dates of periodic testing/evaluation (令第5号 第二十条) from the risk class and the last
reports, with reasons in words; repeatedly-overdue detection; list decisions append-only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ohinspect.errors import ValidationError
from ohinspect.services.due_dates import (ReportInput, add_months, add_report, due_dates,
                                          due_list, repeatedly_overdue)
from ohinspect.services.list_decisions import (DecisionInput, current_lists, decision_history,
                                               record_decision)
from ohinspect.store.database import Store
from ohinspect.store.models import ListDecision, PeriodicReport
from tests.unit.test_rectification import make_enterprise

TODAY = date(2025, 4, 1)


def report(store: Store, actor, ent: str, kind: str, day: str, no: str) -> None:  # type: ignore[no-untyped-def]
    add_report(store, actor, ReportInput(ent, kind, date.fromisoformat(day), no,
                                         "甘肃某职业卫生技术服务有限公司", "pass"), TODAY)


def test_add_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(date(2024, 5, 10), 12) == date(2025, 5, 10)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 30), 36) == date(2026, 11, 30)


def test_severe_needs_a_yearly_test_and_a_three_yearly_evaluation(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor, 1, risk_class="severe")
    report(store, actor, ent, "test", "2024-05-10", "JC-2024-01")
    report(store, actor, ent, "evaluation", "2021-06-01", "PJ-2021-01")
    with store.read() as s:
        dues = {d.kind: d for d in due_dates(s, TODAY)}
    test, evaluation = dues["test"], dues["evaluation"]
    assert (test.state, test.next_due) == ("due_soon", date(2025, 5, 10))
    assert test.reason == "严重危害：上次检测 2024-05-10，应于 2025-05-10 前完成"
    assert (evaluation.state, evaluation.next_due) == ("overdue", date(2024, 6, 1))
    assert evaluation.days_overdue == (TODAY - date(2024, 6, 1)).days
    assert "已逾期" in evaluation.reason and "2021-06-01" in evaluation.reason


def test_general_is_tested_every_three_years_and_never_is_its_own_state(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    general = make_enterprise(store, actor, 1, risk_class="general")
    silent = make_enterprise(store, actor, 2, risk_class="severe")
    report(store, actor, general, "test", "2023-01-01", "JC-1")
    with store.read() as s:
        dues = due_dates(s, TODAY)
        listed = due_list(s, TODAY)
    mine = [(d.kind, d.state, d.next_due) for d in dues if d.enterprise_id == general]
    assert mine == [("test", "ok", date(2026, 1, 1))]      # no evaluation required
    never = [d for d in dues if d.enterprise_id == silent]
    assert {(d.kind, d.state) for d in never} == {("test", "never"), ("evaluation", "never")}
    assert never[0].reason.endswith("应立即完成")
    assert {d.enterprise_id for d in listed} == {silent}


def test_settings_override_an_interval(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor, 1, risk_class="general")
    report(store, actor, ent, "test", "2023-01-01", "JC-1")
    with store.read() as s:
        (due,) = due_dates(s, TODAY, overrides={"general.test": 24})
    assert (due.state, due.next_due) == ("overdue", date(2025, 1, 1))


def test_repeatedly_overdue_counts_late_reports_and_being_overdue_now(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    late = make_enterprise(store, actor, 1, risk_class="general")
    punctual = make_enterprise(store, actor, 2, risk_class="general")
    for n, day in enumerate(("2015-03-01", "2019-01-01")):     # due 2018-03-01: late once
        report(store, actor, late, "test", day, f"L-{n}")            # due 2022-01-01: overdue
    for n, day in enumerate(("2019-03-01", "2022-02-01", "2024-12-01")):
        report(store, actor, punctual, "test", day, f"P-{n}")
    with store.read() as s:
        assert repeatedly_overdue(s, TODAY) == [(late, "合水县整改测试有限公司1", 2)]


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"kind": "audit"}, "kind", "due.error.kind"),
    ({"report_date": date(2025, 4, 2)}, "report_date", "due.error.date_future"),
    ({"report_date": None}, "report_date", "due.error.date_missing"),
    ({"report_no": ""}, "report_no", "rectification.error.required"),
    ({"result": "great"}, "result", "due.error.result"),
    ({"enterprise_id": "nope"}, "enterprise_id", "rectification.error.enterprise_unknown"),
    ({"report_no": "JC-1"}, "report_no", "due.error.duplicate"),
])
def test_bad_reports_are_refused(store: Store, actor, change: dict[str, object], field: str,  # type: ignore[no-untyped-def]
                                 code: str) -> None:
    ent = make_enterprise(store, actor)
    report(store, actor, ent, "test", "2024-01-01", "JC-1")
    data = ReportInput(ent, "test", date(2025, 1, 1), "JC-2", "某机构", "pass")
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(ValidationError) as err:
        add_report(store, actor, data, TODAY)
    assert [(p.field, p.code) for p in err.value.problems] == [(field, code)]
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(PeriodicReport)) == 1


def test_list_decisions_are_appended_and_the_current_list_follows_the_last(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor)
    on = DecisionInput(ent, "blacklist", "add", "连续两年逾期未检测且拒不整改", "张局长",
                       date(2025, 3, 1), "合卫黑〔2025〕1号")
    record_decision(store, actor, on, TODAY)
    with pytest.raises(ValidationError) as err:
        record_decision(store, actor, on, TODAY)
    assert [p.code for p in err.value.problems] == ["list.error.already_on"]
    with store.read() as s:
        (listed,) = current_lists(s)
    assert (listed.list_kind, listed.document_no, listed.decided_by) == (
        "blacklist", "合卫黑〔2025〕1号", "张局长")
    off = DecisionInput(ent, "blacklist", "remove", "已完成检测并整改", "张局长",
                        date(2025, 3, 20), "合卫黑〔2025〕2号")
    record_decision(store, actor, off, TODAY)
    with pytest.raises(ValidationError) as err:
        record_decision(store, actor, off, TODAY)
    assert [p.code for p in err.value.problems] == ["list.error.not_on"]
    with store.read() as s:
        assert current_lists(s) == []
        assert [d.decision for d in decision_history(s, ent)] == ["add", "remove"]


@pytest.mark.parametrize(("change", "field"), [
    ({"reason": ""}, "reason"), ({"document_no": " "}, "document_no"),
    ({"decided_by": ""}, "decided_by"), ({"list_kind": "grey"}, "list_kind"),
    ({"decision": "maybe"}, "decision"), ({"decided_on": date(2025, 5, 1)}, "decided_on")])
def test_a_decision_needs_reason_document_and_who(store: Store, actor, change: dict[str, object],  # type: ignore[no-untyped-def]
                                                 field: str) -> None:
    ent = make_enterprise(store, actor)
    data = DecisionInput(ent, "key_supervision", "add", "反复逾期", "张局长", None, "合卫〔2025〕3号")
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(ValidationError) as err:
        record_decision(store, actor, data, TODAY)
    assert [p.field for p in err.value.problems] == [field]
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(ListDecision)) == 0
