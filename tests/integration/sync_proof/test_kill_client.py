"""Issue 6 "Kill the client (SIGKILL) at random points during sync, ≥ 50 times": a laptop with
the demo county, 300 more enterprises and photos syncs with a real platform server (PostgreSQL)
and is killed again and again — at random times and at protocol points (see killing.py) — while
the inspector keeps working between syncs. Then ONE more ``python -m ohinspect sync`` converges:
0 lost, 0 duplicated, the outbox empty, ``ohinspect check`` passes.

The kill points are random but repeatable: the seed is printed (shown when the test fails);
``OHINSPECT_KILL_SEED=N`` replays a run.
"""

from __future__ import annotations

import os
import random
import subprocess

from tests.integration.cli_run import ROOT
from tests.integration.sync_proof.convergence import verdict
from tests.integration.sync_proof.devices import (JURISDICTION, PASSWORD, USER, cli, cli_env,
                                                  copy_device, enroll_device, platform_client)
from tests.integration.sync_proof.fault_proxy import FaultProxy
from tests.integration.sync_proof.killing import KillRounds

KILLS = 50
SEED = int(os.environ.get("OHINSPECT_KILL_SEED") or random.SystemRandom().randrange(2**31))


def test_sigkill_at_random_points_then_one_sync_converges(platform_server, device_template,
                                                          tmp_path) -> None:  # type: ignore[no-untyped-def]
    print(f"kill seed {SEED} (OHINSPECT_KILL_SEED={SEED} replays these kill points)")
    platform_server.add_user(USER, "inspector", JURISDICTION, PASSWORD)
    folder = copy_device(device_template, tmp_path / "laptop")
    keys = tmp_path / "keyring.json"
    env = cli_env(keys)
    with FaultProxy(("127.0.0.1", platform_server.port)) as proxy:
        enroll_device(folder, proxy.url, keys)
        rounds = KillRounds(folder, proxy, env, tmp_path / "logs", random.Random(SEED))
        stats = rounds.run(KILLS, max_rounds=3 * KILLS)
        print(f"kills {stats.kills} ({stats.real_process_kills} of `python -m ohinspect`), "
              f"finished {stats.finished}, by kind {dict(stats.by_kind)}, "
              f"at {dict(stats.at_path)}, records written between rounds {stats.written}")
        assert stats.kills >= KILLS
        assert stats.real_process_kills >= 4
        assert set(stats.by_kind) == {"request", "answered", "timer", "startup"}
        assert stats.failed == []  # a sync that ran to its end never failed

        final = subprocess.run(cli(folder, "sync"), cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=300)
        assert final.returncode == 0, final.stdout + final.stderr
        assert "不一致" not in final.stdout and "核对：" in final.stdout, final.stdout
        result = verdict(folder, platform_server.db_url, platform_client(folder, proxy.url, keys))
    print(result)
    assert result.converged, result
    check = subprocess.run(cli(folder, "check"), cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
