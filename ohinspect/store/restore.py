"""Restoring a backup archive (ohinspect/store/backup.py) over the live store.

The archive is checked against its manifest, unpacked beside the store, opened (an older schema
is migrated there) and checked like ``ohinspect check`` does — pages, foreign keys, the audit
hash chain of the units of work, outbox hashes, attachment files. Only a store that passes
replaces the live one, and the live one (database and attachments) is moved aside into
``backups/replaced/<time>/``, never deleted. Nobody may have the store open meanwhile: the
caller holds the data folder's instance lock (ohinspect/instance_lock.py).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ohinspect.errors import StoreError
from ohinspect.i18n import tr
from ohinspect.store.backup import (
    ATTACHMENTS,
    STORE_MEMBER,
    BackupManifest,
    backup_config,
    backups_dir,
    verify_backup,
)

#: what may sit beside the database and moves with it
_SIDE_FILES = ("-wal", "-shm", "-journal")
_SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class RestoreResult:
    manifest: BackupManifest
    aside: Path          # where the replaced live store now is


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return name == STORE_MEMBER or (len(parts) > 1 and parts[0] == ATTACHMENTS
                                    and ".." not in parts and not name.startswith("/"))


def _unpack(archive: Path, manifest: BackupManifest, staging: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        for name in manifest.files:
            if not _safe_member(name):
                raise StoreError(tr("maint.restore.bad_archive", path=archive, reason=name))
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(name) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out)
                out.flush()
                os.fsync(out.fileno())


def check_staged(staging: Path) -> None:
    """Open the unpacked store and check it whole (StoreError naming the first problems)."""
    from ohinspect.store.database import Store
    from ohinspect.store.integrity import check_store

    store = Store.open(staging)
    try:
        report = check_store(store)
    finally:
        store.close()
    if not report.ok:
        raise StoreError(tr("maint.restore.check_failed", count=len(report.problems),
                            problems="; ".join(report.problems[:_SHOWN_PROBLEMS])))


def restore_backup(archive: Path, data_dir: Path) -> RestoreResult:
    from ohinspect.store.database import DB_FILE

    manifest = verify_backup(archive)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    staging = data_dir / f".restore-{stamp}"
    try:
        staging.mkdir(parents=True)
        _unpack(archive, manifest, staging)
        check_staged(staging)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(tr("maint.restore.failed", path=archive,
                            reason=exc.strerror or exc)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    aside = backups_dir(data_dir) / backup_config()["restore_aside_folder"] / stamp
    aside.mkdir(parents=True)
    live = [data_dir / DB_FILE] + [data_dir / f"{DB_FILE}{s}" for s in _SIDE_FILES] + [
        data_dir / ATTACHMENTS]
    for path in live:
        if path.exists():
            os.replace(path, aside / path.name)
    os.replace(staging / DB_FILE, data_dir / DB_FILE)
    if (staging / ATTACHMENTS).exists():
        os.replace(staging / ATTACHMENTS, data_dir / ATTACHMENTS)
    shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(manifest, aside)
