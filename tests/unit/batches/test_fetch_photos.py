"""Photos fetched from the platform: in Range pieces, resumed from the piece an interrupted
fetch kept, used only when the whole file hashes to its name."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.fetch_verify import download_photo
from ohinspect.batches.limits import load_limits
from ohinspect.progress import Reporter

PHOTO = bytes(range(256)) * 5
SHA = hashlib.sha256(PHOTO).hexdigest()


class Platform:
    """Serves ``data`` in pieces of at most 300 bytes and remembers the ranges asked for."""

    def __init__(self, data: bytes) -> None:
        self.data, self.asked = data, []
        self.limits = SimpleNamespace(chunk_bytes=300)

    def blob_range(self, sha256: str, start: int, end: int) -> tuple[bytes, int]:
        self.asked.append(start)
        return self.data[start:end + 1], len(self.data)


def test_a_kept_piece_is_resumed(tmp_path: Path) -> None:
    cache, staging = tmp_path / "cache", tmp_path / "staging"
    cache.mkdir()
    (cache / f"{SHA}.part").write_bytes(PHOTO[:700])  # what an interrupted fetch left
    platform = Platform(PHOTO)
    path = download_photo(platform, SHA, cache, staging, load_limits(), Reporter())  # type: ignore[arg-type]
    assert path.read_bytes() == PHOTO and platform.asked == [700, 1000]
    assert not list(cache.iterdir())


def test_a_changed_photo_is_refused_and_dropped(tmp_path: Path) -> None:
    cache, staging = tmp_path / "cache", tmp_path / "staging"
    bad = Platform(PHOTO[:-1] + b"\x00")
    with pytest.raises(BatchRefused) as refused:
        download_photo(bad, SHA, cache, staging, load_limits(), Reporter())  # type: ignore[arg-type]
    assert refused.value.code == "hash_mismatch"
    assert not list(cache.iterdir()) and not (staging / "blobs" / SHA).exists()
