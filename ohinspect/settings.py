"""User settings: declared once, typed, with defaults and versioned upgrades (Picard's idea).

Stored as JSON in the data folder (never secrets: credentials go to the OS keyring).
An unreadable or invalid file falls back to defaults and is kept aside, never lost.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ohinspect.i18n import DEFAULT_LANGUAGE, LANGUAGES
from ohinspect.resources import load_resource

SETTINGS_FILE = "settings.json"
CURRENT_VERSION = 2


@dataclass
class Settings:
    version: int = CURRENT_VERSION
    language: str = DEFAULT_LANGUAGE
    user_name: str = ""          # the inspector using this laptop (actor of every change)
    jurisdiction: str = ""       # GB/T 2260 code the user works in
    sync_server_url: str = ""    # the central platform (issue 6); "" = not set up
    auto_sync: bool = True       # sync when the platform becomes reachable
    #: periodic testing/evaluation intervals in months overriding
    #: resources/standards/periodic_testing.yaml, e.g. {"general.test": 24}
    periodic_testing: dict[str, int] = field(default_factory=dict)
    role: str = ""               # resources/app/roles.yaml id, chosen at first run ("" = not yet)
    backup_keep_daily: int = field(default_factory=lambda: int(
        load_resource("app/maintenance.yaml")["backups"]["keep_daily_default"]))


#: upgrade functions: UPGRADES[n] turns a version-n dict into version n+1
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 knew inspectors only: a laptop already set up (it has a user name) keeps
    working as an inspector's instead of showing the first-run questions again."""
    return {**data, "role": data.get("role") or ("inspector" if data.get("user_name") else "")}


UPGRADES[1] = _v1_to_v2


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    version = int(data.get("version", 1))
    while version < CURRENT_VERSION:
        data = UPGRADES[version](data)
        version += 1
        data["version"] = version
    return data


def load_settings(data_dir: Path) -> Settings:
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        data = _upgrade(json.loads(path.read_text(encoding="utf-8")))
        known = {f.name for f in fields(Settings)}
        settings = Settings(**{k: v for k, v in data.items() if k in known})
        if settings.language not in LANGUAGES:
            settings.language = DEFAULT_LANGUAGE
        return settings
    except (OSError, ValueError, TypeError, KeyError):
        path.replace(path.with_suffix(".invalid.json"))  # keep it for a person to look at
        return Settings()


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write atomically: temp file, fsync, rename."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SETTINGS_FILE
    tmp = path.with_suffix(".json.partial")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(asdict(settings), fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
