"""The rotating log file in the data folder (``logs/ohinspect.log``), set up by the GUI and the
``ohinspect`` command alike. Sizes and level: resources/app/maintenance.yaml.

Log lines never carry secrets or personal data on purpose; the diagnostics archive still
scrubs them (ohinspect/scrub.py), because a library or an error text may quote a record.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path
from typing import Any

from ohinspect.resources import load_resource

LOG_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"
_HANDLER_NAME = "ohinspect-file"


def log_config() -> dict[str, Any]:
    return dict(load_resource("app/maintenance.yaml")["logs"])


def log_dir(data_dir: Path) -> Path:
    return data_dir / log_config()["folder"]


def log_files(data_dir: Path) -> list[Path]:
    """The current log file and its rotated predecessors, newest first."""
    cfg = log_config()
    base = log_dir(data_dir) / cfg["file"]
    names = [base] + [base.with_name(f"{base.name}.{n}") for n in range(1, cfg["backup_count"] + 1)]
    return [p for p in names if p.is_file()]


def setup_logging(data_dir: Path, *, console_level: int | None = None) -> Path | None:
    """Log to the data folder's rotating file (replacing an earlier file handler of ours, e.g.
    after the data folder changed); optionally also to stderr. Returns the log file, or None
    when the folder cannot be written (the program goes on without a file log)."""
    cfg = log_config()
    root = logging.getLogger()
    root.setLevel(logging.getLevelName(cfg["level"]))
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    if console_level is not None and not any(
            isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
            for h in root.handlers):
        stream = logging.StreamHandler()
        stream.setLevel(console_level)
        stream.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(stream)
    path = log_dir(data_dir) / cfg["file"]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=int(cfg["max_bytes"]), backupCount=int(cfg["backup_count"]),
            encoding="utf-8", delay=False)
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file in %s: %s", path.parent, exc)
        return None
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    return path


def close_logging() -> None:
    """Detach and close our file handler (before a data folder is moved or deleted)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
