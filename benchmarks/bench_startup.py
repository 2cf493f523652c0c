"""Issue 2 figures: cold start to a painted main window, enterprise-list filtering and paging at
100,000 rows, peak memory. Prints figures; asserts nothing (targets are in the issue).

    .venv/bin/python -m benchmarks.bench_startup [--rows 100000] [--runs 3]

Targets (2 cores): start ≤ 1.5 s on the 100,000-enterprise store; a filter shows results in
≤ 100 ms; peak memory ≤ 300 MB with that store open.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.stores import ensure_store
from ohinspect.services.enterprise_queries import EnterpriseFilter, fetch_rows, search_ids
from ohinspect.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
PAGE = 200
FILTERS = {
    "all": EnterpriseFilter(),
    "text 水泥": EnterpriseFilter(text="水泥"),
    "code prefix 9162": EnterpriseFilter(text="9162"),
    "province 620000": EnterpriseFilter(division="620000"),
    "section C": EnterpriseFilter(industry="C"),
    "risk severe": EnterpriseFilter(risk_class="severe"),
    "text+section+risk": EnterpriseFilter(text="宏达", industry="C", risk_class="severe"),
}


def cold_start(data_dir: Path, runs: int) -> dict[str, float]:
    """Spawn the real app; time from spawn to its "PAINTED" line (interpreter start included)."""
    results = []
    for _ in range(runs):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "benchmarks._startup_child", str(data_dir)],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=env)
        assert child.stdout is not None
        painted_wall = None
        figures: dict[str, float] = {}
        for line in child.stdout:
            if line.startswith("PAINTED"):
                painted_wall = time.perf_counter() - started
            elif line.startswith("DONE "):
                figures = json.loads(line[5:])
        child.wait(timeout=120)
        if child.returncode != 0 or painted_wall is None:
            raise SystemExit(f"start-up child failed:\n{child.stderr.read()[-3000:] if child.stderr else ''}")
        figures["spawn_to_paint_s"] = painted_wall
        results.append(figures)
    return {
        "spawn → painted list, median s": statistics.median(r["spawn_to_paint_s"] for r in results),
        "spawn → painted list, max s": max(r["spawn_to_paint_s"] for r in results),
        "python imports, median s": statistics.median(r["imports_s"] for r in results),
        "peak RSS, max MB": max(r["peak_rss_mb"] for r in results),
        "rows in list": results[0]["rows"],
    }


def filtering(data_dir: Path, repeats: int = 5) -> dict[str, str]:
    store = Store.open(data_dir)
    out = {}
    try:
        for label, flt in FILTERS.items():
            times, count = [], 0
            for _ in range(repeats):
                with store.read() as session:
                    t = time.perf_counter()
                    ids = search_ids(session, flt)
                    fetch_rows(session, ids[:PAGE])
                    times.append((time.perf_counter() - t) * 1000)
                count = len(ids)
            out[label] = f"{statistics.median(times):6.1f} ms median, {max(times):6.1f} max ({count} rows)"
        with store.read() as session:
            ids = search_ids(session, EnterpriseFilter())
            rng = random.Random(1)
            times = []
            for _ in range(50):
                start = rng.randrange(0, max(1, len(ids) - PAGE))
                t = time.perf_counter()
                fetch_rows(session, ids[start:start + PAGE])
                times.append((time.perf_counter() - t) * 1000)
        out[f"scroll: fetch a {PAGE}-row page"] = (
            f"{statistics.median(times):6.2f} ms median, {max(times):6.2f} max (50 random pages)")
    finally:
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for label, rows in (("demo store", None), (f"{args.rows:,} enterprises", args.rows)):
        folder = ensure_store(rows)
        print(f"\n== cold start, {label} ({args.runs} runs) ==")
        for k, v in cold_start(folder, args.runs).items():
            print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")
    print(f"\n== core: search + first {PAGE}-row page, {args.rows:,} enterprises ==")
    for k, v in filtering(ensure_store(args.rows)).items():
        print(f"  {k:32s} {v}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks._list_ui import measure

    print(f"\n== screen: the enterprise list, {args.rows:,} enterprises ==")
    for k, v in measure(ensure_store(args.rows)).items():
        print(f"  {k:36s} {v}")


if __name__ == "__main__":
    main()
