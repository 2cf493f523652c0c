"""A second start on the same data folder: refused with a clear message, and the window that
has the folder open is asked to the front."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ohinspect.instance_lock import InstanceLock
from ui.single_instance import FrontServer, ask_first_to_front

ROOT = Path(__file__).resolve().parents[2]


def test_second_start_asks_the_first_to_the_front(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert not ask_first_to_front(tmp_path)  # nobody listens yet
    server = FrontServer(tmp_path)
    try:
        with qtbot.waitSignal(server.sig_raise, timeout=5_000):
            assert ask_first_to_front(tmp_path)
        assert not ask_first_to_front(tmp_path / "other")
    finally:
        server.close()


def test_second_program_on_a_held_folder_exits_1_with_the_reason(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OHINSPECT_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    with InstanceLock(tmp_path):
        done = subprocess.run([sys.executable, "main.py", "--smoke", "--lang", "en",
                               "--data-dir", str(tmp_path)], cwd=ROOT, capture_output=True,
                              text=True, timeout=60, env=env)
    assert done.returncode == 1
    assert "already open in another OHInspect" in done.stderr
    assert f"process {os.getpid()}" in done.stderr
    assert not (tmp_path / "ohinspect.sqlite3").exists()  # the store was never touched
