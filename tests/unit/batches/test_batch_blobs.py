"""Photos of an imported batch are moved, not copied, from the staging folder into the
attachment store (ohinspect/services/attachments.py ``move_blob_files``): each lands under its
hash with its bytes, a photo already stored is left alone, and a failure is a translated
StoreError."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ohinspect.errors import StoreError
from ohinspect.services.attachments import attachment_path, move_blob_files, write_blob_file
from ohinspect.store.database import Store


def _staged(folder: Path, count: int) -> dict[str, Path]:
    folder.mkdir(parents=True)
    files = {}
    for n in range(count):
        data = f"照片 {n}".encode() * (n + 1)
        sha = hashlib.sha256(data).hexdigest()
        (folder / sha).write_bytes(data)
        files[sha] = folder / sha
    return files


def test_new_photos_are_moved_in_and_stored_ones_left_alone(store: Store) -> None:
    files = _staged(store.data_dir / "staging" / "x", 12)
    known = next(iter(files))
    write_blob_file(store, known, files[known].read_bytes())
    stored_before = attachment_path(store, known).stat().st_mtime_ns
    expected = {sha: path.read_bytes() for sha, path in files.items()}

    assert move_blob_files(store, files) == 11
    for sha, data in expected.items():
        assert attachment_path(store, sha).read_bytes() == data
        assert files[sha].exists() == (sha == known)  # moved, except the one already there
    assert attachment_path(store, known).stat().st_mtime_ns == stored_before
    assert move_blob_files(store, files) == 0


def test_a_failure_is_a_store_error(store: Store, tmp_path: Path) -> None:
    files = _staged(tmp_path / "staging", 2)
    next(iter(files.values())).unlink()  # vanished before the move
    with pytest.raises(StoreError):
        move_blob_files(store, files)
