"""Issue 4 figure: re-evaluating a sampling task of 500 air samples (with their lab results and
noise measurements) from the records. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.bench_evaluation

Target (2 cores): evaluate_task ≤ 200 ms for a task with 500 samples.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.evaluation_results import _group_stats
from ohinspect.services.lab_results import FREE_SILICA
from ohinspect.store.base import new_id
from ohinspect.store.database import Store
from ohinspect.store.models import (Enterprise, LabResult, NoiseMeasurement, Sample, SamplingPost,
                                    SamplingTask)

SAMPLES = 500
POSTS = 50          # 10 samples a post: 3 workers × 2 half-shift samples, 3 short, 1 fixed
CST = timezone(timedelta(hours=8))
DAY = datetime(2026, 11, 16, 8, 0, tzinfo=CST)
POST_KINDS = (["chem.benzene", "chem.toluene"], ["chem.dmf"], ["dust.silica"],
              ["chem.formaldehyde"], ["dust.cement", "phys.noise"])


def build(store: Store) -> str:
    rng = random.Random(4)
    objs: list[object] = []
    ent = Enterprise(id=new_id(), name="基准测试化工有限公司", uscc="91621024MA71BC0001",
                     division_code="621024")
    task = SamplingTask(id=new_id(), enterprise_id=ent.id, task_number="BENCH-0001",
                        monitoring_type="evaluation")
    objs += [ent, task]
    n = 0

    def sample(post: SamplingPost, code: str, start: datetime, minutes: float, **kw) -> Sample:
        nonlocal n
        n += 1
        s = Sample(id=new_id(), task_id=task.id, post_id=post.id, sample_number=f"B-{n:05d}",
                   hazard_code=code, started_at=start, ended_at=start + timedelta(minutes=minutes),
                   flow_before_lpm=1.0, flow_after_lpm=1.0, volume_l=float(minutes), **kw)
        objs.append(s)
        return s

    def result(s: Sample, analyte: str, value: float, unit: str = "mg/m³") -> None:
        below = rng.random() < 0.1
        objs.append(LabResult(id=new_id(), sample_id=s.id, analyte=analyte,
                              value=None if below else value, below_lod=below,
                              lod=0.01 if below else None, unit=unit))

    for p in range(POSTS):
        codes = POST_KINDS[p % len(POST_KINDS)]
        post = SamplingPost(id=new_id(), task_id=task.id, workshop=f"车间{p // 10 + 1}",
                            post=f"岗位{p + 1:02d}", hazard_codes=codes,
                            exposure_hours_per_day=rng.choice([8, 8, 10, 12]),
                            days_per_week=rng.choice([5, 5, 4, 6]))
        objs.append(post)
        code = codes[0]
        dust = code.startswith("dust.")
        for w in range(3):
            for half in range(2):
                s = sample(post, code, DAY + timedelta(hours=4 * half), 240, kind="personal",
                           wearer=f"工人{p}-{w}", representative_hours=4,
                           fraction=("total", "respirable")[half % 2] if dust else "")
                for analyte in codes:
                    if not analyte.startswith("phys."):
                        result(s, analyte, rng.uniform(0.1, 3.0))
                if dust and code == "dust.silica":
                    result(s, FREE_SILICA, rng.uniform(10, 90), "%")
        for k in range(3):
            s = sample(post, code, DAY + timedelta(hours=1 + 2 * k), 15, kind="fixed",
                       fraction="total" if dust else "")
            for analyte in codes:
                if not analyte.startswith("phys."):
                    result(s, analyte, rng.uniform(0.1, 9.0))
        s = sample(post, code, DAY, 480, kind="fixed", representative_hours=8,
                   fraction="total" if dust else "")
        result(s, code, rng.uniform(0.1, 3.0), "ug")
        if "phys.noise" in codes:
            objs.append(NoiseMeasurement(id=new_id(), task_id=task.id, post_id=post.id,
                                         point=f"测点{p}", readings_db=[84.0, 85.0, 86.0],
                                         laeq_te_db=85.0, exposure_hours=8, days_per_week=4))
    blank = Sample(id=new_id(), task_id=task.id, sample_number="B-BLANK", kind="blank",
                   hazard_code="chem.benzene")
    objs += [blank, LabResult(id=new_id(), sample_id=blank.id, analyte="chem.benzene", value=0.2,
                              lod=0.1, unit="ug")]
    with store.unit_of_work(store.actor("bench")) as uow:
        for obj in objs:
            uow.record(obj, "bench.create")  # type: ignore[arg-type]
        uow.commit()
    assert n == SAMPLES, n
    return task.id


def _timed(store: Store, task_id: str, *, read_stats: bool, clear: bool = False):  # type: ignore[no-untyped-def]
    if clear:
        _group_stats.cache_clear()
    t = time.perf_counter()
    with store.read() as session:
        ev = evaluate_task(session, task_id)
    if read_stats:
        for g in ev.group_stats:
            g.stats  # noqa: B018 — computed when read
    return (time.perf_counter() - t) * 1000, ev


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "data")
        try:
            started = time.perf_counter()
            task_id = build(store)
            print(f"  (built a task of {SAMPLES} samples in {time.perf_counter() - started:.1f} s)")
            first, ev = _timed(store, task_id, read_stats=False)
            plain = [_timed(store, task_id, read_stats=False)[0] for _ in range(10)]
            cold = [_timed(store, task_id, read_stats=True, clear=True)[0] for _ in range(7)]
            _timed(store, task_id, read_stats=True)
            corrected = []
            with store.read() as session:
                results = list(session.scalars(select(LabResult).join(Sample).where(
                    Sample.kind == "personal", LabResult.value.is_not(None)).limit(7)))
            for old in results:   # the lab corrects one result: one group changes
                with store.unit_of_work(store.actor("bench")) as uow:
                    uow.record(LabResult(id=new_id(), sample_id=old.sample_id, analyte=old.analyte,
                                         value=old.value * 1.1, unit=old.unit,
                                         supersedes_id=old.id), "bench.correct")
                    uow.commit()
                corrected.append(_timed(store, task_id, read_stats=True)[0])
        finally:
            store.close()
    outcomes: dict[str, int] = {}
    for f in ev.factors:
        outcomes[f.verdict.label()] = outcomes.get(f.verdict.label(), 0) + 1
    print(f"evaluate_task, {SAMPLES} samples, {len(ev.factors)} post × factor verdicts, "
          f"{len(ev.group_stats)} similar-exposure groups, {len(ev.noise)} noise, "
          f"{len(ev.mixtures)} mixtures ({', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))})"
          " — target ≤ 200 ms:")
    print(f"  first run (loads the limits and rules files): {first:.0f} ms")
    print(f"  re-evaluation: median {statistics.median(plain):.0f} ms, max {max(plain):.0f} ms "
          f"over {len(plain)} runs")
    print(f"  re-evaluation reading every group's statistics, none remembered: median "
          f"{statistics.median(cold):.0f} ms, max {max(cold):.0f} ms over {len(cold)} runs")
    print(f"  re-evaluation after one result is corrected, all statistics read: median "
          f"{statistics.median(corrected):.0f} ms, max {max(corrected):.0f} ms "
          f"over {len(corrected)} corrections")


if __name__ == "__main__":
    main()
