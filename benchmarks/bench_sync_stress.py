"""Issue 6 stress: many more SIGKILL rounds than the test suite's 50
(tests/integration/sync_proof/test_kill_client.py), then one more sync and the verdict.

    OHINSPECT_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.bench_sync_stress [--kills 200] [--seed N] [--verbose]

Same laptop (demo county, 300 more enterprises, photos), same real platform server on a fresh
PostgreSQL database and the same kill points (tests/integration/sync_proof/killing.py: at the
k-th request, after the server answered the k-th request but before the client heard it, at a
random time in the sync, during start-up), with the inspector working between rounds. Prints
the kills by kind and place, then converged / lost / duplicated and the rest of the verdict.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

from tests.integration.cli_run import ROOT
from tests.integration.platform_server import PlatformServer, scratch_database
from tests.integration.sync_proof.convergence import verdict
from tests.integration.sync_proof.devices import (JURISDICTION, PASSWORD, USER, build_template,
                                                  cli, cli_env, enroll_device, platform_client)
from tests.integration.sync_proof.fault_proxy import FaultProxy
from tests.integration.sync_proof.killing import KillRounds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--seed", type=int, default=random.SystemRandom().randrange(2**31))
    ap.add_argument("--verbose", action="store_true", help="print every round")
    args = ap.parse_args()
    print(f"seed {args.seed}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, \
            scratch_database(os.environ["OHINSPECT_TEST_PG_URL"]) as db:
        work = Path(tmp)
        folder = build_template(work / "laptop")
        keys, env = work / "keyring.json", cli_env(work / "keyring.json")
        with PlatformServer(db, work / "server") as server:
            server.add_user(USER, "inspector", JURISDICTION, PASSWORD)
            with FaultProxy(("127.0.0.1", server.port)) as proxy:
                enroll_device(folder, proxy.url, keys)
                rounds = KillRounds(folder, proxy, env, work / "logs", random.Random(args.seed),
                                    say=print if args.verbose else lambda _line: None)
                stats = rounds.run(args.kills, max_rounds=3 * args.kills)
                final = subprocess.run(cli(folder, "sync"), cwd=ROOT, env=env,
                                       capture_output=True, text=True, timeout=600)
                result = verdict(folder, db, platform_client(folder, proxy.url, keys))
    print(f"kills               {stats.kills} ({stats.real_process_kills} of "
          f"`python -m ohinspect`), syncs that finished between them {stats.finished}, "
          f"of which failed {len(stats.failed)}")
    print(f"kills by kind       {dict(stats.by_kind)}")
    print(f"kills at            {dict(stats.at_path)}")
    print(f"records written     {stats.written} between rounds")
    print(f"final sync          exit {final.returncode}: {final.stdout.strip().splitlines()[-1:]}")
    print(f"converged           {result.converged}")
    print(f"lost                {result.lost}")
    print(f"duplicated          {result.duplicated}")
    print(f"extra on server     {result.extra_on_server}, outbox {result.outbox}, "
          f"digests equal {result.digests_equal}, integrity ok {result.integrity_ok}, "
          f"open conflicts {result.open_conflicts}")
    print(f"took                {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
