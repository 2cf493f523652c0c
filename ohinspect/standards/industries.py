"""GB/T 4754-2017 industries (国民经济行业分类), read from ``resources/standards/``.

Levels follow from the code (GB/T 4754-2017, 编码方法; shared/DOMAIN.md §4): a capital letter is a
section (门类), 2 digits a division (大类), 3 digits a group (中类), 4 digits a class (小类). A
group belongs to the division of its first 2 digits, a class to the group of its first 3; a
division names its section in the data file, because that is not derivable from the digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ohinspect.resources import load_data_file
from ohinspect.standards.table_file import RowReader, TableFile

RESOURCE = "standards/gbt4754_2017_industries.yaml"
_CODE = re.compile(r"^(?:[A-T]|[0-9]{2,4})$")
_REQUIRED = ("code", "name", "name_en")
_FIELDS = frozenset({"code", "section", "name", "name_en"})

IndustryLevel = Literal["section", "division", "group", "class"]
_LEVELS: dict[int, IndustryLevel] = {1: "section", 2: "division", 3: "group", 4: "class"}


@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    name_en: str
    level: IndustryLevel


def industry_level(code: str) -> IndustryLevel:
    """The level implied by a code's form; ``ValueError`` for anything else."""
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValueError(f"not a GB/T 4754 code: {code!r}")
    return _LEVELS[len(code)]


class IndustryTable:
    """An edition of GB/T 4754 with the tree navigation the forms need."""

    def __init__(self, rows: list[Industry], sections: dict[str, str], meta: dict[str, Any]):
        self._rows = {row.code: row for row in rows}
        self._section_of_division = dict(sections)
        self.meta = meta
        self.edition: str = str(meta.get("edition", ""))
        self.version: str = str(meta.get("version", ""))

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def __iter__(self) -> Iterator[Industry]:
        return iter(sorted(self._rows.values(), key=self._sort_key))

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, code: str) -> Industry | None:
        return self._rows.get(code)

    def by_level(self, level: IndustryLevel) -> list[Industry]:
        return [row for row in self if row.level == level]

    def parent_code(self, code: str) -> str | None:
        """Section for a division, division for a group, group for a class, None for a section."""
        level = industry_level(code)
        if level == "section":
            return None
        if level == "division":
            return self._section_of_division.get(code)
        return code[:-1]

    def section_of(self, code: str) -> Industry | None:
        """The section (门类) a code belongs to, or None if the table cannot tell."""
        if industry_level(code) == "section":
            return self.get(code)
        letter = self._section_of_division.get(code[:2])
        return self.get(letter) if letter else None

    def path(self, code: str) -> list[Industry]:
        """Section → division → group → class down to ``code`` (rows present in the table)."""
        chain: list[Industry] = []
        current: str | None = code
        while current is not None:
            row = self.get(current)
            if row is not None:
                chain.append(row)
            current = self.parent_code(current)
        return chain[::-1]

    def choices(
        self, language: str = "zh_CN", levels: tuple[IndustryLevel, ...] | None = None
    ) -> list[tuple[str, str]]:
        """``(code, "code name")`` pairs in tree order, for a combo box."""
        return [
            (row.code, f"{row.code} {row.name if language == 'zh_CN' else row.name_en}")
            for row in self
            if levels is None or row.level in levels
        ]

    def _sort_key(self, row: Industry) -> tuple[str, str]:
        if row.level == "section":
            return (row.code, "")
        return (self._section_of_division.get(row.code[:2], "~"), row.code)


def load_industries(path: Path | None = None) -> IndustryTable:
    """Load and validate an industry table: the shipped one (cached) unless ``path`` is given."""
    return _FILE.load(path)


def _load(file: Path) -> IndustryTable:
    data = load_data_file(file)
    reader = RowReader(file, "industries")
    rows: list[Industry] = []
    sections: dict[str, str] = {}
    for index, item in reader.rows(data):
        row = _row(reader, index, item)
        reader.check_unique(index, row.code)
        if row.level == "division":
            sections[row.code] = str(item.get("section", ""))
        rows.append(row)
    table = IndustryTable(rows, sections, data["meta"])
    for index, row in enumerate(rows, start=1):
        parent = table.parent_code(row.code)
        if row.level != "section" and (not parent or parent not in table):
            raise reader.fail("standards.row.no_parent", index, row.code, parent=parent or "?")
    return table


def _row(reader: RowReader, index: int, item: Any) -> Industry:
    code = reader.require(index, item, _REQUIRED, _FIELDS)
    reader.check_code(index, item, _CODE, "standards.expect.industry_code")
    level = industry_level(code)
    if level == "division" and not item.get("section"):  # a division names its section (门类)
        raise reader.fail("standards.row.missing", index, code, field="section")
    return Industry(code, str(item["name"]), str(item["name_en"]), level)


_FILE = TableFile(RESOURCE, _load)
