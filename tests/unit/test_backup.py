"""Backup archives (store + attachments + manifest), daily rotation, and restore with a check
before the live store is replaced — and the bad cases: full disk, a damaged archive, a backup
whose audit chain was tampered with, a folder held by the app."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ohinspect.errors import StoreError
from ohinspect.store.backup import (
    MANIFEST,
    create_backup,
    daily_backup_if_due,
    daily_backups,
    verify_backup,
)
from ohinspect.store.database import DB_FILE, Store
from ohinspect.store.integrity import check_store
from ohinspect.store.restore import restore_backup
from tests.demo_store import demo_template as built_demo


@pytest.fixture(scope="module")
def demo_template() -> Path:
    """The session's built demo store (tests/demo_store.py); tests copy it."""
    return built_demo()


@pytest.fixture
def data_dir(demo_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(demo_template, folder)
    return folder


def _blobs(folder: Path) -> dict[str, bytes]:
    root = folder / "attachments"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _enterprise_count(folder: Path) -> int:
    conn = sqlite3.connect(folder / DB_FILE)
    try:
        return conn.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    finally:
        conn.close()


def test_archive_holds_store_attachments_and_hashes(data_dir: Path, tmp_path: Path) -> None:
    archive = create_backup(data_dir, tmp_path / "b.zip")
    manifest = verify_backup(archive)
    blobs = _blobs(data_dir)
    assert len(blobs) > 5
    assert set(manifest.files) == {"ohinspect.sqlite3"} | {f"attachments/{n}" for n in blobs}
    assert manifest.schema_revision
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".backup-*"))


def test_a_changed_file_in_the_archive_is_detected(data_dir: Path, tmp_path: Path) -> None:
    archive = create_backup(data_dir, tmp_path / "b.zip")
    tampered = tmp_path / "t.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, data[:-1] + b"x" if item.filename.startswith("attachments/")
                         and not out.namelist()[1:] else data)
    with pytest.raises(StoreError, match="SHA-256|校验值"):
        verify_backup(tampered)


def test_restore_checks_then_replaces_and_keeps_the_live_store(data_dir: Path,
                                                                tmp_path: Path) -> None:
    archive = create_backup(data_dir, tmp_path / "b.zip")
    before = _blobs(data_dir)
    conn = sqlite3.connect(data_dir / DB_FILE)
    conn.execute("UPDATE enterprise SET deleted_at = NULL")  # a change made after the backup
    conn.execute("DELETE FROM form_draft")
    conn.commit()
    conn.close()
    (data_dir / "attachments" / "zz").mkdir()
    (data_dir / "attachments" / "zz" / "newer-file").write_bytes(b"made after the backup")
    result = restore_backup(archive, data_dir)
    assert _blobs(data_dir) == before
    assert (result.aside / DB_FILE).is_file()
    assert (result.aside / "attachments" / "zz" / "newer-file").is_file()  # never lost
    store = Store.open(data_dir)
    try:
        assert check_store(store).ok
    finally:
        store.close()
    assert not list(data_dir.glob(".restore-*"))


def test_tampered_audit_chain_is_refused_and_live_store_untouched(data_dir: Path,
                                                                 tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(data_dir, bad)
    conn = sqlite3.connect(bad / DB_FILE)
    # as someone editing the file by hand would: around the append-only trigger
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'"
                           ).fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = "
                 "(SELECT max(seq) FROM audit_log)")
    conn.execute(trigger)
    conn.commit()
    conn.close()
    archive = create_backup(bad, tmp_path / "bad.zip")  # a whole archive of a damaged store
    live = (data_dir / DB_FILE).read_bytes()
    with pytest.raises(StoreError, match="audit"):
        restore_backup(archive, data_dir)
    assert (data_dir / DB_FILE).read_bytes() == live
    assert not list(data_dir.glob(".restore-*"))
    assert not (data_dir / "backups" / "replaced").exists()


def test_full_disk_while_writing_leaves_nothing_and_store_untouched(
        data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ohinspect.store.backup as backup

    real_open = zipfile.ZipFile.open
    written = {"members": 0}

    def open_then_fill(self, name, mode="r", **kw):  # type: ignore[no-untyped-def]
        handle = real_open(self, name, mode, **kw)
        if mode == "w":
            written["members"] += 1
            if written["members"] == 3:  # the disk fills up on the third file
                def full(_data):  # type: ignore[no-untyped-def]
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                handle.write = full
        return handle

    monkeypatch.setattr(backup.zipfile.ZipFile, "open", open_then_fill)
    live = (data_dir / DB_FILE).read_bytes()
    with pytest.raises(StoreError, match="磁盘已满"):
        create_backup(data_dir, tmp_path / "out" / "b.zip")
    assert list((tmp_path / "out").iterdir()) == []  # no archive, no partial, no work folder
    assert (data_dir / DB_FILE).read_bytes() == live


def _can_mount_tmpfs(where: Path) -> bool:
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def test_real_full_disk_on_a_tiny_tmpfs(data_dir: Path, tmp_path: Path) -> None:
    small = tmp_path / "small"
    if not _can_mount_tmpfs(small):
        pytest.skip("mounting a tmpfs needs root (the monkeypatched test above always runs)")
    try:
        with pytest.raises(StoreError, match="磁盘已满"):
            create_backup(data_dir, small / "b.zip")
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_read_only_destination_is_a_clear_message(data_dir: Path, tmp_path: Path,
                                                  monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ohinspect.store.backup as backup

    def read_only(*_a, **_k):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(backup.tempfile, "TemporaryDirectory", read_only)
    with pytest.raises(StoreError, match=os.strerror(errno.EROFS)):
        create_backup(data_dir, tmp_path / "b.zip")


def test_daily_backups_are_taken_when_due_and_rotate(data_dir: Path) -> None:
    start = datetime(2026, 5, 1, 8, tzinfo=timezone.utc)
    assert daily_backup_if_due(data_dir, keep=2, now=start) is not None
    assert daily_backup_if_due(data_dir, keep=2, now=start) is None  # not due again yet
    assert daily_backup_if_due(data_dir, keep=2, now=start + timedelta(hours=23)) is None
    for day in (1, 2, 3):
        assert daily_backup_if_due(data_dir, keep=2, now=start + timedelta(days=day, hours=1))
    kept = daily_backups(data_dir)
    assert [p.name for p in kept] == ["daily-20260504T090000Z.zip", "daily-20260503T090000Z.zip"]
    assert json.loads(zipfile.ZipFile(kept[0]).read(MANIFEST))["files"]
