"""Running the ``ohinspect`` command as a user does: a real process, the repository's code, no
data folder inherited from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, data_dir: Path | None = None, user: str | None = None,
            timeout: int = 180) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "ohinspect"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    if user is not None:
        cmd += ["--user", user]
    env = {k: v for k, v in os.environ.items() if k != "OHINSPECT_DATA_DIR"}
    return subprocess.run(cmd + list(args), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)
