"""Consistent copies of the store with SQLite's online backup API (safe while the app writes)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ohinspect.errors import StoreError
from ohinspect.i18n import tr


def backup_store(source: Path, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` atomically: backup to a temp file, check it, fsync, rename."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
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
        raise StoreError(tr("backup.failed", path=dest, reason=exc)) from exc
    return dest
