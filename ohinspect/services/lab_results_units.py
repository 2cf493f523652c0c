"""Analytes and units of lab results: free silica, the accepted unit spellings and which units
each kind of analyte may have, resolving an analyte's code or name, the volume a mass is divided
by, and a result as text for messages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from ohinspect.store.models import LabResult, Sample

#: pseudo-analyte: the free-SiO₂ content (%) of a dust sample, which picks the silica limit row
FREE_SILICA = "lab.free_silica"
_FREE_SILICA_NAMES = ("游离二氧化硅", "游离sio2", "free silica", "free sio2", "sio2")

#: stored unit codes (the model's vocabulary) and the spellings accepted for each
#: (compared after Unicode NFKC normalisation and case folding: "mg/m³" → "mg/m3", "µg" → "μg")
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "mg/m³": ("mg/m³", "mg/m3", "mg/m^3", "mg/cum", "毫克/立方米"),
    "ug": ("ug", "µg", "μg", "微克"),
    "mg": ("mg", "毫克"),
    "ppm": ("ppm",),
    "f/mL": ("f/ml", "f/cm3", "f/cc", "根/ml", "根/毫升"),
    "%": ("%", "百分比"),
}
_UNIT_LOOKUP = {unicodedata.normalize("NFKC", s).casefold(): code
                for code, spellings in UNIT_SPELLINGS.items() for s in spellings}
#: which units a result may have, by kind of analyte (see docs/results-csv.md)
UNITS_BY_KIND: dict[str, tuple[str, ...]] = {
    "chemical": ("mg/m³", "ug", "mg", "ppm"),
    "dust": ("mg/m³", "ug", "mg"),
    "fibre": ("mg/m³", "ug", "mg", "f/mL"),   # dusts whose limit is also given in fibres/mL
    "silica": ("%",),
}
MASS_UNITS = {"ug": 1.0, "mg": 1000.0}      # → µg
_NOT_DETECTED = {"nd", "n.d.", "未检出", "<lod", "<dl"}
_LT = re.compile(r"^<\s*(.+)$")


def analyte_kind(code: str) -> str | None:
    """chemical | dust | fibre | silica, or None when the code is no lab analyte."""
    if code == FREE_SILICA:
        return "silica"
    from ohinspect.standards.hazards import load_hazard_catalogue

    factor = load_hazard_catalogue().get(code)
    if factor is None or factor.category not in ("chemical", "dust"):
        return None
    if factor.category == "dust":
        return "fibre" if _has_fibre_limit(code) else "dust"
    return "chemical"


def _has_fibre_limit(code: str) -> bool:
    from ohinspect.standards.limits import load_limits

    return any(row.fibre_twa is not None for row in load_limits().dust_bands(code))


def resolve_analyte(text: str) -> str | None:
    """A hazard code (``chem.benzene``), its Chinese or English name (``苯``), or free silica."""
    from ohinspect.standards.hazards import load_hazard_catalogue

    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        return None
    folded = raw.casefold()
    if folded == FREE_SILICA or folded.replace("₂", "2") in _FREE_SILICA_NAMES:
        return FREE_SILICA
    catalogue = load_hazard_catalogue()
    factor = catalogue.get(raw) or catalogue.get(folded)
    if factor is None:
        matches = [f for f in catalogue.factors
                   if unicodedata.normalize("NFKC", f.name_zh) == raw or f.name_en.casefold() == folded]
        factor = matches[0] if len(matches) == 1 else None
    if factor is None or factor.category not in ("chemical", "dust"):
        return None
    return factor.code


def normalise_unit(text: str) -> str | None:
    return _UNIT_LOOKUP.get(unicodedata.normalize("NFKC", str(text or "")).strip().casefold())


def sample_volume_l(sample: Sample) -> float | None:
    """The volume a mass is divided by: the standard volume when one was worked out (sampling
    outside the GBZ 159 temperature/pressure range), else the sampled volume."""
    for v in (sample.standard_volume_l, sample.volume_l):
        if v is not None and v > 0:
            return v
    return None


def describe(result: LabResult | Mapping[str, Any]) -> str:
    """``0.82 mg/m³`` or ``<0.05 ug`` for messages."""
    get = result.get if isinstance(result, Mapping) else lambda k: getattr(result, k)
    unit = "µg" if get("unit") == "ug" else get("unit")
    if get("below_lod"):
        return f"<{_fmt(get('lod'))} {unit}"
    return f"{_fmt(get('value'))} {unit}"


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.6g}"
