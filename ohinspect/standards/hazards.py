"""职业病危害因素分类目录 (国卫疾控发〔2015〕92号), read from ``resources/standards/``.

Six categories with official item counts (dust 52, chemical 375, physical 15, radiological 8,
biological 6, other 3; shared/DOMAIN.md §4). Each factor has a stable project code such as
``chem.benzene``; codes are never reused (withdrawn ones are listed under ``retired_codes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohinspect.errors import DataFileError
from ohinspect.i18n import tr
from ohinspect.resources import load_data_file
from ohinspect.standards.table_file import RowReader, TableFile

RESOURCE = "standards/hazard_catalogue_2015.yaml"
CATEGORY_CODES = ("dust", "chemical", "physical", "radiological", "biological", "other")
_FACTOR_CODE = re.compile(r"^[a-z]+\.[a-z0-9_]+$")
_CAS = re.compile(r"^([0-9]{2,7})-([0-9]{2})-([0-9])$")
_CATEGORY_REQUIRED = ("code", "name_zh", "name_en", "official_count")
_FACTOR_REQUIRED = ("code", "category", "name_zh", "name_en")
_FACTOR_FIELDS = frozenset({*_FACTOR_REQUIRED, "cas", "note"})


@dataclass(frozen=True)
class HazardCategory:
    code: str
    name_zh: str
    name_en: str
    official_count: int


@dataclass(frozen=True)
class HazardFactor:
    code: str
    category: str
    name_zh: str
    name_en: str
    cas: str | None = None
    note: str | None = None

    def name(self, language: str = "zh_CN") -> str:
        return self.name_zh if language == "zh_CN" else self.name_en


def cas_is_valid(cas: str) -> bool:
    """CAS Registry Number form and check digit (digits weighted 1, 2, 3 … from the right)."""
    match = _CAS.match(cas)
    if not match:
        return False
    digits = (match.group(1) + match.group(2))[::-1]
    return sum(i * int(d) for i, d in enumerate(digits, start=1)) % 10 == int(match.group(3))


class HazardCatalogue:
    """One edition of the catalogue (possibly a subset of it)."""

    def __init__(
        self, categories: list[HazardCategory], factors: list[HazardFactor], meta: dict[str, Any]
    ) -> None:
        self._categories = {c.code: c for c in categories}
        self._factors = {f.code: f for f in factors}
        self.meta = meta
        self.edition: str = str(meta.get("edition", ""))
        self.version: str = str(meta.get("version", ""))

    def __contains__(self, code: object) -> bool:
        return code in self._factors

    def __len__(self) -> int:
        return len(self._factors)

    def get(self, code: str) -> HazardFactor | None:
        return self._factors.get(code)

    @property
    def categories(self) -> tuple[HazardCategory, ...]:
        return tuple(self._categories.values())

    @property
    def factors(self) -> tuple[HazardFactor, ...]:
        return tuple(self._factors.values())

    def category(self, code: str) -> HazardCategory | None:
        return self._categories.get(code)

    def by_category(self, category: str) -> tuple[HazardFactor, ...]:
        return tuple(f for f in self._factors.values() if f.category == category)

    def name(self, code: str, language: str = "zh_CN") -> str:
        """The factor's name in ``language`` (``zh_CN`` or ``en``); ``KeyError`` if unknown."""
        return self._factors[code].name(language)

    def find_by_name(self, text: str) -> list[HazardFactor]:
        """Factors whose Chinese or English name contains ``text`` (case-insensitive)."""
        needle = text.strip().casefold()
        if not needle:
            return []
        return [
            f
            for f in self._factors.values()
            if needle in f.name_zh.casefold() or needle in f.name_en.casefold()
        ]


def load_hazard_catalogue(path: Path | None = None) -> HazardCatalogue:
    """Load and validate the catalogue: the shipped one (cached) unless ``path`` is given."""
    return _FILE.load(path)


def _load(file: Path) -> HazardCatalogue:
    data = load_data_file(file)
    categories = _categories(RowReader(file, "categories"), data)
    category_codes = {c.code for c in categories}
    reader = RowReader(file, "factors")
    rows = reader.rows(data)
    retired = {str(c) for c in data.get("retired_codes") or ()}
    factors: list[HazardFactor] = []
    for index, item in rows:
        factor = _factor(reader, index, item, category_codes)
        reader.check_unique(index, factor.code)
        if factor.code in retired:
            raise reader.fail("standards.hazard.retired", index, factor.code)
        factors.append(factor)
    for category in categories:
        count = sum(1 for f in factors if f.category == category.code)
        if count > category.official_count:
            problem = tr(
                "standards.hazard.over_count",
                category=category.code,
                count=count,
                official=category.official_count,
            )
            raise DataFileError(reader.path, problem)
    return HazardCatalogue(categories, factors, data["meta"])


def _categories(reader: RowReader, data: dict[str, Any]) -> list[HazardCategory]:
    result: list[HazardCategory] = []
    for index, item in reader.rows(data):
        code = reader.require(index, item, _CATEGORY_REQUIRED, blank_only=True)  # 0 is a count
        if code not in CATEGORY_CODES or not isinstance(item["official_count"], int):
            expected = tr("standards.expect.category", codes=", ".join(CATEGORY_CODES))
            raise reader.fail("standards.row.bad_code", index, code, expected=expected)
        result.append(
            HazardCategory(code, str(item["name_zh"]), str(item["name_en"]), item["official_count"])
        )
    return result


def _factor(reader: RowReader, index: int, item: Any, categories: set[str]) -> HazardFactor:
    code = reader.require(index, item, _FACTOR_REQUIRED, _FACTOR_FIELDS)
    reader.check_code(index, item, _FACTOR_CODE, "standards.expect.factor_code")
    category = str(item["category"])
    if category not in categories:
        raise reader.fail("standards.hazard.bad_category", index, code, category=category)
    cas = item.get("cas")
    if cas is not None and not (isinstance(cas, str) and cas_is_valid(cas)):
        raise reader.fail("standards.hazard.bad_cas", index, code, cas=cas)
    note = item.get("note")
    return HazardFactor(
        code, category, str(item["name_zh"]), str(item["name_en"]), cas, str(note) if note else None
    )


_FILE = TableFile(RESOURCE, _load)
