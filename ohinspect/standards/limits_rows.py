"""Checks shared by the rows of the GBZ 2.1-2019 limit tables (numbers, CAS numbers, notes,
source revisions, the ``verified`` flag) and the file metadata they are checked against."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohinspect.errors import DataFileError
from ohinspect.i18n import tr
from ohinspect.standards.hazards import cas_is_valid
from ohinspect.standards.table_file import RowReader

_NAMES = ("code", "name_zh", "name_en")


@dataclass(frozen=True)
class _RowContext:
    revisions: set[str]
    notes: tuple[str, ...]
    units: tuple[str, ...] = ()


def _revisions(path: Path, meta: Mapping[str, Any]) -> set[str]:
    revisions = meta.get("revisions")
    ids = {str(r.get("id")) for r in revisions if isinstance(r, dict)} if isinstance(
        revisions, list) else set()
    if not ids:
        raise DataFileError(str(path), tr("limits.meta.missing", key="revisions"))
    return ids


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number(
    reader: RowReader, index: int, code: str, item: Mapping[str, Any], field: str, *, zero: bool = False
) -> float | None:
    """The optional number ``field`` of a row: positive (or ≥ 0 with ``zero``), or None."""
    value = item.get(field)
    if value is None:
        return None
    if not _is_number(value) or value < 0 or (value == 0 and not zero):
        raise reader.fail("limits.row.number", index, code, field=field, value=value)
    return float(value)


def _cas(reader: RowReader, index: int, code: str, item: Mapping[str, Any]) -> str | None:
    cas = item.get("cas")
    if cas is not None and not (isinstance(cas, str) and cas_is_valid(cas)):
        raise reader.fail("standards.hazard.bad_cas", index, code, cas=cas)
    return cas


def _notes(
    reader: RowReader, index: int, code: str, item: Mapping[str, Any], allowed: tuple[str, ...]
) -> tuple[str, ...]:
    notes = item.get("notes") or []
    if not isinstance(notes, list):
        notes = [notes]
    for note in notes:
        if note not in allowed:
            raise reader.fail("limits.row.bad_value", index, code, field="notes", value=note,
                              expected=", ".join(allowed))
    return tuple(str(n) for n in notes)


def _source_rev(
    reader: RowReader, index: int, code: str, item: Mapping[str, Any], revisions: set[str]
) -> str:
    rev = str(item["source_rev"])
    if rev not in revisions:
        raise reader.fail("limits.row.bad_value", index, code, field="source_rev", value=rev,
                          expected=", ".join(sorted(revisions)))
    return rev


def _verified(reader: RowReader, index: int, code: str, item: Mapping[str, Any]) -> bool:
    value = item.get("verified")
    if not isinstance(value, bool):
        raise reader.fail("limits.row.bool", index, code, field="verified", value=value)
    return value


def _text_list(path: Path, meta: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if not isinstance(value, list) or not value:
        raise DataFileError(str(path), tr("limits.meta.missing", key=key))
    return tuple(str(v) for v in value)
