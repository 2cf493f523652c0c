"""One program per data folder: the OS lock refuses a second holder, names the first, and is
released by a crash (kill -9) so the next start is never blocked by a stale lock file."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ohinspect.instance_lock import (
    LOCK_FILE,
    DataDirUnusableError,
    InstanceLock,
    InstanceLockedError,
    read_holder,
)

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from pathlib import Path
from ohinspect.instance_lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(120)
"""


def _hold_in_subprocess(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_holder_is_refused_with_who_holds_it(tmp_path: Path) -> None:
    with InstanceLock(tmp_path / "data") as first:
        assert first.held
        with pytest.raises(InstanceLockedError) as refused:
            InstanceLock(tmp_path / "data").acquire()
        assert str(os.getpid()) in refused.value.user_message()
        assert str(tmp_path / "data") in refused.value.user_message()
    InstanceLock(tmp_path / "data").acquire()  # released on exit: free again


def test_other_folders_are_independent(tmp_path: Path) -> None:
    with InstanceLock(tmp_path / "a"), InstanceLock(tmp_path / "b") as b:
        assert b.held


def test_a_killed_holder_does_not_block_the_next_start(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    proc = _hold_in_subprocess(folder)
    try:
        with pytest.raises(InstanceLockedError) as refused:
            InstanceLock(folder).acquire()
        assert refused.value.holder["pid"] == proc.pid
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert (folder / LOCK_FILE).exists()  # the stale file is still there …
    assert read_holder(folder)["pid"] == proc.pid
    with InstanceLock(folder) as lock:  # … and does not matter
        assert lock.held
        assert read_holder(folder)["pid"] == os.getpid()


def test_read_only_folder_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A read-only medium (simulated: the tests run as root, which permission bits don't stop)."""
    def read_only(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("ohinspect.instance_lock.open", read_only, raising=False)
    with pytest.raises(DataDirUnusableError) as refused:
        InstanceLock(tmp_path).acquire()
    assert str(tmp_path) in refused.value.user_message()
    assert os.strerror(errno.EROFS) in refused.value.user_message()
