"""The diagnostics archive a user sends to IT: logs, versions, the store's shape, settings —
never secrets or personal data (every text passes through :class:`ohinspect.scrub.Scrubber`,
settings lose the person's fields, the store is described by counts only).

The store is read through a read-only SQLite connection: nothing is migrated or written, so
the archive can be made from a store that does not open (that is often why it is wanted).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import re
import sqlite3
import sys
import zipfile
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ohinspect import __version__
from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.logs import log_files
from ohinspect.resources import load_resource
from ohinspect.scrub import Scrubber
from ohinspect.settings import load_settings
from ohinspect.store.database import DB_FILE

#: settings that name a person (the rest are choices such as language and jurisdiction)
PERSONAL_SETTINGS = frozenset({"user_name"})
SECRET_SETTING = re.compile(r"(?i)token|secret|password|key|credential")
#: columns whose values are names of people or enterprises, or their identifiers
NAME_COLUMN = re.compile(r"(?i)(^|_)(name|person|phone|id_no|witness|signer|escort|sampler|"
                         r"actor|author|by|user|uscc|contact|representative)($|_)")
PACKAGES = ("SQLAlchemy", "alembic", "reportlab", "pypdf", "Pillow", "PyYAML", "platformdirs",
            "keyring", "PySide6-Essentials", "PySide6")


def versions() -> dict[str, str]:
    found = {"app": __version__, "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version,
             "platform": platform.platform(), "frozen": str(bool(getattr(sys, "frozen", False)))}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def known_names(db_path: Path) -> set[str]:
    """Every value of a name-like column of the store (people, enterprises, identifiers)."""
    if not db_path.is_file():
        return set()
    names: set[str] = set()
    try:
        conn = _read_only(db_path)
        try:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            for table in tables:
                for col in list(conn.execute(f'PRAGMA table_info("{table}")')):
                    ctype = (col[2] or "").upper()
                    if NAME_COLUMN.search(col[1]) and (not ctype or "CHAR" in ctype
                                                       or "TEXT" in ctype):
                        names.update(str(v) for (v,) in conn.execute(
                            f'SELECT DISTINCT "{col[1]}" FROM "{table}" WHERE "{col[1]}" != \'\''))
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a damaged store: the catch-all rules still apply
    return names


def store_summary(data_dir: Path) -> dict[str, Any]:
    """Schema revision, quick_check and row counts per table — no record content."""
    path = data_dir / DB_FILE
    if not path.is_file():
        return {"exists": False}
    summary: dict[str, Any] = {"exists": True, "bytes": path.stat().st_size}
    try:
        conn = _read_only(path)
        try:
            summary["quick_check"] = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                summary["schema_revision"] = row[0] if row else None
            summary["rows"] = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                               for t in tables}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        summary["error"] = str(exc)
    return summary


def safe_settings(data_dir: Path) -> dict[str, Any]:
    data = asdict(load_settings(data_dir))
    return {k: v for k, v in data.items()
            if k not in PERSONAL_SETTINGS and not SECRET_SETTING.search(k)}


def _pdf_font() -> str:
    from ohinspect.reports.fonts import find_cjk_font

    try:
        chosen = find_cjk_font()
    except OHInspectError as exc:
        return f"none: {exc.user_message()}"
    return f"{chosen.path}#{chosen.subfont_index}"


def _tail(path: Path, limit: int) -> str:
    with path.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - limit))
        return fh.read().decode("utf-8", errors="replace")


def export_diagnostics(data_dir: Path, out: Path, *,
                       extra_versions: dict[str, str] | None = None) -> Path:
    """Write the archive to ``out`` (a temp file renamed at the end: a failure such as a full
    disk leaves nothing behind and raises OHInspectError naming the file and the reason)."""
    scrubber = Scrubber(known_names(data_dir / DB_FILE))
    limit = int(load_resource("app/maintenance.yaml")["diagnostics"]["log_tail_bytes"])
    info = {
        "made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": {**versions(), **(extra_versions or {})},
        "pdf_font": _pdf_font(),
        "store": store_summary(data_dir),
        "settings": safe_settings(data_dir),
    }
    tmp = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("diagnostics.json", scrubber.scrub(
                json.dumps(info, ensure_ascii=False, indent=2, default=str)))
            for log in log_files(data_dir):
                zf.writestr(f"logs/{log.name}", scrubber.scrub(_tail(log, limit)))
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OHInspectError(tr("maint.diag.failed", path=out,
                                reason=exc.strerror or exc)) from exc
    return out
