"""Run ``ohinspect`` commands as forked processes of one pre-imported Python, so that dozens
of SIGKILL rounds do not each pay the interpreter's start-up and imports (≈ 1–2 s of CPU on a
busy 2-core machine).

``python -m tests.integration.sync_proof.cli_forker`` imports ``ohinspect.cli`` (and the sync
modules) once, opens nothing, then reads JSON lines on stdin:

- ``{"run": [ARGV...], "log": PATH}`` → forks a child that runs ``ohinspect.cli.main(ARGV)``
  — exactly what ``python -m ohinspect ARGV`` runs — with stdout and stderr to PATH, and
  answers ``{"pid": PID}``;
- ``{"wait": PID}`` → answers ``{"status": EXIT_CODE}`` once the child ended (−9: SIGKILL);
  with ``"poll": true`` at once (``null`` while it runs).

Each child is an ordinary process with its own database connections and sockets: killing it
is a real SIGKILL of a sync in progress.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

from tests.integration.cli_run import ROOT


def _child(argv: list[str], log: str) -> None:
    code = 70
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        from ohinspect.cli import main

        code = main(argv)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def serve(stdin: IO[str], stdout: IO[str]) -> None:
    import ohinspect.cli  # noqa: F401 — the imports every child shares
    import ohinspect.sync.session  # noqa: F401

    for line in stdin:
        cmd = json.loads(line)
        if "run" in cmd:
            pid = os.fork()
            if pid == 0:
                _child(cmd["run"], cmd["log"])
            reply = {"pid": pid}
        else:
            pid, status = os.waitpid(cmd["wait"], os.WNOHANG if cmd.get("poll") else 0)
            reply = {"status": os.waitstatus_to_exitcode(status) if pid else None}
        stdout.write(json.dumps(reply) + "\n")
        stdout.flush()


class Forker:
    """The test's end: start the forker, run commands, wait for them."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.sync_proof.cli_forker"], cwd=ROOT,
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def _ask(self, cmd: dict[str, object]) -> dict[str, int]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return dict(json.loads(self.proc.stdout.readline()))

    def run(self, argv: list[str], log: Path) -> int:
        return self._ask({"run": argv, "log": str(log)})["pid"]

    def wait(self, pid: int) -> int:
        return self._ask({"wait": pid})["status"]

    def poll(self, pid: int) -> int | None:
        return self._ask({"wait": pid, "poll": True})["status"]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
