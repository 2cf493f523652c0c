"""Issue 4 figure: time to render the sampling documents (采样记录, 噪声测量记录, 样品交接单,
评价表) of a large signed task, about 50 pages. Prints figures; asserts nothing (target ≤ 2 s).

    .venv/bin/python -m benchmarks.bench_sampling_report [--runs 5] [--posts 58]

The store is built in a temporary folder: the demo enterprises, then one task made with the
demo's own builders (ohinspect.demo.sampling: the same validation as the screens) with
``--posts`` posts of 4 samples each (2 personal, 2 fixed; chemicals and dusts in turn), a noise
point per post, a blank, the custody transfer and every lab result; signed by both.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from ohinspect.demo.enterprises import demo_enterprises
from ohinspect.demo.sampling import (DemoNoise, DemoPost, DemoSample, DemoTask, _field, _lab,
                                     key_id)
from ohinspect.reports.sampling import render_sampling_report
from ohinspect.services.enterprise_import import import_enterprises
from ohinspect.store.database import Store

HAZARDS = (("chem.benzene", "", 0.2, 2.4), ("chem.toluene", "", 0.2, 30.0),
           ("dust.cement", "total", 3.5, 2.5), ("chem.methanol", "", 0.1, 12.0),
           ("chem.carbon_monoxide", "", 0.5, 9.0))


def big_task(posts: int) -> DemoTask:
    post_specs, samples, noise = [], [], []
    for p in range(posts):
        code, fraction, flow, conc = HAZARDS[p % len(HAZARDS)]
        key = f"p{p:02d}"
        post_specs.append(DemoPost(key, f"第{p // 6 + 1}车间", f"岗位{p + 1:02d}", "操作工", 4, 2,
                                   (code, "phys.noise"), 8))
        for n, (kind, start, end, hours) in enumerate((
                ("personal", "08:00", "12:00", 4.0), ("personal", "13:00", "17:00", 4.0),
                ("fixed", "09:00", "09:15", None), ("fixed", "14:00", "14:15", None))):
            value = conc * (1 + 0.1 * n + 0.01 * p)
            samples.append(DemoSample(
                f"{key}s{n}", key, kind, code, start, end, (flow, flow), fraction=fraction,
                wearer=f"工人{p + 1:02d}" if kind == "personal" else "",
                location="" if kind == "personal" else f"岗位{p + 1:02d}操作位",
                hours=hours, temp=22.0, pressure=85.6, humidity=45, pump=f"QC-{n:02d}",
                results=((code, round(value, 3), "mg/m³", None),)))
        noise.append(DemoNoise(f"n{p}", key, f"岗位{p + 1:02d}操作位",
                               (80 + p % 12, 80.6 + p % 12, 79.8 + p % 12), 8, "10:00"))
    samples.append(DemoSample("blank", None, "blank", "chem.benzene", location="现场空白",
                              results=(("chem.benzene", None, "mg/m³", 0.02),)))
    return DemoTask("bench", 1, -5, "GBZ 159-2004；GBZ/T 189.8-2007", "郑梅",
                    {"conditions": "晴", "temp_min_c": 15.0, "temp_max_c": 26.0},
                    "正常生产", tuple(post_specs), tuple(samples), tuple(noise))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--posts", type=int, default=58)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(folder / "data")
        try:
            actor = store.actor("bench")
            import_enterprises(store, actor, demo_enterprises())
            spec = big_task(args.posts)
            with store.unit_of_work(actor) as uow:
                samples = _field(uow, spec)
                uow.commit()
            with store.unit_of_work(actor) as uow:
                _lab(uow, spec, samples)
                uow.commit()
            task_id = key_id("task", spec.key)
            out = folder / "sampling.pdf"
            started = time.perf_counter()
            render_sampling_report(store, task_id, out)
            first = time.perf_counter() - started
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                render_sampling_report(store, task_id, out)
                times.append(time.perf_counter() - started)
            pages = len(PdfReader(str(out)).pages)
        finally:
            store.close()
    print(f"sampling report: {pages} pages, {len(spec.samples)} samples, {len(spec.posts)} posts")
    print(f"first render {first:.2f} s; then median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {args.runs} runs (target ≤ 2 s)")


if __name__ == "__main__":
    main()
