"""Running the ``ohinspect`` command as a user does, in one of two ways:

- :func:`run_cli`: a real process, ``python -m ohinspect ARGS`` — the repository's code, no
  data folder inherited from the environment;
- :class:`Forker`: children forked from one pre-imported Python, for tests that run dozens of
  commands (the SIGKILL rounds of sync_proof/, every command of the CLI in test_locking.py):
  each skips the interpreter's start-up and imports (≈ 2 s of CPU on a busy 2-core machine).

``python -m tests.integration.cli_run`` is that pre-imported Python: it imports
``ohinspect.cli`` (and the modules commands import lazily), opens nothing, then reads JSON lines
on stdin:

- ``{"run": [ARGV...], "log": PATH}`` → forks a child that runs ``ohinspect.cli.main(ARGV)``
  — exactly what ``python -m ohinspect ARGV`` runs — with stdin from /dev/null and stdout and
  stderr to PATH, and answers ``{"pid": PID}``;
- ``{"wait": PID}`` → answers ``{"status": EXIT_CODE}`` once the child ended (−9: SIGKILL);
  with ``"poll": true`` at once (``null`` while it runs).

Each child is an ordinary process with its own database connections and sockets: killing it
is a real SIGKILL of a command in progress.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
#: imported once by the forker, so that no child pays for them (commands import them lazily)
PRELOAD = ("ohinspect.cli", "ohinspect.sync.session", "ohinspect.demo", "ohinspect.diagnostics",
           "ohinspect.dashboards", "ohinspect.reports.record", "ohinspect.reports.opinion",
           "ohinspect.reports.dashboard_pdf", "ohinspect.reports.dashboard_xlsx")


def cli_argv(*args: str, data_dir: Path | None = None, user: str | None = None) -> list[str]:
    """The arguments of ``ohinspect`` (without ``python -m ohinspect``)."""
    argv = []
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    if user is not None:
        argv += ["--user", user]
    return argv + list(args)


def cli_env() -> dict[str, str]:
    """The environment a user's shell gives the command: ours, less a data folder."""
    return {k: v for k, v in os.environ.items() if k != "OHINSPECT_DATA_DIR"}


def run_cli(*args: str, data_dir: Path | None = None, user: str | None = None,
            timeout: int = 180) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "ohinspect", *cli_argv(*args, data_dir=data_dir, user=user)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=cli_env())


def _child(argv: list[str], log: str) -> None:
    code = 70
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)  # never the forker's command pipe
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        from ohinspect.cli import main

        try:
            code = main(argv)
        except SystemExit as exc:  # argparse and --version: what ``python -m`` makes of it
            if exc.code is not None and not isinstance(exc.code, int):
                print(exc.code, file=sys.stderr)
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        except BaseException:  # noqa: BLE001 — as the interpreter would: a traceback, exit 1
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def serve(stdin: IO[str], stdout: IO[str]) -> None:
    for module in PRELOAD:
        importlib.import_module(module)
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
            [sys.executable, "-m", "tests.integration.cli_run"], cwd=ROOT,
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

    def call(self, argv: list[str], log: Path) -> tuple[int, str]:
        """Run to the end: the exit code and what the command printed."""
        status = self.wait(self.run(argv, log))
        return status, log.read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> Forker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
