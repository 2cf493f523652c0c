"""The tallies of migration 0010 (ohinspect/services/tallies.py) follow every write — services,
records received as a sync pull or a batch import writes them (Core statements, any order),
updates, tombstones, hard deletes, amendments — and the dashboard figures read from them equal
a from-scratch computation over the records."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update

from ohinspect.dashboards import Scope, drill_down
from ohinspect.dashboards.inspectors import inspections_per_inspector
from ohinspect.dashboards.periodic import periodic_overdue
from ohinspect.dashboards.rectification import rectification_rates
from ohinspect.demo import DEMO_USER
from ohinspect.demo.projects import REFERENCE_DATE
from ohinspect.errors import StoreError
from ohinspect.services.due_dates import EMPLOYER, ReportInput, add_months, add_report
from ohinspect.services.due_dates import load_periodic_rules
from ohinspect.services.inspection_amendments import amend
from ohinspect.services.rectification_queries import rectification_rates as rates_service
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.services.tallies import TRIGGERS, check_tallies
from ohinspect.store.base import new_id
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Inspection, PeriodicReport, RectificationItem
from ohinspect.store.models.verdicts import InspectionTallyPerson, PeriodicLatest
from tests.demo_store import opened_demo

COUNTY, OTHER = "621024", "621022"
UTC = timezone.utc
SCOPES = (Scope(COUNTY, date(2026, 1, 1), date(2026, 12, 31), REFERENCE_DATE),
          Scope("620000", date(2026, 1, 1), date(2026, 12, 31), REFERENCE_DATE),
          Scope("", date(2020, 1, 1), date(2030, 12, 31), REFERENCE_DATE),
          # a period in the past: reports after its end are not the "last report" then
          Scope("620000", date(2025, 1, 1), date(2025, 6, 30), REFERENCE_DATE))


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with opened_demo(tmp_path / "data") as s:
        yield s


def _common() -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"created_at": now, "modified_at": now, "author": "sync", "device_id": "other",
            "modified_by": "sync", "change_seq": 0}


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10), UTC)


def _inspection(enterprise_id: str, day: date, people: Any, **kw: Any) -> dict[str, Any]:
    return {"id": new_id(), "kind": "workplace_audit", "enterprise_id": enterprise_id,
            "project_id": None, "stage": "", "template_id": "t", "template_version": 1,
            "template_snapshot": {}, "started_at": _moment(day), "inspectors": people,
            "status": "draft", "locked_at": None, "amends_id": None, **_common(), **kw}


def _report(enterprise_id: str, kind: str, day: date) -> dict[str, Any]:
    return {"id": new_id(), "enterprise_id": enterprise_id, "kind": kind, "report_date": day,
            "report_no": f"R{new_id()[-6:]}", "institution": "机构", "result": "pass",
            **_common()}


def _item(enterprise_id: str, deadline: date, status: str = "open",
          closed_at: datetime | None = None) -> dict[str, Any]:
    return {"id": new_id(), "enterprise_id": enterprise_id, "source_type": "inspection",
            "source_id": new_id(), "source_ref": "合卫监〔2026〕1号", "finding": "发现",
            "requirement": "整改", "deadline": deadline, "status": status,
            "closed_at": closed_at, **_common()}


def expected_rectification(session: Any, scope: Scope) -> dict[str, tuple[int, ...]]:
    """(due, on_time, closed, overdue) per division: the rates service (from the records) and
    the items still overdue."""
    rules = load_rectification_rules()
    overdue: dict[str, int] = defaultdict(int)
    for r in session.scalars(select(RectificationItem).where(
            RectificationItem.deleted_at.is_(None))):
        ent = session.get(Enterprise, r.enterprise_id)
        if ent is not None and ent.division_code.startswith(scope.prefix) and \
                scope.start <= r.deadline <= scope.end and r.status in rules.overdue_states \
                and r.deadline < scope.as_of:
            overdue[ent.division_code[:scope.group_digits]] += 1
    return {row.jurisdiction: (row.due, row.on_time, row.closed, overdue[row.jurisdiction])
            for row in rates_service(session, scope.start, scope.end,
                                     jurisdiction=scope.jurisdiction, digits=scope.group_digits)}


def expected_periodic(session: Any, scope: Scope) -> dict[str, tuple[int, int, int]]:
    """(required, overdue, never) per division, from the records (due_dates' arithmetic)."""
    rules = load_periodic_rules()
    dates: dict[tuple[str, str], list[date]] = defaultdict(list)
    for r in session.scalars(select(PeriodicReport).where(PeriodicReport.deleted_at.is_(None))):
        if r.report_date <= scope.as_of:
            dates[(r.enterprise_id, r.kind)].append(r.report_date)
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in session.scalars(select(Enterprise).where(Enterprise.org_kind == EMPLOYER,
                                                      Enterprise.deleted_at.is_(None))):
        if not e.division_code.startswith(scope.prefix):
            continue
        for kind in rules.kinds:
            months = rules.interval(e.risk_class, kind, None)
            if months is None:
                continue
            last = max(dates[(e.id, kind)], default=None)
            figure = out[e.division_code[:scope.group_digits]]
            figure[0] += 1
            figure[1] += last is not None and add_months(last, months) < scope.as_of
            figure[2] += last is None
    return {g: (req, late, never) for g, (req, late, never) in out.items() if req}


def expected_inspectors(session: Any, scope: Scope) -> tuple[dict[str, tuple[Any, ...]], int]:
    """(inspections, signed, label) per inspector and the inspections counted, from the
    records: live, not an amendment, started in the period, of an enterprise in scope."""
    per: dict[str, list[Any]] = defaultdict(lambda: [0, 0, None])
    total = 0
    for i in session.scalars(select(Inspection).where(Inspection.deleted_at.is_(None),
                                                      Inspection.amends_id.is_(None))):
        ent = session.get(Enterprise, i.enterprise_id)
        day = i.started_at.astimezone().date()
        if ent is None or not ent.division_code.startswith(scope.prefix) \
                or not scope.start <= day <= scope.end:
            continue
        total += 1
        names: dict[str, list[str]] = defaultdict(list)
        for p in i.inspectors:
            names[p.get("id_no") or p.get("name") or ""].append(p.get("name"))
        for key, known in names.items():
            row = per[key]
            row[0] += 1
            row[1] += i.locked_at is not None
            row[2] = max([n for n in [row[2], *known] if n is not None], default=None)
    return ({k: (n, s, f"{name}（{k}）" if name != k else str(name))
             for k, (n, s, name) in per.items()}, total)


def assert_figures_match(store: Store) -> None:
    with store.read() as s:
        for scope in SCOPES:
            periodic = periodic_overdue(s, scope)
            assert {f.key: (f.values["required"], f.values["overdue"], f.values["never"])
                    for f in periodic.figures} == expected_periodic(s, scope), scope
            ind = inspections_per_inspector(s, scope)
            want, total = expected_inspectors(s, scope)
            assert {f.key: (f.values["inspections"], f.values["signed"], f.label)
                    for f in ind.figures} == want, scope
            assert ind.total == total, scope
            rect = rectification_rates(s, scope)
            assert {f.key: (f.values["due"], f.values["on_time"], f.values["closed"],
                            f.values["overdue"]) for f in rect.figures} \
                == expected_rectification(s, scope), scope
        # the tally rows themselves equal the records' (every enterprise, every period)
        latest = {(r.enterprise_id, r.kind): (r.last_date, r.division_code, r.risk_class,
                                              r.live) for r in s.scalars(select(PeriodicLatest))}
        want_latest: dict[tuple[str, str], Any] = {}
        for r in s.scalars(select(PeriodicReport).where(PeriodicReport.deleted_at.is_(None))):
            e = s.get(Enterprise, r.enterprise_id)
            old = want_latest.get((r.enterprise_id, r.kind), (date.min,))
            want_latest[(r.enterprise_id, r.kind)] = (
                max(old[0], r.report_date), e.division_code if e else None,
                e.risk_class if e else None, e is not None and e.deleted_at is None)
        assert latest == want_latest


def test_tallies_follow_services_sync_imports_and_amendments(store: Store) -> None:
    assert_figures_match(store)  # as the demo left it (migration 0010 filled the tallies)
    actor = store.actor(DEMO_USER)
    with store.read() as s:
        employers = list(s.scalars(select(Enterprise).where(
            Enterprise.org_kind == EMPLOYER, Enterprise.deleted_at.is_(None),
            Enterprise.division_code == COUNTY).order_by(Enterprise.name)))
        signed = list(s.scalars(select(Inspection).where(
            Inspection.locked_at.is_not(None), Inspection.amends_id.is_(None))
            .order_by(Inspection.started_at)))
    assert len(employers) >= 4 and len(signed) >= 2
    a, b, c, d = (e.id for e in employers[:4])
    # services: a report entered, a signed inspection amended (a draft amendment)
    add_report(store, actor, ReportInput(a, "test", REFERENCE_DATE - timedelta(days=3),
                                         "JC-1", "机构", "pass"), REFERENCE_DATE)
    amend(store, actor, signed[0].id, "笔误")
    late = _report(d, "test", date(2026, 3, 1))
    spare = _inspection(c, date(2026, 7, 1), [{"name": "钱七", "id_no": "ID-5"}])
    with store.write_engine.begin() as conn:  # as a sync pull or a batch import writes
        ghost = {"id": new_id(), "name": "后到企业", "uscc": "91620000X00000001X",
                 "division_code": COUNTY, "org_kind": EMPLOYER, "risk_class": "severe",
                 **_common()}
        # records before their enterprise (foreign keys are checked at commit)
        conn.execute(insert(PeriodicReport.__table__), [
            _report(ghost["id"], "test", date(2025, 5, 1)),
            _report(b, "test", date(2025, 2, 1)), _report(b, "test", date(2026, 2, 1)),
            _report(c, "evaluation", date(2024, 1, 1)), late])
        twice = {"name": "张三", "id_no": "ID-1"}
        conn.execute(insert(Inspection.__table__), [
            _inspection(ghost["id"], date(2026, 4, 1), [twice, twice, {"name": "李四"}],
                        locked_at=_moment(date(2026, 4, 1)), status="signed"),
            _inspection(b, date(2026, 5, 2), [{"name": "王五", "id_no": ""}]), spare,
            # a signed amendment received by sync, naming someone else: not counted
            _inspection(b, date(2026, 6, 1), [{"name": "赵六", "id_no": "ID-9"}],
                        amends_id=signed[1].id, locked_at=_moment(date(2026, 6, 1)),
                        status="signed")])
        closed = _item(b, date(2026, 3, 1), "closed", _moment(date(2026, 2, 27)))
        conn.execute(insert(RectificationItem.__table__), [
            _item(ghost["id"], date(2026, 2, 1)), closed, _item(c, date(2026, 4, 1)),
            _item(d, date(2026, 1, 15), "overdue")])
        conn.execute(insert(Enterprise.__table__), [ghost])
    with store.write_engine.begin() as conn:  # later changes received
        drafts = list(conn.scalars(select(Inspection.id).where(
            Inspection.locked_at.is_(None), Inspection.amends_id.is_(None),
            Inspection.author != "sync").order_by(Inspection.id)))
        assert len(drafts) >= 2
        conn.execute(update(Inspection.__table__).where(Inspection.id == drafts[0])
                     .values(inspectors=[{"name": "改名", "id_no": "ID-7"}]))
        conn.execute(update(Inspection.__table__).where(Inspection.id == drafts[1])
                     .values(deleted_at=datetime.now(UTC)))
        conn.execute(delete(Inspection.__table__).where(Inspection.id == spare["id"]))
        conn.execute(update(PeriodicReport.__table__).where(PeriodicReport.id == late["id"])
                     .values(deleted_at=datetime.now(UTC)))
        conn.execute(update(Enterprise.__table__).where(Enterprise.id == c)
                     .values(division_code=OTHER, risk_class="general"))
        conn.execute(update(Enterprise.__table__).where(Enterprise.id == a)
                     .values(deleted_at=datetime.now(UTC)))
        conn.execute(update(RectificationItem.__table__).where(RectificationItem.id == closed["id"])
                     .values(closed_at=_moment(date(2026, 3, 5))))   # closed late after all
        open_items = list(conn.scalars(select(RectificationItem.id).where(
            RectificationItem.status != "closed").order_by(RectificationItem.id)))
        conn.execute(update(RectificationItem.__table__).where(
            RectificationItem.id == open_items[0]).values(status="closed",
                                                          closed_at=_moment(date(2026, 1, 2))))
        conn.execute(update(RectificationItem.__table__).where(
            RectificationItem.id == open_items[1]).values(deleted_at=datetime.now(UTC)))
        conn.execute(delete(PeriodicReport.__table__).where(PeriodicReport.enterprise_id == b,
                                                            PeriodicReport.report_date
                                                            == date(2026, 2, 1)))
    assert_figures_match(store)
    with store.read() as s:
        people = {r.person_key: r.name for r in s.scalars(select(InspectionTallyPerson))}
        records = drill_down(s, SCOPES[0], "inspectors", "ID-1")
    assert people["ID-1"] == "张三", people
    assert "ID-9" not in people and "ID-5" not in people and "ID-7" in people, people
    assert people["王五"] == "王五", people
    assert len(records) == 1 and records[0].title  # named twice, counted once


def test_a_list_of_inspectors_that_is_not_json_names_nobody(store: Store) -> None:
    with store.read() as s:
        eid = s.scalars(select(Enterprise.id).where(Enterprise.division_code == COUNTY)).first()
        before = inspections_per_inspector(s, SCOPES[0]).total
    row = _inspection(eid, date(2026, 2, 2), [])
    with store.write_engine.begin() as conn:  # never abort a write over a malformed field
        conn.execute(insert(Inspection.__table__), [row])
        conn.execute(text("UPDATE inspection SET inspectors = '[{' WHERE id = :i"),
                     {"i": row["id"]})
    with store.read() as s:
        assert inspections_per_inspector(s, SCOPES[0]).total == before + 1


def test_a_missing_trigger_is_refused_not_trusted(store: Store) -> None:
    with store.read() as s:
        found = set(s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                   "AND name LIKE 'tally%'")))
    assert found == set(TRIGGERS)
    with store.write_engine.begin() as conn:
        conn.execute(text('DROP TRIGGER "tally_inspection_update"'))
    with store.read() as s, pytest.raises(StoreError, match="tally_inspection_update"):
        check_tallies(s)
    with store.read() as s, pytest.raises(StoreError):
        periodic_overdue(s, SCOPES[0])
