"""Stored verdicts of the monitoring pass rate (ohinspect/services/verdicts.py, migration 0008):
equal to evaluate_task's, stale when a lab result arrives by another path than the services, and
the dashboard's queries read the indexes of migration 0008."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from ohinspect.dashboards import Scope, compute_dashboard
from ohinspect.services import verdicts
from ohinspect.demo.projects import REFERENCE_DATE
from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.lab_results import pick_current
from ohinspect.store.base import new_id, utcnow
from ohinspect.store.database import Store
from ohinspect.store.models import LabResult, SamplingTask, SamplingVerdict, SamplingVerdictSet
from tests.demo_store import demo_copy

COUNTY = "621024"
YEAR = Scope(COUNTY, date(2026, 1, 1), date(2026, 12, 31), REFERENCE_DATE)
PROVINCE = Scope("620000", YEAR.start, YEAR.end, REFERENCE_DATE)


@pytest.fixture
def demo(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Store.open(demo_copy(tmp_path / "data"))
    yield store
    store.close()


def _stored(session: Any, task_id: str) -> list[tuple[str | None, str, str]]:
    rows = session.execute(select(SamplingVerdict.post_id, SamplingVerdict.hazard_code,
                                  SamplingVerdict.outcome)
                           .where(SamplingVerdict.task_id == task_id)
                           .order_by(SamplingVerdict.seq))
    return [tuple(r) for r in rows]


def _evaluated(session: Any, task_id: str) -> list[tuple[str | None, str, str]]:
    ev = evaluate_task(session, task_id)
    return ([(f.post_id, f.hazard_code, f.outcome) for f in ev.factors]
            + [(n.post_id, "phys.noise", n.verdict.outcome) for n in ev.noise])


def _stale(session: Any) -> list[str]:
    stmt = verdicts.outer_join_sets(select(SamplingTask.id)).where(
        SamplingTask.locked_at.is_not(None), verdicts.stale_condition())
    return list(session.scalars(stmt))


def test_signing_and_results_store_the_verdicts_of_evaluate_task(demo: Store) -> None:
    with demo.read() as s:
        tasks = s.execute(select(SamplingTask.id, SamplingTask.locked_at)).all()
        assert any(locked is None for _, locked in tasks) and _stale(s) == []
        for task_id, locked in tasks:
            stored = _stored(s, task_id)
            if locked is None:
                assert stored == [] and s.get(SamplingVerdictSet, task_id) is None
            else:
                assert stored and stored == _evaluated(s, task_id)


def test_a_result_received_without_the_services_is_found_stale_and_stored_once(
        demo: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A corrected benzene result (well under PC-TWA 3 mg/m³) written as sync's merge writes
    records — change_seq 0, no verdict refresh: the dashboard sees the task stale, reports the
    new verdict, stores it, and evaluates nothing the next time."""
    with demo.read() as s:
        before = compute_dashboard(s, YEAR).indicator("monitoring_factor")
        old = pick_current(s.scalars(select(LabResult).where(
            LabResult.analyte == "chem.benzene")))
    assert before.figure("chem.benzene").values["not_conform"] == 1
    with demo.write_sessionmaker() as w, w.begin():
        now = utcnow()
        for r in old.values():
            w.add(LabResult(id=new_id(), sample_id=r.sample_id, analyte=r.analyte, value=0.2,
                            unit=r.unit, supersedes_id=r.id, created_at=now, modified_at=now,
                            author="lab", device_id="other", modified_by="lab", change_seq=0))
    calls: list[str] = []
    real = verdicts.evaluate_task
    monkeypatch.setattr(verdicts, "evaluate_task",
                        lambda s, tid: calls.append(tid) or real(s, tid))
    with demo.read() as s:
        stale = _stale(s)
        assert len(stale) == 1
        after = compute_dashboard(s, YEAR, store=demo).indicator("monitoring_factor")
    assert calls == stale
    benzene = after.figure("chem.benzene").values
    assert (benzene["conform"], benzene["not_conform"]) == (1, 0)
    with demo.read() as s:
        assert _stale(s) == [] and _stored(s, stale[0]) == _evaluated(s, stale[0])
        again = compute_dashboard(s, YEAR, store=demo).indicator("monitoring_factor")
    assert calls == stale and again == after


def test_a_new_standards_edition_makes_every_verdict_stale(
        demo: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo.read() as s:
        signed = set(s.scalars(select(SamplingTask.id).where(SamplingTask.locked_at.is_not(None))))
        monkeypatch.setattr(verdicts, "standards_edition", lambda: "another edition")
        assert set(_stale(s)) == signed


def test_the_dashboard_queries_read_the_indexes_of_migrations_0008_and_0010(demo: Store) -> None:
    """Every statement of a province-wide dashboard, planned by SQLite: the period's
    inspections and inspectors, the employers' last reports and the rectification items (tallies
    of migration 0010), the employers, the 三同时 projects, their stages and verifications, and
    the lab results' fingerprint come from the indexes."""
    statements: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(demo.read_engine, "before_cursor_execute", capture)
    try:
        with demo.read() as s:
            compute_dashboard(s, PROVINCE)
    finally:
        event.remove(demo.read_engine, "before_cursor_execute", capture)
    plans = []
    with demo.read_engine.connect() as conn:
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans.append(" | ".join(r[-1] for r in rows))
    found = "\n".join(plans)
    for index in ("COVERING INDEX ix_inspection_tally_period",
                  "COVERING INDEX ix_inspection_tally_person_key",
                  "COVERING INDEX ix_periodic_latest_scope", "ix_periodic_report_live",
                  "COVERING INDEX ix_enterprise_employers",
                  "COVERING INDEX ix_rectification_tally_scope",
                  "COVERING INDEX ix_lab_result_fingerprint", "COVERING INDEX ix_project_scope",
                  "COVERING INDEX ix_project_stage_dates",
                  "COVERING INDEX ix_inspection_verification"):
        assert index in found, index
