"""SIGKILL rounds against ``ohinspect sync`` (issue 6 "Kill the client (SIGKILL) at random
points during sync"), shared by tests/integration/sync_proof/test_kill_client.py and
benchmarks/bench_sync_stress.py.

The client talks to the platform through a pass-through :class:`FaultProxy`, which counts its
requests, so a kill can land at a protocol point, not only at a random time:

- ``request``: as the k-th request of the run arrives at the proxy (+ 0–30 ms);
- ``answered``: the k-th request was done by the server, its answer is held back, and the
  client dies without hearing it (the "committed on the server, unknown to the device" case);
- ``timer``: a random delay after the run's first request (anywhere in the sync proper);
- ``startup``: a random delay after the process started (start-up, opening the store, …).

Kill points are drawn among the first ``MAX_K`` requests of a run, so that the big syncs (the
first one; those after a day's work, every ``bulk_every`` rounds) are killed many times before
they get through. Between rounds the inspector keeps working (new enterprises, changed
contacts, photos).
Most rounds run in children forked from one pre-imported Python (cli_run.Forker); every
``real_every``-th round runs ``python -m ohinspect`` itself.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.integration.cli_run import ROOT, Forker
from tests.integration.sync_proof.devices import cli, work_in_the_field
from tests.integration.sync_proof.fault_proxy import Fault, FaultProxy

KINDS = ("request", "answered", "timer", "startup")
WEIGHTS = (3, 3, 3, 1)
RUN_TIMEOUT_S = 180
MAX_K = 12
SHA256_PATH = re.compile(r"(?<=/v1/attachments/)[0-9a-f]{64}$")


class Run:
    """One ``ohinspect sync`` process: a real subprocess or a forked child."""

    def __init__(self, argv: list[str], log: Path, env: dict[str, str],
                 forker: Forker | None) -> None:
        self.forker, self.status = forker, None  # type: int | None
        if forker is not None:
            self.pid = forker.run(argv[3:], log)  # argv without "python -m ohinspect"
            self.proc = None
        else:
            out = open(log, "wb")  # noqa: SIM115
            self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=out)
            out.close()
            self.pid = self.proc.pid

    def done(self) -> bool:
        if self.status is None:
            self.status = (self.forker.poll(self.pid) if self.forker is not None
                           else self.proc.poll())  # type: ignore[union-attr]
        return self.status is not None

    def kill(self) -> bool:
        """SIGKILL; True if that ended it (False: it had finished by itself)."""
        if not self.done():
            os.kill(self.pid, signal.SIGKILL)
        return self.wait() == -signal.SIGKILL

    def wait(self) -> int:
        if self.status is None:
            if self.forker is not None:
                self.status = self.forker.wait(self.pid)
            else:
                self.status = self.proc.wait(timeout=RUN_TIMEOUT_S)  # type: ignore[union-attr]
        return self.status


@dataclass
class KillStats:
    kills: int = 0
    real_process_kills: int = 0
    finished: int = 0
    failed: list[str] = field(default_factory=list)  # runs that ended with an error
    by_kind: Counter[str] = field(default_factory=Counter)
    at_path: Counter[str] = field(default_factory=Counter)
    written: int = 0


@dataclass
class KillRounds:
    folder: Path
    proxy: FaultProxy
    env: dict[str, str]
    logs: Path
    rng: random.Random
    real_every: int = 9
    bulk_every: int = 12
    say: Callable[[str], None] = print
    stats: KillStats = field(default_factory=KillStats)
    requests_per_sync: int = MAX_K  # adapted to the last run that finished
    #: how long the last run that finished took: from its start (forked / real process), and
    #: from its first request
    seconds_per_run: dict[bool, float] = field(default_factory=lambda: {False: 1.0, True: 3.0})
    seconds_per_sync: float = 1.0
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(700000))
    t0: float = 0.0

    def run(self, kills: int, max_rounds: int) -> KillStats:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.t0 = time.monotonic()
        forker = Forker(self.env)
        try:
            for n in range(max_rounds):
                if self.stats.kills >= kills:
                    break
                bulk = n > 0 and n % self.bulk_every == 0
                if bulk or (n and self.rng.random() < 0.4):
                    self.stats.written += work_in_the_field(self.folder, self.rng, self.numbers,
                                                            bulk)
                    self.requests_per_sync = MAX_K if bulk else self.requests_per_sync + 2
                self._round(n, None if n % self.real_every == 0 else forker)
        finally:
            forker.close()
        return self.stats

    def _round(self, n: int, forker: Forker | None) -> None:
        kind = self.rng.choices(KINDS, WEIGHTS)[0]
        k = self.rng.randint(1, max(1, min(MAX_K, self.requests_per_sync - 1)))
        base, held = self.proxy.seen, self.proxy.held
        if kind == "answered":
            self.proxy.choose = lambda i, _r: Fault("timeout") if i == base + k else None
        started = time.monotonic()
        run = Run(cli(self.folder, "sync"), self.logs / f"run-{n}.log", self.env, forker)
        try:
            if kind == "startup":
                time.sleep(self.rng.uniform(0, self.seconds_per_run[forker is None] * 0.9))
            else:
                ready = {"request": lambda: self.proxy.seen >= base + k,
                         "timer": lambda: self.proxy.seen > base,
                         "answered": lambda: self.proxy.held > held}[kind]
                while not self.proxy.wait_until(ready, 0.05) and not run.done():
                    pass
                time.sleep(self.rng.uniform(0, 0.03) if kind == "request" else
                           self.rng.uniform(0, self.seconds_per_sync * 0.9) if kind == "timer"
                           else 0)
            killed = run.kill()
        finally:
            self.proxy.choose = lambda i, r: None
        seen = self.proxy.seen - base
        where = SHA256_PATH.sub("{sha256}", self.proxy.captured[-1].path) if seen else "-"
        if killed:
            self.stats.kills += 1
            self.stats.real_process_kills += forker is None
            self.stats.by_kind[kind] += 1
            self.stats.at_path[where if seen else "(before the first request)"] += 1
        else:
            self.stats.finished += 1
            self.requests_per_sync = seen
            self.seconds_per_run[forker is None] = time.monotonic() - started
            if seen:
                self.seconds_per_sync = time.monotonic() - self.proxy.arrived[base]
            if run.status != 0:
                self.stats.failed.append((self.logs / f"run-{n}.log").read_text("utf-8")[-500:])
        how = "real" if forker is None else "fork"
        ended = "KILLED" if killed else f"finished ({run.status})"
        self.say(f"{time.monotonic() - self.t0:6.1f}s round {n:3d} {how} {kind:8s} k={k:3d}: "
                 f"{ended} after {seen} requests (last {where})")
