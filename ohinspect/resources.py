"""Loading versioned data files from ``resources/``.

Every data file (standards tables, checklists, catalogues) is YAML or JSON with a ``meta`` block
naming what it is, its source and edition, and a ``version``. Standards are data, not code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ohinspect.errors import DataFileError
from ohinspect.paths import resources_dir

REQUIRED_META = ("id", "title", "source", "edition", "version")


def load_data_file(path: Path) -> dict[str, Any]:
    """Read a YAML/JSON data file and check its ``meta`` block; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
    try:
        if path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        line = (line + 1) if line is not None else getattr(exc, "lineno", None)
        raise DataFileError(str(path), f"is not valid {path.suffix[1:].upper()}: {exc}", line) from exc
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        raise DataFileError(str(path), "has no 'meta' block")
    missing = [k for k in REQUIRED_META if not data["meta"].get(k)]
    if missing:
        raise DataFileError(str(path), f"meta is missing {', '.join(missing)}")
    return data


@lru_cache(maxsize=None)
def load_resource(relative: str) -> dict[str, Any]:
    """Load (once) a data file by its path relative to ``resources/``."""
    return load_data_file(resources_dir() / relative)
