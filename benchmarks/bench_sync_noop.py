"""Issue 6 target: an incremental sync with nothing to do takes ≤ 300 ms.

    OHINSPECT_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.bench_sync_noop [--runs 20] [--extra 300]

A laptop with the demo county, ``--extra`` more enterprises and a few photos
(tests/integration/sync_proof/devices.py) syncs everything once with a real platform server
(PostgreSQL); then ``--runs`` syncs with nothing to do are timed: ``run_sync`` in this process
(as the Sync screen runs it: connect, info, nothing to upload or push, one empty pull page, no
check because nothing changed since the last one found both sides equal), and a few runs of
the whole command ``python -m ohinspect sync`` (interpreter start-up and imports included).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from ohinspect.store.database import Store
from ohinspect.sync.session import run_sync
from tests.integration.cli_run import ROOT
from tests.integration.platform_server import PlatformServer, scratch_database
from tests.integration.sync_proof import devices
from tests.integration.sync_proof.devices import (JURISDICTION, PASSWORD, USER, cli, cli_env,
                                                  enroll_device, keyring_creds)

TARGET_MS = 300


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--cli-runs", type=int, default=3)
    ap.add_argument("--extra", type=int, default=devices.EXTRA_ENTERPRISES)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, \
            scratch_database(os.environ["OHINSPECT_TEST_PG_URL"]) as db:
        work = Path(tmp)
        folder = devices.build_template(work / "laptop", extra=args.extra)
        keys = work / "keyring.json"
        with PlatformServer(db, work / "server") as server:
            server.add_user(USER, "inspector", JURISDICTION, PASSWORD)
            enroll_device(folder, server.url, keys)
            creds = keyring_creds(keys)
            store = Store.open(folder)
            try:
                first = run_sync(store, creds, server.url)
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    report = run_sync(store, creds, server.url)
                    times.append((time.perf_counter() - started) * 1000)
                    assert (report.pushed, report.received, report.checked) == (0, 0, False)
            finally:
                store.close()
            cli_times = []
            for _ in range(args.cli_runs):
                started = time.perf_counter()
                done = subprocess.run(cli(folder, "sync"), cwd=ROOT, env=cli_env(keys),
                                      capture_output=True, text=True, timeout=120)
                cli_times.append((time.perf_counter() - started) * 1000)
                assert done.returncode == 0, done.stderr
    print(f"store               {first.pushed} records, {first.photos_up} files (first sync)")
    print(f"no-op sync          median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms over {args.runs} runs (target ≤ {TARGET_MS} ms)")
    print(f"`ohinspect sync`    median {statistics.median(cli_times):.0f} ms over "
          f"{args.cli_runs} runs (whole command, start-up included)")


if __name__ == "__main__":
    main()
