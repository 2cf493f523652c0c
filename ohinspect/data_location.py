"""Where the data folder is when the user chose one at first run: a one-line pointer file in the
platform's per-user config folder (platformdirs; ``$OHINSPECT_CONFIG_DIR`` overrides it, for
tests and portable setups). ``--data-dir`` and ``$OHINSPECT_DATA_DIR`` still come first
(ohinspect/paths.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

CONFIG_DIR_ENV = "OHINSPECT_CONFIG_DIR"
POINTER_FILE = "data-location.json"


def config_dir() -> Path:
    env = os.environ.get(CONFIG_DIR_ENV)
    return Path(env).expanduser() if env else Path(
        platformdirs.user_config_dir("OHInspect", appauthor=False))


def chosen_data_dir() -> Path | None:
    """The folder chosen at first run, or None (not chosen, or the pointer is unreadable)."""
    try:
        data = json.loads((config_dir() / POINTER_FILE).read_text(encoding="utf-8"))
        return Path(data["data_dir"]).expanduser() if data.get("data_dir") else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remember_data_dir(folder: Path) -> None:
    """Write the pointer atomically (temp file, rename)."""
    target = config_dir() / POINTER_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.write_text(json.dumps({"data_dir": str(folder)}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
