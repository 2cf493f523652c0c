"""Message catalogues: Simplified Chinese first, English as the translation.

Catalogues are flat JSON files under ``resources/i18n/<language>/``; every file in a language
folder is merged, so each feature ships its own ``<feature>.json``. ``tr`` falls back to
Chinese, then to the key itself, so a missing translation never crashes a screen.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ohinspect.paths import resources_dir

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}

_current = DEFAULT_LANGUAGE


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = i18n_dir() / language
    for path in sorted(folder.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        duplicated = merged.keys() & entries.keys()
        if duplicated:
            raise ValueError(f"{path}: keys defined twice: {sorted(duplicated)[:5]}")
        merged.update(entries)
    return merged


def set_language(language: str) -> None:
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _current = language


def current_language() -> str:
    return _current


def tr(key: str, /, **values: object) -> str:
    """The message ``key`` in the current language, formatted with ``values``."""
    text = catalogue(_current).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text
