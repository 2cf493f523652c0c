"""One program per data folder: an OS file lock on ``ohinspect.lock`` in the folder.

The lock belongs to the open file, so the OS releases it when the holder ends in any way,
including a crash or ``kill -9``: a stale lock file never blocks the next start. The file also
says who holds it (process id, host, since when) for the refusal message; that text is only
informative, the lock is the OS's. POSIX: ``fcntl.flock``; Windows: ``msvcrt.locking`` on one
byte far past the text, so a refused second instance can still read who holds the folder.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr

LOCK_FILE = "ohinspect.lock"
_WINDOWS_LOCK_OFFSET = 1 << 20  # the locked byte (Windows): past any holder text


class InstanceLockedError(OHInspectError):
    """Another OHInspect has this data folder open."""

    def __init__(self, data_dir: Path, holder: dict[str, Any]) -> None:
        self.data_dir, self.holder = data_dir, holder
        super().__init__(tr("maint.lock.held", path=data_dir, pid=holder.get("pid", "?"),
                            host=holder.get("host", "?"), since=holder.get("since", "?")))


class DataDirUnusableError(OHInspectError):
    """The data folder cannot be created or written (read-only medium, permissions)."""


def _try_lock(fh: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fh: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def read_holder(data_dir: Path) -> dict[str, Any]:
    """Who says they hold the folder (empty when unknown or unreadable)."""
    try:
        text = (data_dir / LOCK_FILE).read_text(encoding="utf-8").strip("\0\n ")
        holder = json.loads(text) if text else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


class InstanceLock:
    """``with InstanceLock(folder):`` — or :meth:`acquire` / :meth:`release` — held for the
    life of the program that has the folder's store open."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE
        self._fh: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`InstanceLockedError` (another program has the
        folder) or :class:`DataDirUnusableError` (the folder cannot be written)."""
        if self._fh is not None:
            return
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 — kept open while held
        except OSError as exc:
            raise DataDirUnusableError(tr("maint.dir_unusable", path=self.data_dir,
                                          reason=exc.strerror or exc)) from exc
        if not _try_lock(fh):
            fh.close()
            raise InstanceLockedError(self.data_dir, read_holder(self.data_dir))
        self._fh = fh
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(holder))
            fh.flush()
        except OSError:
            pass  # the text is informative only; the OS lock is what counts

    def release(self) -> None:
        if self._fh is None:
            return
        fh, self._fh = self._fh, None
        try:
            _unlock(fh)
        finally:
            fh.close()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
