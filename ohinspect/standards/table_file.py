"""The row-reading machinery shared by the standards tables under ``resources/standards/``.

Each table (GB/T 2260 divisions, GB/T 4754-2017 industries, the 2015 hazard catalogue) is a data
file holding one or more sections, each a list of ``key: value`` rows with a ``code``. A
``RowReader`` checks the rows of one section and builds ``DataFileError``s that name the file,
the section, the 1-based row and its code; a ``TableFile`` loads a table from the shipped file
(read once, then cached) or from a file the caller names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from ohinspect.errors import DataFileError
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir

T = TypeVar("T")


class TableFile(Generic[T]):
    """A table read from ``resources/<resource>`` by ``parse``, or from any file ``parse`` is given."""

    def __init__(self, resource: str, parse: Callable[[Path], T]) -> None:
        self.resource = resource
        self._parse = parse
        self._shipped = lru_cache(maxsize=1)(self._load_shipped)

    def load(self, path: Path | str | None = None) -> T:
        """The shipped table (cached) unless ``path`` is given."""
        return self._shipped() if path is None else self._parse(Path(path))

    def _load_shipped(self) -> T:
        return self._parse(resources_dir() / self.resource)


class RowReader:
    """Checks the rows of the section ``section`` of the data file ``path``."""

    def __init__(self, path: Path | str, section: str) -> None:
        self.path = str(path)
        self.section = section
        self._seen: set[str] = set()

    def rows(self, data: Mapping[str, Any]) -> Iterator[tuple[int, Any]]:
        """``(row number, raw row)`` pairs of the section; an error if it is missing or empty."""
        raw = data.get(self.section)
        if not isinstance(raw, list) or not raw:
            raise DataFileError(self.path, tr("standards.rows.missing", section=self.section))
        return enumerate(raw, start=1)

    def fail(self, key: str, index: int, code: str, **values: object) -> DataFileError:
        """The error ``key`` about row ``index`` (code ``code``) of this section, to raise."""
        return DataFileError(
            self.path, tr(key, section=self.section, row=index, code=code, **values)
        )

    def require(
        self,
        index: int,
        item: object,
        fields: tuple[str, ...],
        allowed: Collection[str] | None = None,
        *,
        blank_only: bool = False,
    ) -> str:
        """Check that row ``index`` is a mapping, has no field outside ``allowed`` (unless that
        is None) and has every one of ``fields``, in that order; return its code as text.

        A field is missing when its value is falsy, or with ``blank_only`` only when it is
        absent, null or ``""`` (so that ``0`` counts as a value)."""
        if not isinstance(item, dict):
            raise self.fail("standards.row.not_mapping", index, "?")
        code = str(item.get("code", ""))
        if allowed is not None:
            extra = sorted(set(map(str, item)) - set(allowed))
            if extra:
                raise self.fail("standards.row.unknown_field", index, code, field=extra[0])
        for field in fields:
            value = item.get(field)
            if value in (None, "") if blank_only else not value:
                raise self.fail("standards.row.missing", index, code, field=field)
        return code

    def check_code(
        self, index: int, item: Mapping[str, Any], pattern: re.Pattern[str], expected_key: str
    ) -> str:
        """Check that the row's ``code`` is text matching ``pattern``; the error says what was
        expected by the message ``expected_key``. Returns the code."""
        code = item["code"]
        if not isinstance(code, str) or not pattern.match(code):
            raise self.fail("standards.row.bad_code", index, str(code), expected=tr(expected_key))
        return code

    def check_unique(self, index: int, code: str) -> None:
        """Reject a code already passed to this method for an earlier row of the section."""
        if code in self._seen:
            raise self.fail("standards.row.duplicate", index, code)
        self._seen.add(code)
