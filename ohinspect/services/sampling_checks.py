"""The field checks of the sampling record (S1): the data of
``resources/standards/sampling_field_checks.yaml`` and a small form reader that turns what a
screen supplies (numbers as text with or without a unit, times as text) into clean values while
collecting one :class:`FieldProblem` per bad field.

A number with a recognised but wrong unit ("1013 hPa", "200 mL/min", "293 K") is refused with
the converted value in the message, never converted silently; a bare number outside the
physical range names the range and, when a wrong unit would explain it, the converted value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from ohinspect.errors import DataFileError, FieldProblem
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource

RESOURCE = "standards/sampling_field_checks.yaml"
_NUMBER = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*(.*)$")
_TIME_ONLY = re.compile(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$")


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    unit: str
    low_exclusive: bool = False

    def contains(self, value: float) -> bool:
        above = value > self.low if self.low_exclusive else value >= self.low
        return above and value <= self.high


@dataclass(frozen=True)
class ForeignUnit:
    unit: str
    factor: float
    offset: float

    def convert(self, value: float) -> float:
        return value * self.factor + self.offset


@dataclass(frozen=True)
class FieldChecks:
    ranges: Mapping[str, Range]
    accepted_units: Mapping[str, tuple[str, ...]]
    foreign_units: Mapping[str, tuple[ForeignUnit, ...]]
    sample_kinds: tuple[str, ...]
    blank_kind: str
    dust_fractions: tuple[str, ...]
    air_categories: tuple[str, ...]
    noise_methods: tuple[str, ...]
    noise_readings: Mapping[str, tuple[int, int]]
    calibrator_drift_max_db: float
    task_format: str
    task_prefix: str
    device_chars: int
    sample_format: str
    blank_suffix: str
    carry: tuple[str, ...]
    skip_blanks: bool
    first_kind: str


def _malformed(problem: str) -> DataFileError:
    return DataFileError(str(resources_dir() / RESOURCE), problem)


@lru_cache(maxsize=1)
def load_field_checks() -> FieldChecks:
    data: dict[str, Any] = load_resource(RESOURCE)
    try:
        ranges = {str(k): Range(float(v["min"]), float(v["max"]), str(v.get("unit", "")),
                                bool(v.get("min_exclusive", False)))
                  for k, v in data["ranges"].items()}
        units = data["units"]
        accepted = {str(k): tuple(unicodedata.normalize("NFKC", str(u)) for u in v["accepted"])
                    for k, v in units.items()}
        foreign = {str(k): tuple(ForeignUnit(unicodedata.normalize("NFKC", str(f["unit"])),
                                             float(f["factor"]), float(f.get("offset", 0)))
                                 for f in v.get("foreign") or ())
                   for k, v in units.items()}
        numbering, defaults = data["numbering"], data["defaults"]
        checks = FieldChecks(
            ranges=ranges, accepted_units=accepted, foreign_units=foreign,
            sample_kinds=tuple(str(k) for k in data["sample_kinds"]),
            blank_kind=str(data["blank_kind"]),
            dust_fractions=tuple(str(f) for f in data["dust_fractions"]),
            air_categories=tuple(str(c) for c in data["air_categories"]),
            noise_methods=tuple(str(m) for m in data["noise_methods"]),
            noise_readings={str(k): (int(v["min"]), int(v["max"]))
                            for k, v in data["noise_readings"].items()},
            calibrator_drift_max_db=float(data["calibrator_drift_max_db"]),
            task_format=str(numbering["task_format"]), task_prefix=str(numbering["prefix"]),
            device_chars=int(numbering["device_chars"]),
            sample_format=str(numbering["sample_format"]),
            blank_suffix=str(numbering["blank_suffix"]),
            carry=tuple(str(f) for f in defaults["carry"]),
            skip_blanks=bool(defaults["skip_blanks"]), first_kind=str(defaults["first_kind"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _malformed(f"malformed: {exc!r}") from exc
    if checks.blank_kind not in checks.sample_kinds or checks.first_kind not in checks.sample_kinds:
        raise _malformed("blank_kind and defaults.first_kind must be among sample_kinds")
    if set(checks.noise_methods) - set(checks.noise_readings):
        raise _malformed("noise_readings needs a row for every noise method")
    for r in checks.ranges.values():
        if r.low > r.high:
            raise _malformed(f"range {r} has min above max")
    return checks


def fmt(value: float, digits: int = 3) -> str:
    """A number as a person writes it: at most ``digits`` decimals, no trailing zeros."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def field_label(name: str) -> str:
    return tr(f"sampling.field.{name}")


class Form:
    """Reads the fields of one form, collecting every problem (nothing raises here)."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []
        self.checks = load_field_checks()

    def add(self, field: str, key: str, /, *, overridable: bool = False,
            **values: object) -> None:
        self.problems.append(FieldProblem(field, key, tr(key, **values), overridable))

    def has(self, field: str) -> bool:
        return any(p.field == field for p in self.problems)

    # ---------------------------------------------------------------- text

    def text(self, field: str, value: object, limit: int | None = None, *,
             required: bool = False) -> str:
        clean = str(value or "").strip()
        if required and not clean:
            self.add(field, "field.required")
        if limit is not None and len(clean) > limit:
            self.add(field, "field.too_long", max=limit)
        return clean

    # ---------------------------------------------------------------- numbers

    def number(self, field: str, value: object, range_key: str, *, required: bool = False,
               units: str | None = None) -> float | None:
        """A number in the range ``range_key``; ``units`` names the unit list (default: the
        range key) used when the value is text with a unit."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(field, "field.required")
            return None
        rng = self.checks.ranges[range_key]
        unit_key = units or range_key
        if isinstance(value, bool):
            self.add(field, "sampling.error.not_a_number", value=value)
            return None
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
            match = _NUMBER.match(text)
            if not match:
                self.add(field, "sampling.error.not_a_number", value=value)
                return None
            number, unit = float(match.group(1)), match.group(2).strip()
            if unit and unit not in self.checks.accepted_units.get(unit_key, ()):
                wrong = next((f for f in self.checks.foreign_units.get(unit_key, ())
                              if f.unit == unit), None)
                if wrong is not None:
                    self.add(field, "sampling.error.unit_foreign", value=fmt(number), unit=unit,
                             converted=fmt(wrong.convert(number), 2), expected=rng.unit)
                else:
                    self.add(field, "sampling.error.unit_unknown", unit=unit, expected=rng.unit)
                return None
        if number != number or number in (float("inf"), float("-inf")):
            self.add(field, "sampling.error.not_a_number", value=value)
            return None
        if rng.contains(number):
            return number
        if rng.low_exclusive and number <= rng.low:
            self.add(field, "sampling.error.not_positive", label=field_label(field),
                     value=fmt(number), unit=rng.unit, low=fmt(rng.low))
            return None
        hints: dict[str, str] = {}  # converted value → hint (hPa and mbar give the same)
        for f in self.checks.foreign_units.get(unit_key, ()):
            converted = fmt(f.convert(number), 2)
            if rng.contains(f.convert(number)) and converted not in hints:
                hints[converted] = tr("sampling.hint.unit", unit=f.unit, converted=converted,
                                      expected=rng.unit)
        self.add(field, "sampling.error.out_of_range", label=field_label(field),
                 value=fmt(number), low=fmt(rng.low), high=fmt(rng.high), unit=rng.unit,
                 hint="".join(hints.values()))
        return None

    def integer(self, field: str, value: object, *, minimum: int = 0) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip()
            number = int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else None
        if number is None:
            self.add(field, "field.not_integer")
        elif number < minimum:
            self.add(field, "sampling.error.integer_min", minimum=minimum)
            number = None
        return number

    # ---------------------------------------------------------------- dates and times

    def day(self, field: str, value: date | str | None) -> date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("/", "-").replace(".", "-")
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.add(field, "sampling.error.date_invalid", value=value)
            return None

    def moment(self, field: str, value: datetime | str | None,
               base: date | None = None) -> datetime | None:
        """A timezone-aware time; naive values are local time; "08:30" is on ``base``."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo is not None else value.astimezone()
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("/", "-")
        match = _TIME_ONLY.match(text)
        try:
            if match:
                if base is None:
                    raise ValueError(text)
                clock = time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
                return datetime.combine(base, clock).astimezone()
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.add(field, "sampling.error.time_invalid", value=value)
            return None
        return parsed if parsed.tzinfo is not None else parsed.astimezone()


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()
