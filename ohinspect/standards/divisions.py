"""GB/T 2260 administrative divisions (行政区划代码), read from ``resources/standards/``.

A code is 6 digits in three pairs: province / prefecture / county (GB/T 2260-2007, 代码结构;
shared/DOMAIN.md §4). The parent of a division is derived from its code, never stored; the two
exceptions of the current list (province-administered county-level units with pair ``90``, and the
municipalities' districts) are declared in the data file's ``structure`` block. A jurisdiction is
a division code and covers itself and every code below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ohinspect.resources import load_data_file
from ohinspect.standards.table_file import RowReader, TableFile

RESOURCE = "standards/gbt2260_divisions.yaml"
_CODE = re.compile(r"^[0-9]{6}$")
_REQUIRED = ("code", "name", "name_en")
_FIELDS = frozenset(_REQUIRED)

Level = Literal["province", "prefecture", "county"]


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    name_en: str


class DivisionTable:
    """An edition of the division list with structure-derived navigation."""

    def __init__(
        self,
        rows: list[Division],
        meta: dict[str, Any],
        province_administered_pair: str = "90",
        municipalities: frozenset[str] = frozenset(),
    ) -> None:
        self._rows = {row.code: row for row in rows}
        self.meta = meta
        self.edition: str = str(meta.get("edition", ""))
        self.version: str = str(meta.get("version", ""))
        self._direct_pair = province_administered_pair
        self._municipalities = municipalities

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def __iter__(self) -> Iterator[Division]:
        return iter(sorted(self._rows.values(), key=lambda d: d.code))

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, code: str) -> Division | None:
        return self._rows.get(code)

    def level(self, code: str) -> Level:
        """The level implied by the code's pairs (``ValueError`` if not 6 digits)."""
        _require_code(code)
        if code[2:] == "0000":
            return "province"
        if code[4:] == "00":
            return "prefecture"
        return "county"

    def parent(self, code: str) -> str | None:
        """The parent code by structure: province → None, prefecture → its province, county →
        its prefecture, or its province for pair ``90`` units and municipalities' districts."""
        level = self.level(code)
        province = code[:2] + "0000"
        if level == "province":
            return None
        if level == "prefecture":
            return province
        if code[2:4] == self._direct_pair or province in self._municipalities:
            return province
        return code[:4] + "00"

    def ancestors(self, code: str) -> list[str]:
        """Codes from the province down to ``code`` itself."""
        chain = [code]
        while (up := self.parent(chain[-1])) is not None:
            chain.append(up)
        return chain[::-1]

    def full_name(self, code: str, language: str = "zh_CN") -> str:
        """``甘肃省庆阳市合水县`` in Chinese; ``Heshui County, Qingyang, Gansu Province`` in
        English. ``KeyError`` if ``code`` is not in the table; absent ancestors are skipped."""
        if code not in self._rows:
            raise KeyError(code)
        rows = [self._rows[c] for c in self.ancestors(code) if c in self._rows]
        if language == "zh_CN":
            return "".join(row.name for row in rows)
        return ", ".join(row.name_en for row in reversed(rows))

    def children(self, code: str) -> list[Division]:
        """The rows whose parent is ``code``, in code order."""
        return [row for row in self if self.parent(row.code) == code]

    def covers(self, jurisdiction: str, code: str) -> bool:
        """Whether ``code`` is ``jurisdiction`` or lies below it, judged by code structure."""
        level = self.level(jurisdiction)
        _require_code(code)
        prefix = {"province": 2, "prefecture": 4, "county": 6}[level]
        return code[:prefix] == jurisdiction[:prefix]

    def search(self, text: str) -> list[Division]:
        """Rows whose code starts with ``text`` or whose name / English name contains it."""
        needle = text.strip().casefold()
        if not needle:
            return []
        return [
            row
            for row in self
            if row.code.startswith(needle)
            or needle in row.name.casefold()
            or needle in row.name_en.casefold()
        ]


def load_divisions(path: Path | None = None) -> DivisionTable:
    """Load and validate a division table: the shipped one (cached) unless ``path`` is given."""
    return _FILE.load(path)


def _load(file: Path) -> DivisionTable:
    data = load_data_file(file)
    structure = data.get("structure") or {}
    pair = str(structure.get("province_administered_pair", "90"))
    municipalities = frozenset(str(c) for c in structure.get("municipalities", ()))
    reader = RowReader(file, "divisions")
    rows = [_row(reader, index, item) for index, item in reader.rows(data)]
    table = DivisionTable(rows, data["meta"], pair, municipalities)
    for index, row in enumerate(rows, start=1):
        reader.check_unique(index, row.code)
        parent = table.parent(row.code)
        if parent is not None and parent not in table:
            raise reader.fail("standards.row.no_parent", index, row.code, parent=parent)
    return table


def _row(reader: RowReader, index: int, item: Any) -> Division:
    code = reader.require(index, item, _REQUIRED, _FIELDS)
    reader.check_code(index, item, _CODE, "standards.expect.division_code")
    return Division(code, str(item["name"]), str(item["name_en"]))


_FILE = TableFile(RESOURCE, _load)


def _require_code(code: str) -> None:
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValueError(f"not a 6-digit division code: {code!r}")
