"""The platform's blob files (ohinspect/platform/blob_files.py) under the resumable-upload rules
(docs/design/issue6-sync.md "Attachments"), in process on a SQLite platform database: what a
crash or a lost file between the database and the directory leaves is repaired, never served."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ohinspect.platform import schema
from ohinspect.platform.blob_files import BlobFiles
from ohinspect.platform.blobs import put_chunk
from ohinspect.platform.db import init_db, make_engine
from ohinspect.platform.protocol import ApiError


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Engine, BlobFiles]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'platform.db'}")
    files = BlobFiles(tmp_path / "blobs")
    init_db(engine, files)
    yield engine, files
    engine.dispose()


def _put(store: tuple[Engine, BlobFiles], data: bytes, start: int, total: int,
         sha: str) -> dict[str, Any]:
    engine, files = store
    return put_chunk(engine, files, sha, start, total, data, hashlib.sha256(data).hexdigest())


def _row(engine: Engine, sha: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(schema.blobs).where(schema.blobs.c.sha256 == sha)).first()


def test_a_lost_upload_file_restarts_the_upload(store: tuple[Engine, BlobFiles]) -> None:
    engine, files = store
    blob = os.urandom(5000)
    sha = hashlib.sha256(blob).hexdigest()
    assert _put(store, blob[:2000], 0, 5000, sha)["have_bytes"] == 2000
    files.partial(sha).unlink()  # e.g. the incoming directory was cleaned by hand
    with pytest.raises(ApiError) as lost:
        _put(store, blob[2000:], 2000, 5000, sha)
    assert (lost.value.code, lost.value.extra) == ("range_mismatch", {"have_bytes": 0})
    assert _row(engine, sha).have_bytes == 0
    assert _put(store, blob[:3000], 0, 5000, sha)["have_bytes"] == 3000
    assert _put(store, blob[3000:], 3000, 5000, sha)["complete"] is True
    assert files.path(sha).read_bytes() == blob and not files.partial(sha).exists()


def test_a_file_published_before_a_crash_completes_its_row(
        store: tuple[Engine, BlobFiles]) -> None:
    engine, files = store
    blob = os.urandom(3000)
    sha = hashlib.sha256(blob).hexdigest()
    _put(store, blob[:1000], 0, 3000, sha)
    files.append(sha, 1000, blob[1000:])
    files.publish_partial(sha)  # the server died before its row said complete
    assert not _row(engine, sha).complete
    assert _put(store, blob[1000:], 1000, 3000, sha)["complete"] is True
    assert _row(engine, sha).complete and files.path(sha).read_bytes() == blob


def test_wrong_bytes_leave_neither_file_nor_row(store: tuple[Engine, BlobFiles]) -> None:
    engine, files = store
    blob = os.urandom(3000)
    sha = hashlib.sha256(blob).hexdigest()
    _put(store, blob[:1000], 0, 3000, sha)
    with pytest.raises(ApiError) as bad:
        _put(store, bytes(2000), 1000, 3000, sha)
    assert (bad.value.code, bad.value.extra) == ("blob_hash_mismatch", {"have_bytes": 0})
    assert _row(engine, sha) is None
    assert not files.partial(sha).exists() and not files.path(sha).exists()
    with pytest.raises(ApiError):  # a whole blob of wrong bytes is refused the same way
        _put(store, bytes(3000), 0, 3000, sha)
    assert not files.path(sha).exists()
    assert _put(store, blob, 0, 3000, sha) == {"sha256": sha, "size": 3000, "have_bytes": 3000,
                                               "complete": True}
