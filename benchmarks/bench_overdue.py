"""Rectification lists on a large store: 10,000 enterprises and 100,000 rectification items
(issue 5 target: the overdue list ≤ 200 ms).

The store is built by bulk inserts (not through the services: this measures the queries, not
the writing) and cached under ``$OHINSPECT_BENCH_CACHE`` (default ``~/.cache/ohinspect-bench``).
Run: ``.venv/bin/python -m benchmarks.bench_overdue [--enterprises N] [--items N]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

from benchmarks.stores import store_dir
from ohinspect.services.rectification_queries import (ItemFilter, fetch_items, look_back_items,
                                                      overdue_items, rectification_rates,
                                                      search_ids, search_items)
from ohinspect.standards.divisions import load_divisions
from ohinspect.store.base import new_id
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, RectificationItem

TODAY = date(2026, 6, 30)
#: status mix of the synthetic items (open / awaiting review / closed / escalated)
MIX = (("closed", 0.6), ("open", 0.25), ("corrected", 0.1), ("escalated", 0.05))


def build(folder: Path, enterprises: int, items: int) -> None:
    rng = random.Random(5)
    counties = [d.code for d in load_divisions() if d.code.startswith("62")
                and not d.code.endswith("00")][:40]
    now = datetime.now(timezone.utc)
    store = Store.open(folder)
    try:
        common = {"created_at": now, "modified_at": now, "author": "bench", "device_id": "bench",
                  "modified_by": "bench", "change_seq": 0}
        ents = [{"id": new_id(), "name": f"合成企业{n:05d}有限公司", "uscc": f"91620000B{n:09d}",
                 "division_code": rng.choice(counties), "risk_class": rng.choice(
                     ("severe", "general")), **common} for n in range(enterprises)]
        states, weights = zip(*MIX)
        rows = []
        for n in range(items):
            status = rng.choices(states, weights)[0]
            deadline = TODAY + timedelta(days=rng.randint(-400, 200))
            closed = status == "closed"
            closed_at = datetime.combine(deadline + timedelta(days=rng.randint(-20, 15)),
                                         datetime.min.time(), timezone.utc) if closed else None
            rows.append({"id": new_id(), "enterprise_id": rng.choice(ents)["id"],
                         "source_type": rng.choice(("inspection", "audit", "sampling")),
                         "source_id": new_id(), "source_ref": f"合卫监〔2026〕{n}号",
                         "finding": f"第{n}项：除尘设施未正常运行", "requirement": "修复并保持运行",
                         "deadline": deadline, "status": status, "closed_at": closed_at,
                         "closed_by": "李振华" if closed else "",
                         "look_back_on": deadline + timedelta(days=90) if closed and n % 3 else None,
                         **common})
        with store.write_engine.begin() as conn:
            conn.execute(insert(Enterprise.__table__), ents)
            for start in range(0, len(rows), 10_000):
                conn.execute(insert(RectificationItem.__table__), rows[start:start + 10_000])
    finally:
        store.close()


def timed(fn: Callable[[], object], runs: int = 7) -> tuple[float, float, object]:
    """Median wall-clock and CPU milliseconds of ``runs`` calls (after one to warm the cache):
    on a machine shared with other work the wall clock includes waiting for a core, the CPU
    time does not."""
    fn()
    wall, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    folder = store_dir(f"rectification-{args.enterprises}-{args.items}")
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        build(folder, args.enterprises, args.items)
        (folder / ".complete").write_text("ok\n")
        print(f"built the store in {time.perf_counter() - started:.1f} s at {folder}")
    store = Store.open(folder)
    try:
        with store.read() as s:
            year = (date(2026, 1, 1), date(2026, 6, 30))
            cases: dict[str, Callable[[], object]] = {
                "overdue list: ids + first page (screen)": lambda: (
                    lambda ids: fetch_items(s, ids[:200], TODAY))(
                    search_ids(s, ItemFilter(overdue_only=True), TODAY)),
                "overdue list, every row (CLI --json)": lambda: overdue_items(s, TODAY),
                "overdue list, one county": lambda: overdue_items(s, TODAY, "621024"),
                "item list, first 500 (screen)": lambda: search_items(
                    s, ItemFilter(), TODAY, limit=500),
                "item list, text search, first 500": lambda: search_items(
                    s, ItemFilter(text="第4711项"), TODAY, limit=500),
                "look-back list": lambda: look_back_items(s, TODAY),
                "rates per county, half a year": lambda: rectification_rates(s, *year),
                "rates per prefecture, half a year": lambda: rectification_rates(
                    s, *year, digits=4),
            }
            print(f"{args.enterprises} enterprises, {args.items} rectification items; "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            print(f"  {'':42s} {'wall':>9s} {'CPU':>9s}")
            for label, fn in cases.items():
                wall, cpu, result = timed(fn)
                rows = result[0] if isinstance(result, tuple) else result
                print(f"  {label:42s} {wall:6.1f} ms {cpu:6.1f} ms  ({len(rows)} rows)")  # type: ignore[arg-type]
    finally:
        store.close()


if __name__ == "__main__":
    main()
