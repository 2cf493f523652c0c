"""Checking one lab result, entered by hand or read from a CSV row, into the values stored:
sample, analyte, value or "<LOD", LOD, unit, method, lab and analysis date."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ohinspect.services.lab_results_units import (_LT, _NOT_DETECTED, MASS_UNITS, UNIT_SPELLINGS,
                                                  UNITS_BY_KIND, analyte_kind, normalise_unit,
                                                  resolve_analyte, sample_volume_l)
from ohinspect.store.models import LabResult, Sample


def _number(text: object) -> float | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        try:
            value = float(unicodedata.normalize("NFKC", str(text)).strip())
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _parse_date(value: date | str | None) -> tuple[date | None, bool]:
    if value is None or value == "":
        return None, True
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text), True
    except ValueError:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])), True
            except ValueError:
                pass
        return None, False


@dataclass
class _Checked:
    clean: dict[str, Any]
    problems: list[FieldProblem]


def _problem(field: str, key: str, **values: object) -> FieldProblem:
    return FieldProblem(field, key, tr(key, **values))


def check_result(sample: Sample | None, analyte_text: str, value: object, below_lod: bool,
           lod: object, unit_text: str, *, method: str = "", lab_sample_id: str = "",
           lab: str = "", analysed_on: date | str | None = None) -> _Checked:
    """Check one result against its sample and the limits table; no database access."""
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {"method": str(method or "").strip(),
                             "lab_sample_id": str(lab_sample_id or "").strip(),
                             "lab": str(lab or "").strip()}
    for field, size in (("lab_sample_id", 60), ("lab", 200)):
        if len(clean[field]) > size:
            problems.append(_problem(field, "field.too_long", max=size))
    if sample is None:
        problems.append(_problem("sample_id", "results.error.sample_unknown"))

    analyte = resolve_analyte(analyte_text)
    kind = analyte_kind(analyte) if analyte else None
    if not str(analyte_text or "").strip():
        problems.append(_problem("analyte", "field.required"))
    elif analyte is None:
        problems.append(_problem("analyte", "results.error.analyte_unknown",
                                 analyte=str(analyte_text).strip()))
    clean["analyte"] = analyte

    # value, "<LOD", LOD
    lod_value: float | None = None
    if lod not in (None, ""):
        lod_value = _number(lod)
        if lod_value is None or lod_value <= 0:
            problems.append(_problem("lod", "results.error.bad_lod", value=str(lod).strip()))
            lod_value = None
    number: float | None = None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text.casefold() in _NOT_DETECTED:
            below_lod = True
        elif (m := _LT.match(text)) is not None:
            below_lod = True
            given = _number(m.group(1))
            if given is None or given <= 0:
                problems.append(_problem("value", "results.error.bad_number", value=text))
            elif lod_value is None:
                lod_value = given
        elif text == "":
            if not below_lod:
                problems.append(_problem("value", "field.required"))
        else:
            number = _number(text)
            if number is None:
                problems.append(_problem("value", "results.error.bad_number", value=text))
    elif value is not None:
        number = _number(value)
        if number is None:
            problems.append(_problem("value", "results.error.bad_number", value=str(value)))
    elif not below_lod:
        problems.append(_problem("value", "field.required"))
    if below_lod and number is not None:     # "below LOD" with a number: the number is the LOD
        lod_value = lod_value if lod_value is not None else number
        number = None
    if number is not None and number < 0:
        problems.append(_problem("value", "results.error.negative"))
    if below_lod and lod_value is None and not any(p.field in ("value", "lod") for p in problems):
        problems.append(_problem("lod", "results.error.lod_required"))
    clean.update(value=None if below_lod else number, below_lod=bool(below_lod), lod=lod_value)

    # unit, for this kind of analyte and this sample
    unit = normalise_unit(unit_text)
    clean["unit"] = unit
    if not str(unit_text or "").strip():
        problems.append(_problem("unit", "field.required"))
    elif unit is None:
        problems.append(_problem("unit", "results.error.unit_unknown", unit=str(unit_text).strip(),
                                 units=", ".join(UNIT_SPELLINGS)))
    elif kind is not None:
        allowed = UNITS_BY_KIND[kind]
        if unit not in allowed:
            problems.append(_problem("unit", "results.error.unit_mismatch", unit=unit,
                                     analyte=analyte, units=", ".join(allowed)))
        elif unit == "ppm" and analyte:
            from ohinspect.standards.limits import load_limits

            limits = load_limits()
            limit = limits.chemical(analyte)
            if limit is None or not limit.molecular_weight or not limits.molar_volume_l:
                problems.append(_problem("unit", "results.error.ppm_without_mw", analyte=analyte))
        elif unit in MASS_UNITS and sample is not None and sample.kind != "blank" \
                and sample_volume_l(sample) is None:
            problems.append(_problem("unit", "results.error.mass_without_volume",
                                     sample=sample.sample_number))
    if unit == "%" and number is not None and number > 100:
        problems.append(_problem("value", "results.error.percent_range"))
    if kind == "silica" and sample is not None and analyte_kind(sample.hazard_code) not in ("dust", "fibre"):
        problems.append(_problem("analyte", "results.error.silica_not_dust",
                                 sample=sample.sample_number))

    day, ok = _parse_date(analysed_on)
    if not ok:
        problems.append(_problem("analysed_on", "results.error.bad_date", value=str(analysed_on)))
    clean["analysed_on"] = day
    return _Checked(clean, problems)


def _same(a: LabResult, clean: Mapping[str, Any]) -> bool:
    return all(getattr(a, k) == clean[k] for k in ("value", "below_lod", "lod", "unit", "method",
                                                    "lab_sample_id", "lab", "analysed_on"))
