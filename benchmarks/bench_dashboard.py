"""The supervisor dashboard on a store of about 1,000,000 records (issue 7 target: opens in
≤ 1 s).

Records (bulk inserts, not through the services: this measures the dashboard's queries): 50,000
enterprises, 20,000 projects with 4 stages each, 100,000 inspections with 2 answers each,
300,000 rectification items, 150,000 periodic reports and 3,000 signed sampling tasks with 4 posts,
20 samples, 20 lab results and 4 noise measurements each — 1,047,000 in all. Cached under
``$OHINSPECT_BENCH_CACHE`` (default ``~/.cache/ohinspect-bench``).
Run: ``.venv/bin/python -m benchmarks.bench_dashboard``.

The sampling tasks' verdicts are stored (ohinspect/services/verdicts.py); the tallies of periodic
reports, inspections and rectification items (ohinspect/services/tallies.py) are kept by the
triggers of migration 0010 as the bulk inserts go in (or filled by that migration when it
upgrades a store cached before it). Reported:

* "verdicts stored" — every signed task's verdicts stored with ``refresh_verdicts``, the
  function the signing and lab-result services call in their unit of work: the time per task
  is what those services pay extra;
* "first open, verdicts stored" — the dashboard as after normal work (no verdict to compute),
  worked out as its page does: each of ``QUICK_GROUPS`` and the monitoring pass rates in a
  thread of their own (SQLite works outside Python's global lock);
* "first open, NO verdicts" — the worst case, after a bulk import: every task of the period is
  evaluated and its verdicts stored (by the dashboard, ``store=``) so the next open is fast;
* "again" — the median of ``--runs`` opens after it, then the same in one thread
  (``compute_dashboard``) and each indicator alone.

Wall-clock and CPU time: on a machine shared with other work the wall clock includes waiting
for a core; quote the load average printed with the figures. The read connections are the
store's own (page cache and memory map of ``READ_PRAGMAS``, ohinspect/store/engine.py). A
cached store built before an index was added to an existing migration (0008, 0010) lacks it:
compare it with the models (alembic ``compare_metadata``, as
tests/unit/test_migrations_match_models.py does) and delete the folder to rebuild it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from benchmarks.bench_overdue import MIX, timed
from benchmarks.stores import store_dir
from ohinspect.dashboards import (QUICK_GROUPS, Scope, compute_dashboard, coverage, inspectors,
                                  monitoring, monitoring_indicators, quick_indicators)
from ohinspect.dashboards import periodic, rectification
from ohinspect.services import verdicts
from ohinspect.standards.divisions import load_divisions
from ohinspect.store.base import new_id
from ohinspect.store.database import Store
from ohinspect.store.models import (Enterprise, Inspection, InspectionAnswer, LabResult,
                                    NoiseMeasurement, PeriodicReport, Project, ProjectStage,
                                    RectificationItem, Sample, SamplingPost, SamplingTask,
                                    SamplingVerdict, SamplingVerdictSet)

TODAY = date(2026, 6, 30)
SIZES = {"enterprises": 50_000, "projects": 20_000, "inspections": 100_000,
         "items": 300_000, "reports": 150_000, "tasks": 3_000}
STAGES = ("pre_assessment", "design", "control_effect", "acceptance")
INDUSTRIES = ("0610", "1019", "3011", "2614", "3130", "3360", "4411", "1713")
FACTORS = (("chem.toluene", 50.0), ("chem.benzene", 3.0), ("dust.cement", 4.0),
           ("chem.methanol", 25.0))
UTC = timezone.utc


def _day(rng: random.Random, back: int, ahead: int = 0) -> date:
    return TODAY + timedelta(days=rng.randint(-back, ahead))


def _insert(conn: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 20_000):
        conn.execute(insert(model.__table__), rows[start:start + 20_000])


def _sampling(rng: random.Random, ents: list[dict[str, Any]], common: dict[str, Any],
              n_tasks: int) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = {SamplingTask: [], SamplingPost: [], Sample: [],
                                            LabResult: [], NoiseMeasurement: []}
    seq = 0
    for t in range(n_tasks):
        day = _day(rng, 365)
        start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=1)
        task = {"id": new_id(), "enterprise_id": rng.choice(ents)["id"],
                "task_number": f"CY{day:%Y%m%d}-B{t:05d}", "monitoring_type": "routine",
                "planned_on": day, "status": "signed", "locked_at": start + timedelta(hours=9),
                **common}
        out[SamplingTask].append(task)
        for p in range(4):
            code, oel = FACTORS[p]
            post = {"id": new_id(), "task_id": task["id"], "workshop": "生产车间",
                    "post": f"岗位{p}", "workers": 6, "hazard_codes": [code, "phys.noise"],
                    "exposure_hours_per_day": 8.0, "days_per_week": 5.0, **common}
            out[SamplingPost].append(post)
            for s in range(5):
                seq += 1
                sample = {"id": new_id(), "task_id": task["id"], "post_id": post["id"],
                          "sample_number": f"B{seq:08d}", "kind": "personal",
                          "hazard_code": code, "wearer": f"工人{s % 2}",
                          "started_at": start + timedelta(hours=2 * (s // 2)),
                          "ended_at": start + timedelta(hours=2 * (s // 2) + 2),
                          "representative_hours": 2.0, "volume_l": 240.0,
                          "flow_before_lpm": 2.0, "flow_after_lpm": 2.0,
                          "fraction": "total" if code.startswith("dust.") else "", **common}
                out[Sample].append(sample)
                out[LabResult].append({
                    "id": new_id(), "sample_id": sample["id"], "analyte": code,
                    "value": round(oel * rng.uniform(0.1, 1.3), 3), "unit": "mg/m³",
                    "lab": "合成实验室", "analysed_on": day + timedelta(days=3), **common})
            out[NoiseMeasurement].append({
                "id": new_id(), "task_id": task["id"], "post_id": post["id"], "point": f"点{p}",
                "readings_db": [], "laeq_te_db": round(rng.uniform(78, 92), 1),
                "exposure_hours": 8.0, "measured_at": start, **common})
    return out


def build(folder: Path) -> int:
    rng = random.Random(7)
    counties = [d.code for d in load_divisions() if d.code.startswith("62")
                and not d.code.endswith("00")][:60]
    now = datetime.now(UTC)
    common = {"created_at": now, "modified_at": now, "author": "bench", "device_id": "bench",
              "modified_by": "bench", "change_seq": 0}
    ents = [{"id": new_id(), "name": f"合成企业{n:05d}有限公司", "uscc": f"91620000C{n:09d}",
             "division_code": rng.choice(counties), "industry_code": rng.choice(INDUSTRIES),
             "risk_class": rng.choice(("severe", "general")), **common}
            for n in range(SIZES["enterprises"])]
    tables: dict[Any, list[dict[str, Any]]] = {Enterprise: ents, Project: [], ProjectStage: [],
                                               Inspection: [], InspectionAnswer: [],
                                               RectificationItem: [], PeriodicReport: []}
    people = [{"name": f"检查员{n:03d}", "id_no": f"6210242019{n:04d}"} for n in range(200)]
    for n in range(SIZES["projects"]):
        e = rng.choice(ents)
        tables[Project].append({"id": new_id(), "enterprise_id": e["id"], "name": f"合成项目{n}",
                                "division_code": e["division_code"],
                                "risk_class": e["risk_class"], **common})
        for i, stage in enumerate(STAGES):
            done = _day(rng, 700, 100) - timedelta(days=90 * (3 - i))
            tables[ProjectStage].append({"id": new_id(), "project_id": tables[Project][-1]["id"],
                                         "stage": stage, "started_on": done - timedelta(days=30),
                                         "completed_on": done, **common})
    projects = tables[Project]
    for n in range(SIZES["inspections"]):
        verify = n % 4 == 0
        p = rng.choice(projects) if verify else None
        started = datetime.combine(_day(rng, 700), datetime.min.time(), UTC) + timedelta(hours=2)
        ins = {"id": new_id(), "kind": "three_simultaneities" if verify else "workplace_audit",
               "enterprise_id": p["enterprise_id"] if p else rng.choice(ents)["id"],
               "project_id": p["id"] if p else None, "stage": "acceptance" if p else "",
               "template_id": "bench", "template_version": 1, "template_snapshot": {},
               "started_at": started, "inspectors": rng.sample(people, 2),
               "status": "signed" if n % 5 else "draft",
               "locked_at": started + timedelta(hours=3) if n % 5 else None,
               **common}
        tables[Inspection].append(ins)
        for item in ("a1", "a2"):
            tables[InspectionAnswer].append({"id": new_id(), "inspection_id": ins["id"],
                                             "item_id": item, "answer": "conform", **common})
    states, weights = zip(*MIX)
    for n in range(SIZES["items"]):
        status = rng.choices(states, weights)[0]
        deadline = _day(rng, 700, 200)
        closed_at = (datetime.combine(deadline + timedelta(days=rng.randint(-20, 15)),
                                      datetime.min.time(), UTC) if status == "closed" else None)
        tables[RectificationItem].append({
            "id": new_id(), "enterprise_id": rng.choice(ents)["id"], "source_type": "inspection",
            "source_id": new_id(), "source_ref": f"合卫监〔2026〕{n}号", "finding": f"第{n}项发现",
            "requirement": "整改", "deadline": deadline, "status": status,
            "closed_at": closed_at, **common})
    for n in range(SIZES["reports"]):
        tables[PeriodicReport].append({
            "id": new_id(), "enterprise_id": rng.choice(ents)["id"],
            "kind": "test" if n % 4 else "evaluation", "report_date": _day(rng, 1500),
            "report_no": f"JC{n:07d}", "institution": "合成检测机构", "result": "pass", **common})
    tables.update(_sampling(rng, ents, common, SIZES["tasks"]))
    # signed records are frozen by triggers: their children go in first, then they are locked
    locks: dict[Any, list[dict[str, Any]]] = {Inspection: [], SamplingTask: []}
    for model, pairs in locks.items():
        for r in tables[model]:
            if r["locked_at"] is not None:
                pairs.append({"rid": r["id"], "at": r["locked_at"]})
            r["locked_at"] = None
    store = Store.open(folder)
    try:
        with store.write_engine.begin() as conn:
            for model, rows in tables.items():
                if model is not LabResult:
                    _insert(conn, model, rows)
            for model, pairs in locks.items():
                table = model.__table__
                conn.execute(update(table).where(table.c.id == bindparam("rid"))
                             .values(locked_at=bindparam("at")), pairs)
            _insert(conn, LabResult, tables[LabResult])
    finally:
        store.close()
    return sum(len(rows) for rows in tables.values())


def _clear_verdicts(store: Store) -> None:
    with store.write_engine.begin() as conn:
        conn.execute(delete(SamplingVerdict.__table__))
        conn.execute(delete(SamplingVerdictSet.__table__))


def _fill_verdicts(store: Store) -> tuple[int, float]:
    """Every signed task's verdicts stored as the services store them (one write transaction
    per 50 tasks); returns the tasks and the seconds it took."""
    with store.read() as s:
        ids = list(s.scalars(select(SamplingTask.id).where(SamplingTask.locked_at.is_not(None))))
    started = time.perf_counter()
    for start in range(0, len(ids), verdicts.FILL_CHUNK):
        with store.write_sessionmaker() as session, session.begin():
            verdicts.refresh_verdicts(session, ids[start:start + verdicts.FILL_CHUNK])
    return len(ids), time.perf_counter() - started


def _page(store: Store, scope: Scope) -> None:
    """The dashboard as its page works it out: each group of QUICK_GROUPS and the monitoring
    pass rates in a thread of their own (ui/dashboards/page.py, a pool of 4 read threads)."""
    def part(ids: tuple[str, ...] | None) -> object:
        with store.read() as s:
            if ids is None:
                return monitoring_indicators(s, scope, store=store)
            return quick_indicators(s, scope, ids=ids)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(part, (*QUICK_GROUPS, None)))


def _once(store: Store, scope: Scope) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    _page(store, scope)
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def _line(label: str, wall: float, cpu: float) -> None:
    print(f"  {label:46s} {wall:7.0f}ms {cpu:7.0f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = store_dir("dashboard-1m")
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        total = build(folder)
        (folder / ".complete").write_text(f"{total} records\n")
        print(f"built {total} records in {time.perf_counter() - started:.1f} s at {folder}")
    store = Store.open(folder)
    try:
        _clear_verdicts(store)
        tasks, seconds = _fill_verdicts(store)
        print(f"{(folder / '.complete').read_text().strip()}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"  verdicts stored for {tasks} signed tasks in {seconds:.1f} s "
              f"({seconds / max(tasks, 1) * 1000:.1f} ms per task)")
        print(f"  {'':46s} {'wall':>9s} {'CPU':>9s}")
        for name, code in (("province 620000", "620000"), ("county 621024", "621024")):
            scope = Scope(code, date(2026, 1, 1), TODAY, TODAY)
            _line(f"first open, verdicts stored, {name}", *_once(store, scope))
            _clear_verdicts(store)
            _line(f"first open, NO verdicts, {name}", *_once(store, scope))
            wall, cpu, _ = timed(lambda: _page(store, scope), args.runs)
            _line(f"again, {name}", wall, cpu)
            with store.read() as s:
                cases = {
                    "  again, in one thread": lambda: compute_dashboard(s, scope, store=store),
                    "  三同时 coverage": lambda: coverage.verification_coverage(s, scope),
                    "  rectification": lambda: rectification.rectification_rates(s, scope),
                    "  monitoring pass rate": lambda: monitoring.determinations(s, scope, store),
                    "  periodic testing overdue": lambda: periodic.periodic_overdue(s, scope),
                    "  inspections per inspector": lambda: inspectors.inspections_per_inspector(
                        s, scope),
                }
                for label, fn in cases.items():
                    wall, cpu, _ = timed(fn, args.runs)
                    _line(label, wall, cpu)
            _fill_verdicts(store)
        print(f"  load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        store.close()


if __name__ == "__main__":
    main()
