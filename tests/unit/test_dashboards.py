"""Dashboards (issue 7 item 4): every indicator on the demo store equals what the existing
services work out, and every figure's drill-down lists exactly the records it counts."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from ohinspect.dashboards import (INDICATOR_IDS, Scope, check_scope, compute_dashboard,
                                  drill_down)
from ohinspect.dashboards.periodic import cutoff
from ohinspect.demo.projects import REFERENCE_DATE
from ohinspect.errors import ValidationError
from ohinspect.services.coverage import verification_coverage
from ohinspect.services.due_dates import NEVER, OVERDUE, add_months, due_dates
from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.rectification_queries import rectification_rates
from ohinspect.store.models import Inspection, SamplingTask
from tests.demo_store import opened_demo

COUNTY = "621024"  # 合水县, the demo's county
YEAR = Scope(COUNTY, date(2026, 1, 1), date(2026, 12, 31), REFERENCE_DATE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with opened_demo(Path(tmp_path_factory.mktemp("dash")) / "data") as store:
        with store.read() as s:
            dash = compute_dashboard(s, YEAR)
        yield store, dash


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Here the demo store (a copy of the session's, tests/demo_store.py)."""
    with opened_demo(tmp_path / "data") as s:
        yield s


def test_every_indicator_is_there_and_has_figures(demo) -> None:  # type: ignore[no-untyped-def]
    _, dash = demo
    assert tuple(i.id for i in dash.indicators) == INDICATOR_IDS
    assert all(i.figures for i in dash.indicators)


def test_coverage_equals_the_coverage_service(demo) -> None:  # type: ignore[no-untyped-def]
    store, dash = demo
    with store.read() as s:
        rows = verification_coverage(s, COUNTY, 2026)
    ind = dash.indicator("coverage")
    assert [f.key for f in ind.figures] == [r.risk_class for r in rows]
    for r in rows:
        v = ind.figure(r.risk_class).values
        assert (v["reached"], v["verified"], v["shortfall"]) == (r.reached_acceptance, r.verified,
                                                                 r.shortfall)
        assert v["target"] == pytest.approx(r.target)
    assert ind.figure("severe").values["target"] == 1.0  # verification_targets.yaml
    assert sum(f.values["reached"] for f in ind.figures) > 0


def test_rectification_equals_the_rates_service(demo) -> None:  # type: ignore[no-untyped-def]
    store, dash = demo
    with store.read() as s:
        rows = rectification_rates(s, YEAR.start, YEAR.end, jurisdiction=COUNTY, digits=6)
        overdue = sum(1 for r in drill_down(s, YEAR, "rectification", COUNTY)
                      if r.detail.endswith("逾期"))
    ind = dash.indicator("rectification")
    assert [(f.key, f.values["due"], f.values["on_time"], f.values["closed"])
            for f in ind.figures] == [(r.jurisdiction, r.due, r.on_time, r.closed) for r in rows]
    assert ind.figure(COUNTY).values["overdue"] == overdue > 0


def test_periodic_overdue_equals_the_due_dates_service(demo) -> None:  # type: ignore[no-untyped-def]
    store, _ = demo
    scope = Scope(COUNTY, date(2026, 1, 1), REFERENCE_DATE, REFERENCE_DATE)
    with store.read() as s:
        ind = compute_dashboard(s, scope).indicator("periodic")
        states = Counter(d.state for d in due_dates(s, REFERENCE_DATE, jurisdiction=COUNTY))
        listed = drill_down(s, scope, "periodic", COUNTY)
    v = ind.figure(COUNTY).values
    assert (v["required"], v["overdue"], v["never"]) == (sum(states.values()), states[OVERDUE],
                                                         states[NEVER])
    assert len(listed) == v["overdue"] + v["never"]
    assert v["lapsed_share"] == pytest.approx((v["overdue"] + v["never"]) / v["required"])


def test_monitoring_pass_rate_counts_the_evaluation_verdicts(demo) -> None:  # type: ignore[no-untyped-def]
    store, dash = demo
    outcomes: Counter[tuple[str, str]] = Counter()
    with store.read() as s:
        for task in s.query(SamplingTask).filter(SamplingTask.locked_at.is_not(None)):
            ev = evaluate_task(s, task.id)
            outcomes.update((f.hazard_code, f.outcome) for f in ev.factors)
            outcomes.update(("phys.noise", n.verdict.outcome) for n in ev.noise)
        ind = dash.indicator("monitoring_factor")
        for f in ind.figures:
            ok, bad = outcomes[(f.key, "conform")], outcomes[(f.key, "not_conform")]
            assert (f.values["conform"], f.values["not_conform"]) == (ok, bad)
            rows = drill_down(s, YEAR, "monitoring_factor", f.key)
            assert rows and all(r.record_type == "sampling_task" for r in rows)
    assert ind.figure("chem.benzene").values["pass_rate"] == 0.0
    assert ind.figure("phys.noise").values["target"] == 0.85  # dashboard_targets.yaml
    industry = dash.indicator("monitoring_industry")
    assert sum(f.values["determinations"] for f in industry.figures) == \
        sum(f.values["determinations"] for f in ind.figures)


def test_inspections_per_inspector_and_their_records(demo) -> None:  # type: ignore[no-untyped-def]
    store, dash = demo
    expected: Counter[str] = Counter()
    inspections = 0
    with store.read() as s:
        for ins in s.query(Inspection).filter(Inspection.deleted_at.is_(None)):
            started = ins.started_at.astimezone().date()
            if YEAR.start <= started <= YEAR.end:
                expected.update({p["id_no"] for p in ins.inspectors})
                inspections += 1
        ind = dash.indicator("inspectors")
        assert {f.key: f.values["inspections"] for f in ind.figures} == dict(expected)
        assert ind.overall() == inspections < sum(expected.values())  # each counted once
        first = ind.figures[0]
        rows = drill_down(s, YEAR, "inspectors", first.key)
    assert len(rows) == first.values["inspections"]
    assert {r.record_type for r in rows} == {"inspection"}


def test_coverage_drill_down_lists_the_projects_counted(demo) -> None:  # type: ignore[no-untyped-def]
    store, dash = demo
    with store.read() as s:
        for f in dash.indicator("coverage").figures:
            rows = drill_down(s, YEAR, "coverage", f.key)
            assert len(rows) == f.values["reached"]
            assert sum(r.detail.startswith("已核查") for r in rows) == f.values["verified"]


def test_an_empty_period_has_no_figures_and_a_bad_scope_is_refused(demo) -> None:  # type: ignore[no-untyped-def]
    store, _ = demo
    with store.read() as s:
        empty = compute_dashboard(s, Scope(COUNTY, date(2001, 1, 1), date(2001, 2, 1),
                                           REFERENCE_DATE))
        assert empty.indicator("rectification").figures == ()
        assert empty.indicator("coverage").overall() is None
    with pytest.raises(ValidationError) as err:
        check_scope(Scope("999999", date(2026, 2, 1), date(2026, 1, 1), REFERENCE_DATE))
    assert {p.field for p in err.value.problems} == {"period", "jurisdiction"}


@pytest.mark.parametrize("months", [12, 36])
def test_cutoff_is_the_last_overdue_report_date(months: int) -> None:
    day = date(2023, 1, 1)
    while day < date(2026, 12, 31):
        cut = cutoff(day, months)
        assert add_months(cut, months) < day <= add_months(cut + timedelta(days=1), months)
        day += timedelta(days=17)


def test_stored_verdicts_follow_a_corrected_lab_result(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Verdicts are stored per task, and worked out again when the task's records change
    (here: the benzene results corrected to well under PC-TWA 3 mg/m³)."""
    from ohinspect.services import verdicts
    from ohinspect.services.lab_results import pick_current
    from ohinspect.services.lab_results_manual import ResultInput, add_result
    from ohinspect.store.models import LabResult

    from ohinspect.services import rectification_sampling

    calls: list[str] = []   # every evaluation, by the dashboard or by the lab-result hook
    real = verdicts.evaluate_task
    for module in (verdicts, rectification_sampling):
        monkeypatch.setattr(module, "evaluate_task",
                            lambda s, tid: calls.append(tid) or real(s, tid))
    with store.read() as s:
        before = compute_dashboard(s, YEAR).indicator("monitoring_factor").figure("chem.benzene")
        first = len(calls)
        compute_dashboard(s, YEAR)
        assert len(calls) == first  # nothing changed: nothing evaluated again
        results = pick_current(list(s.query(LabResult).filter(
            LabResult.analyte == "chem.benzene")))
    assert before.values["not_conform"] == 1
    for r in results.values():
        add_result(store, store.actor("lab"), ResultInput(r.sample_id, "chem.benzene", 0.2),
                   supersedes_id=r.id)
    assert len(calls) == first + len(results)  # each correction: its task evaluated once
    with store.read() as s:
        after = compute_dashboard(s, YEAR).indicator("monitoring_factor").figure("chem.benzene")
    assert len(calls) == first + len(results)  # the dashboard reads them: none evaluated
    assert (after.values["conform"], after.values["not_conform"]) == (1, 0)
