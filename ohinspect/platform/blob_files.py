"""Where the platform keeps attachment bytes: plain files in a blob directory (``platform serve
--blobs DIR``, docs/platform.md), the database holding only each blob's size, bytes received
and completeness (``platform_blob``).

A complete blob is ``DIR/<first two hex digits>/<sha256>``, written as temp file → fsync →
rename → fsync of the directory, and only after its SHA-256 was checked, so a file under its
final name is always whole and correct. An upload in progress is ``DIR/incoming/<sha256>``:
each acknowledged chunk is fsynced before the database records it, so the file always holds
at least the ``have_bytes`` the database states (a crash between the two leaves extra bytes,
cut off by the next chunk). The caller serialises writers of one blob (its row lock).
Storing bytes in files costs a write and an fsync per chunk; in PostgreSQL ``bytea`` it cost
10–20 ms per MB (benchmarks/bench_sync_push.py).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: read size when hashing or sending a stored file
READ_BYTES = 1024 * 1024


def default_root() -> Path:
    """``--blobs`` when not given: ``$XDG_DATA_HOME/ohinspect-platform/blobs`` (by default
    ``~/.local/share/ohinspect-platform/blobs``) of the user running the server."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "ohinspect-platform" / "blobs"


class BlobFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / "incoming"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def partial(self, sha256: str) -> Path:
        return self.incoming / sha256

    def partial_size(self, sha256: str) -> int:
        try:
            return self.partial(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    def append(self, sha256: str, start: int, data: bytes) -> None:
        """Write ``data`` at ``start`` of the upload in progress (anything after ``start``
        from an unacknowledged earlier try is cut off) and fsync it."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.partial(sha256), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            os.ftruncate(fd, start)
            os.lseek(fd, start, os.SEEK_SET)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)

    def partial_digest(self, sha256: str, length: int, last: bytes) -> str:
        """SHA-256 of the first ``length`` bytes of the upload in progress followed by
        ``last`` (the chunk that completes it, still in memory)."""
        h = hashlib.sha256()
        with self.partial(sha256).open("rb") as f:
            left = length
            while left > 0:
                piece = f.read(min(READ_BYTES, left))
                if not piece:
                    break
                h.update(piece)
                left -= len(piece)
        h.update(last)
        return h.hexdigest()

    def publish_partial(self, sha256: str) -> None:
        """The verified upload in progress becomes the blob."""
        self._publish(self.partial(sha256), sha256)

    def publish(self, sha256: str, data: bytes) -> None:
        """A verified blob received in one piece: written to a temp file, then renamed."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.incoming, prefix=".put-")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        os.close(fd)
        self._publish(Path(tmp), sha256)

    def _publish(self, source: Path, sha256: str) -> None:
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, final)
        _fsync_dir(final.parent)

    def discard(self, sha256: str) -> None:
        self.partial(sha256).unlink(missing_ok=True)

    def has(self, sha256: str, size: int) -> bool:
        """A complete file of ``size`` bytes is there (published before its row said so)."""
        try:
            return self.path(sha256).stat().st_size == size
        except FileNotFoundError:
            return False

    def read(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start``..``end`` (inclusive) of a complete blob, a piece at a time."""
        with self.path(sha256).open("rb") as f:
            f.seek(start)
            left = end + 1 - start
            while left > 0:
                piece = f.read(min(READ_BYTES, left))
                if not piece:
                    break
                left -= len(piece)
                yield piece


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
