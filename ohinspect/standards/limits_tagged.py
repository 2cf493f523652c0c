"""Tagged rule values: ``{value: …, tag: C | C* | U}`` entries of the standards' rules files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ohinspect.errors import DataFileError
from ohinspect.i18n import tr
from ohinspect.standards.limits_rows import _is_number

TAGS = ("C", "C*", "U")


class TaggedValues:
    """Reads ``{value: …, tag: C | C* | U}`` entries of a rules file; errors name the file and
    the dotted key. ``unverified`` collects the keys tagged U (configurable values)."""

    def __init__(self, path: Path | str, data: Mapping[str, Any]) -> None:
        self.path = str(path)
        self.data = data
        self.unverified: list[str] = []

    def fail(self, key: str, expected: str) -> DataFileError:
        return DataFileError(self.path, tr("limits.value.bad", key=key, expected=expected))

    def node(self, key: str) -> Any:
        """The raw entry at dotted ``key``; an error if it is missing."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise DataFileError(self.path, tr("limits.value.missing", key=key))
            node = node[part]
        return node

    def tag(self, key: str, tag: object) -> bool:
        """Check ``tag``; record ``key`` as unverified when it is U. True when verified."""
        if tag not in TAGS:
            raise DataFileError(self.path, tr("limits.value.bad_tag", key=key, tag=tag,
                                              expected=", ".join(TAGS)))
        if tag == "U":
            self.unverified.append(key)
        return tag != "U"

    def raw(self, key: str) -> Any:
        entry = self.node(key)
        if not isinstance(entry, dict) or "value" not in entry:
            raise self.fail(key, tr("limits.expect.tagged"))
        self.tag(key, entry.get("tag"))
        return entry["value"]

    def number(self, key: str, *, integer: bool = False, positive: bool = True) -> float:
        value = self.raw(key)
        ok = _is_number(value) and (not integer or float(value).is_integer())
        if not ok or (positive and value <= 0):
            raise self.fail(key, tr("limits.expect.integer" if integer else "limits.expect.number"))
        return int(value) if integer else float(value)

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.fail(key, "true / false")
        return value

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        value = self.raw(key)
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(key, ", ".join(allowed))
        return str(value)

    def pair(self, key: str) -> tuple[float, float]:
        value = self.raw(key)
        if not (isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))
                and value[0] < value[1]):
            raise self.fail(key, tr("limits.expect.range"))
        return float(value[0]), float(value[1])
