"""Backups of the store: a consistent copy with SQLite's online backup API (safe while the app
writes), alone (:func:`backup_store`, taken before every migration) or as a full backup archive
(:func:`create_backup`): a zip with the store copy, every attachment blob and ``manifest.json``
listing each file's SHA-256, so a restore can prove the archive is whole.

Every file is written to ``NAME.partial``, fsynced and renamed: a failure (disk full, read-only
folder) removes the partial file and raises :class:`StoreError` with the reason; the live store
is only ever read. Daily backups (:func:`daily_backup_if_due`) rotate: the newest N are kept.
Folder names, prefixes and intervals: resources/app/maintenance.yaml.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ohinspect import __version__
from ohinspect.errors import StoreError
from ohinspect.i18n import tr
from ohinspect.resources import load_resource

MANIFEST = "manifest.json"
ARCHIVE_FORMAT = 1
STORE_MEMBER = "ohinspect.sqlite3"
ATTACHMENTS = "attachments"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_CHUNK = 1 << 20
_FULL_DISK = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def backup_config() -> dict[str, Any]:
    return dict(load_resource("app/maintenance.yaml")["backups"])


def backups_dir(data_dir: Path) -> Path:
    return data_dir / backup_config()["folder"]


def _failure(dest: Path, exc: BaseException) -> StoreError:
    """The user's sentence for a failed write; a full disk is said plainly (OSError ENOSPC, or
    SQLite's SQLITE_FULL while it copies the database)."""
    if (isinstance(exc, OSError) and exc.errno in _FULL_DISK) or (
            isinstance(exc, sqlite3.Error)
            and getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL):
        return StoreError(tr("maint.backup.disk_full", path=dest))
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return StoreError(tr("backup.failed", path=dest, reason=reason))


def backup_store(source: Path, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` atomically: backup to a temp file, check it, fsync, rename."""
    tmp = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
                if out.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise StoreError(tr("backup.check_failed", path=dest))
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
        finally:
            src.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise _failure(dest, exc) from exc
    return dest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _attachment_files(data_dir: Path) -> list[Path]:
    folder = data_dir / ATTACHMENTS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".partial"))


def create_backup(data_dir: Path, dest: Path) -> Path:
    """Write the full backup archive of ``data_dir``'s store to ``dest`` (a .zip)."""
    from ohinspect.store.database import DB_FILE

    source = data_dir / DB_FILE
    if not source.is_file():
        raise StoreError(tr("maint.backup.no_store", path=source))
    tmp = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".backup-") as work:
            copy = backup_store(source, Path(work) / STORE_MEMBER)
            members = [(STORE_MEMBER, copy)] + [
                (p.relative_to(data_dir).as_posix(), p) for p in _attachment_files(data_dir)]
            files: dict[str, dict[str, Any]] = {}
            with zipfile.ZipFile(tmp, "w") as zf:
                for name, path in members:
                    digest = hashlib.sha256()
                    info = zipfile.ZipInfo.from_file(path, name)
                    # photos are compressed already; the database compresses well
                    info.compress_type = (zipfile.ZIP_DEFLATED if name == STORE_MEMBER
                                          else zipfile.ZIP_STORED)
                    with path.open("rb") as src, zf.open(info, "w") as out:
                        for block in iter(lambda: src.read(_CHUNK), b""):
                            digest.update(block)
                            out.write(block)
                    files[name] = {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}
                manifest = {"format": ARCHIVE_FORMAT, "app_version": __version__,
                            "made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            "schema_revision": _revision(copy), "files": files}
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except StoreError as exc:
        tmp.unlink(missing_ok=True)
        if exc.__cause__ is not None:  # the store copy failed: say it of the archive
            raise _failure(dest, exc.__cause__) from exc.__cause__
        raise
    except (OSError, sqlite3.Error, zipfile.BadZipFile) as exc:
        tmp.unlink(missing_ok=True)
        raise _failure(dest, exc) from exc
    return dest


def _revision(db: Path) -> str | None:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


@dataclass(frozen=True)
class BackupManifest:
    path: Path
    made_at: str
    schema_revision: str | None
    files: dict[str, dict[str, Any]]


def verify_backup(archive: Path) -> BackupManifest:
    """Read ``archive`` and check every file against the manifest's SHA-256 (StoreError if
    anything is missing, extra, altered or unreadable)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            files = manifest["files"]
            if set(zf.namelist()) - {MANIFEST} != set(files) or STORE_MEMBER not in files:
                raise StoreError(tr("maint.restore.bad_archive", path=archive,
                                    reason=tr("maint.restore.members_differ")))
            for name, entry in files.items():
                digest = hashlib.sha256()
                with zf.open(name) as fh:
                    for block in iter(lambda: fh.read(_CHUNK), b""):
                        digest.update(block)
                if digest.hexdigest() != entry["sha256"]:
                    raise StoreError(tr("maint.restore.bad_archive", path=archive,
                                        reason=tr("maint.restore.hash_differs", name=name)))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise StoreError(tr("maint.restore.bad_archive", path=archive, reason=exc)) from exc
    return BackupManifest(archive, str(manifest.get("made_at", "")),
                          manifest.get("schema_revision"), files)


def migration_backup(data_dir: Path, source: Path, revision: str) -> Path:
    """Copy the store (backup API) into ``backups/`` before upgrading it from ``revision``, then
    keep only the newest ``keep_before_migration`` of these copies (oldest removed first)."""
    cfg = backup_config()
    stamp = datetime.now(timezone.utc).strftime(STAMP_FORMAT)
    made = backup_store(source, backups_dir(data_dir)
                        / f"{cfg['migration_prefix']}{revision}-{stamp}.sqlite3")
    copies = sorted(backups_dir(data_dir).glob(f"{cfg['migration_prefix']}*.sqlite3"),
                    key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    for old in copies[max(1, int(cfg["keep_before_migration"])):]:
        old.unlink(missing_ok=True)
    return made


def daily_backups(data_dir: Path) -> list[Path]:
    """The daily backups, newest first (their names sort by time)."""
    cfg = backup_config()
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{cfg['daily_prefix']}*.zip"), reverse=True)


def _made_at(archive: Path, prefix: str) -> datetime:
    """When a daily backup was made: the time in its name (copies keep it), else its mtime."""
    try:
        return datetime.strptime(archive.stem[len(prefix):], STAMP_FORMAT).replace(
            tzinfo=timezone.utc)
    except ValueError:
        return datetime.fromtimestamp(archive.stat().st_mtime, timezone.utc)


def daily_backup_if_due(data_dir: Path, keep: int, now: datetime | None = None) -> Path | None:
    """Take a daily backup when the newest is older than the interval (or there is none), then
    keep the newest ``keep``. Returns the new archive, or None when none was due."""
    cfg = backup_config()
    now = now or datetime.now(timezone.utc)
    existing = daily_backups(data_dir)
    if existing:
        last = _made_at(existing[0], cfg["daily_prefix"])
        if now - last < timedelta(hours=float(cfg["daily_interval_hours"])):
            return None
    stamp = now.strftime(STAMP_FORMAT)
    made = create_backup(data_dir, backups_dir(data_dir) / f"{cfg['daily_prefix']}{stamp}.zip")
    for old in daily_backups(data_dir)[max(1, keep):]:
        old.unlink(missing_ok=True)
    return made
