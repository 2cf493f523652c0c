"""Issue 8 figures: the built app's start-up to a usable window, and the bundle's size.
Prints figures; asserts nothing (target: start to painted window ≤ 3 s).

    scripts/build.sh && .venv/bin/python -m benchmarks.bench_bundle [--runs 5]

Each run starts dist/OHInspect/OHInspect as a new process (offscreen Qt) with ``--smoke`` on a
demo store made beforehand by the bundle itself: the process opens the store, shows the window,
builds and paints the first area, prints ``ready`` and exits. The time is from the start of
the process to that line. The first run follows dropping the page cache when this process may
(root, /proc/sys/vm/drop_caches): a cold start as after a reboot; otherwise it is marked warm.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "build"))
from bundle_app import BUNDLE, GUI, bundle_env, run, stale_reason  # noqa: E402

DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def drop_page_cache() -> bool:
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
        return True
    except OSError:
        return False


def start_once(data: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([str(GUI), "--smoke", "--data-dir", str(data)], cwd=data,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=bundle_env())
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "ready":
            elapsed = time.perf_counter() - started
            break
    else:
        raise SystemExit(f"the app did not get ready: {proc.stderr.read() if proc.stderr else ''}")
    proc.wait(timeout=60)
    return elapsed


def folder_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    reason = stale_reason()
    if reason:
        print(f"note: {reason}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        made = run(GUI, "--cli", "--data-dir", str(data), "init", "--demo", cwd=data, timeout=300)
        if made.returncode != 0:
            raise SystemExit(made.stderr)
        cold = drop_page_cache()
        first = start_once(data)
        times = [start_once(data) for _ in range(args.runs)]
    size, count = folder_size(BUNDLE)
    internal, _ = folder_size(BUNDLE / "_internal" / "PySide6")
    print(f"first start ({'cold: page cache dropped' if cold else 'page cache NOT dropped'}): "
          f"{first:.2f} s   target ≤ 3 s")
    print(f"warm start, median of {args.runs}: {statistics.median(times):.2f} s "
          f"(min {min(times):.2f} s, max {max(times):.2f} s)")
    print(f"bundle {BUNDLE}: {size / 2**20:.0f} MiB in {count} files "
          f"(PySide6/Qt {internal / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
