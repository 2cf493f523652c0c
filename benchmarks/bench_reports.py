"""Issue 3 figure: time to render a 现场检查笔录 of 20+ pages with 30 photos (and the 卫生监督
意见书 of the same inspection). Prints figures; asserts nothing (target: record ≤ 2 s).

    .venv/bin/python -m benchmarks.bench_reports [--runs 5] [--photo-px 2560]

The store is built in a temporary folder with the helper of tests/unit/test_reports.py (ORM
and a unit of work): 70 checklist items in 5 sections, 11 findings, 4 signatures, 30 JPEG
photos at the size attachments are kept at (longer edge 2560 px: resources/documents/
attachments.yaml), so every photo is scaled for print while rendering.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from ohinspect.reports import render_inspection_record, render_supervision_opinion
from ohinspect.store.database import Store
from tests.unit.test_reports import build_signed_inspection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photo-px", type=int, default=2560, help="longer edge of the photos")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(folder / "data")
        try:
            size = (args.photo_px, args.photo_px * 3 // 4)
            built = build_signed_inspection(store, n_items=70, n_photos=30, finding_every=6,
                                            photo_size=size)
            # first render: font parsing and imports (what the first document of a session costs)
            started = time.perf_counter()
            out = render_inspection_record(store, built.inspection_id, folder / "first.pdf")
            first = time.perf_counter() - started
            times = []
            for n in range(args.runs):
                started = time.perf_counter()
                out = render_inspection_record(store, built.inspection_id, folder / f"r{n}.pdf")
                times.append(time.perf_counter() - started)
            pages = len(PdfReader(str(out)).pages)
            megabytes = out.stat().st_size / 1e6
            started = time.perf_counter()
            opinion = render_supervision_opinion(store, built.inspection_id, folder / "o.pdf")
            opinion_time = time.perf_counter() - started
            opinion_pages = len(PdfReader(str(opinion)).pages)
        finally:
            store.close()
    print(f"record: {pages} pages, 30 photos ({size[0]}×{size[1]} JPEG), {megabytes:.1f} MB")
    print(f"record render, first in process: {first:.2f} s")
    print(f"record render, median of {args.runs}: {statistics.median(times):.2f} s "
          f"(min {min(times):.2f} s, max {max(times):.2f} s)   target ≤ 2 s")
    print(f"opinion render: {opinion_time:.2f} s, {opinion_pages} page(s)")


if __name__ == "__main__":
    main()
