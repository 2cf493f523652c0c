"""Occupational exposure limits and the rules for judging exposure against them, read from
``resources/standards/`` (shared/DOMAIN.md §3).

- GBZ 2.1-2019 《工作场所有害因素职业接触限值 第1部分：化学有害因素》: Table 1 chemical
  substances (``gbz2_1_2019_chemicals.yaml``) with 第1号修改单 (2022: benzene PC-TWA 6 → 3,
  PC-STEL 10 → 6 mg/m³) and 第2号修改单 (in force 2025-05-01: acetochlor PC-TWA 0.12 mg/m³);
  Table 2 dusts (``gbz2_1_2019_dusts.yaml``); chapter 6, the application of the limits and the
  peak-exposure rule (峰接触浓度, replacing the excursion multiple 超限倍数) as data
  (``gbz2_1_2019_judgement.yaml``), with the action level and exposure grades
  (``exposure_grading.yaml``).
- GBZ 2.2-2007 《… 第2部分：物理因素》: noise (``gbz2_2_2007_physical.yaml``).

Every row and value says how sure it is: ``verified`` is True for values confirmed by a
secondary source (DOMAIN's [C*]; none is yet checked against the official text) and False for
DOMAIN's [U]; rule values carry a tag ``C`` / ``C*`` / ``U`` and the [U] ones are listed in
``unverified``. This module only reads and validates; the arithmetic is ``ohinspect.hygiene``'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohinspect.errors import DataFileError
from ohinspect.i18n import current_language, tr
from ohinspect.paths import resources_dir
from ohinspect.resources import load_data_file
from ohinspect.standards.hazards import cas_is_valid
from ohinspect.standards.table_file import RowReader, TableFile

CHEMICALS_FILE = "gbz2_1_2019_chemicals.yaml"
DUSTS_FILE = "gbz2_1_2019_dusts.yaml"
JUDGEMENT_RESOURCE = "standards/gbz2_1_2019_judgement.yaml"
GRADING_RESOURCE = "standards/exposure_grading.yaml"
NOISE_RESOURCE = "standards/gbz2_2_2007_physical.yaml"

TAGS = ("C", "C*", "U")
BELOW_LOD_POLICIES = ("half_lod", "lod", "zero", "not_judged")

_CHEM_CODE = re.compile(r"^chem\.[a-z0-9_]+$")
_DUST_CODE = re.compile(r"^dust\.[a-z0-9_]+$")
_FORM = re.compile(r"^[a-z0-9_]+$")
_NAMES = ("code", "name_zh", "name_en")
_CHEM_FIELDS = frozenset({
    *_NAMES, "form", "form_zh", "form_en", "cas", "mac", "pc_twa", "pc_stel", "unit", "notes",
    "molecular_weight", "source_rev", "verified", "remark",
})
_DUST_FIELDS = frozenset({
    *_NAMES, "cas", "total_twa", "respirable_twa", "fibre_twa", "silica_min", "silica_max",
    "notes", "source_rev", "verified", "remark",
})


# ---------------------------------------------------------------- records


def _pick(zh: str, en: str, language: str | None) -> str:
    return zh if (language or current_language()) == "zh_CN" else en


@dataclass(frozen=True)
class ChemicalLimit:
    """One row of GBZ 2.1-2019 Table 1 (mg/m³). A substance has either a MAC or a PC-TWA (with or
    without a PC-STEL); ``notes`` hold 皮 (skin), 敏 (sensitiser) and the carcinogen class (G1,
    G2A, G2B) as GBZ 2.1 marks them. Sub-entries judged separately (铅尘 / 铅烟) are rows of the
    same ``code`` with their own ``form``."""

    code: str
    name_zh: str
    name_en: str
    cas: str | None
    mac: float | None
    pc_twa: float | None
    pc_stel: float | None
    unit: str
    notes: tuple[str, ...]
    molecular_weight: float | None
    source_rev: str
    verified: bool
    form: str | None = None
    form_zh: str = ""
    form_en: str = ""
    remark: str = ""
    superseded_by: str | None = None

    @property
    def kind(self) -> str:
        """Which judgement of GBZ 2.1-2019 ch. 6 applies: ``"mac"`` (C_ME ≤ MAC),
        ``"twa_stel"`` (C_TWA ≤ PC-TWA and C_STE ≤ PC-STEL) or ``"twa_only"`` (C_TWA ≤ PC-TWA and
        the peak-exposure rule)."""
        if self.mac is not None:
            return "mac"
        return "twa_stel" if self.pc_stel is not None else "twa_only"

    @property
    def skin(self) -> bool:
        return "皮" in self.notes

    @property
    def sensitiser(self) -> bool:
        return "敏" in self.notes

    @property
    def carcinogen_class(self) -> str | None:
        return next((n for n in self.notes if n.startswith("G")), None)

    def name(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the current one), with the form if any."""
        base = _pick(self.name_zh, self.name_en, language)
        if not self.form:
            return base
        form = _pick(self.form_zh, self.form_en, language)
        return f"{base}（{form}）" if (language or current_language()) == "zh_CN" else f"{base} ({form})"


@dataclass(frozen=True)
class DustLimit:
    """One row of GBZ 2.1-2019 Table 2: PC-TWA of total dust (总尘) and respirable dust (呼尘),
    mg/m³, and for asbestos also as fibres (f/mL). ``silica_min``/``silica_max`` give the band of
    free SiO₂ (%) the row applies to: ``silica_min ≤ x < silica_max`` (None = open end)."""

    code: str
    name_zh: str
    name_en: str
    total_twa: float | None
    respirable_twa: float | None
    silica_min: float | None
    silica_max: float | None
    source_rev: str
    verified: bool
    fibre_twa: float | None = None
    cas: str | None = None
    notes: tuple[str, ...] = ()
    remark: str = ""

    def covers(self, silica_percent: float) -> bool:
        """Whether this row's free-SiO₂ band holds ``silica_percent`` (lower edge included,
        upper edge excluded)."""
        low = 0.0 if self.silica_min is None else self.silica_min
        return low <= silica_percent and (self.silica_max is None or silica_percent < self.silica_max)

    def name(self, language: str | None = None) -> str:
        return _pick(self.name_zh, self.name_en, language)


# ---------------------------------------------------------------- the table


class LimitsTable:
    """GBZ 2.1-2019 Tables 1 and 2 (possibly subsets), as amended."""

    def __init__(
        self,
        chemicals: Iterable[ChemicalLimit],
        dusts: Iterable[DustLimit],
        superseded: Iterable[ChemicalLimit],
        meta: Mapping[str, Any],
        dust_meta: Mapping[str, Any] | None = None,
    ) -> None:
        self._chemicals: dict[str, list[ChemicalLimit]] = {}
        for limit in chemicals:
            self._chemicals.setdefault(limit.code, []).append(limit)
        self._dusts: dict[str, list[DustLimit]] = {}
        for dust in dusts:
            self._dusts.setdefault(dust.code, []).append(dust)
        self._superseded: dict[str, list[ChemicalLimit]] = {}
        for old in superseded:
            self._superseded.setdefault(old.code, []).append(old)
        self.meta = dict(meta)
        self.dust_meta = dict(dust_meta or {})
        self.edition: str = str(self.meta.get("edition", ""))
        conversion = self.meta.get("ppm_conversion") or {}
        volume = conversion.get("molar_volume_l_per_mol") if isinstance(conversion, dict) else None
        #: L/mol for ppm ↔ mg/m³ (24.45 at 25 ℃, 101.3 kPa in the shipped file); None = not stated
        self.molar_volume_l: float | None = float(volume) if _is_number(volume) else None

    def chemical(self, code: str, form: str | None = None) -> ChemicalLimit | None:
        """The limit of substance ``code`` (GBZ 2.1-2019 Table 1, as amended).

        A substance listed in several forms (铅 ``dust`` / ``fume``) needs ``form``: without it
        the result is None unless only one form is listed (一氧化碳 ``non_high_altitude``). None
        also when the code (or that form) is not in the table."""
        rows = self._chemicals.get(code, [])
        if form is not None:
            return next((r for r in rows if r.form == form), None)
        plain = [r for r in rows if r.form is None]
        if plain:
            return plain[0]
        return rows[0] if len(rows) == 1 else None

    def forms(self, code: str) -> tuple[ChemicalLimit, ...]:
        """Every row of substance ``code`` (one per form), in file order."""
        return tuple(self._chemicals.get(code, ()))

    def chemicals(self) -> tuple[ChemicalLimit, ...]:
        return tuple(r for rows in self._chemicals.values() for r in rows)

    def superseded(self, code: str) -> tuple[ChemicalLimit, ...]:
        """Earlier limits of ``code`` replaced by an amendment (e.g. benzene 6 / 10 of the 2019
        text, replaced by 第1号修改单), for reports made before the change."""
        return tuple(self._superseded.get(code, ()))

    def dust(self, code: str, silica_percent: float | None) -> DustLimit | None:
        """The limit of dust ``code`` for free-SiO₂ content ``silica_percent`` (%).

        Band edges: a row applies when ``silica_min ≤ x < silica_max`` (GBZ 2.1-2019 Table 2;
        an edge value goes to the higher-silica, stricter band: 矽尘 10 ≤ x < 50, 50 ≤ x < 80,
        x ≥ 80; 煤尘 x < 10). None when no row of the code covers the content (e.g. 矽尘 below
        10 %, 煤尘 at 10 % or more: judge it as 矽尘). Without a content (None) the single row of
        a code is returned, and None for a code with several bands. ``ValueError`` when the
        content is outside 0–100 %."""
        rows = self._dusts.get(code, [])
        if silica_percent is None:
            return rows[0] if len(rows) == 1 else None
        if not _is_number(silica_percent) or not 0 <= silica_percent <= 100:
            raise ValueError(tr("limits.arg.silica", value=silica_percent))
        return next((r for r in rows if r.covers(float(silica_percent))), None)

    def dust_bands(self, code: str) -> tuple[DustLimit, ...]:
        """Every row of dust ``code`` (one per free-SiO₂ band), in file order."""
        return tuple(self._dusts.get(code, ()))

    def dusts(self) -> tuple[DustLimit, ...]:
        return tuple(r for rows in self._dusts.values() for r in rows)

    def codes(self) -> set[str]:
        """Every hazard-factor code with a limit (chemicals and dusts)."""
        return set(self._chemicals) | set(self._dusts)

    def ppm_to_mg_m3(self, limit: ChemicalLimit, ppm: float) -> float | None:
        """``ppm × M / V_m`` with the file's molar volume (24.45 L/mol, 25 ℃, 101.3 kPa); None
        when the substance has no molecular weight for conversion."""
        if limit.molecular_weight is None or self.molar_volume_l is None:
            return None
        return ppm * limit.molecular_weight / self.molar_volume_l


def load_limits(path: Path | str | None = None) -> LimitsTable:
    """GBZ 2.1-2019 chemical and dust limits: the shipped files (cached) unless ``path`` is given.

    ``path`` is a folder holding ``gbz2_1_2019_chemicals.yaml`` and ``gbz2_1_2019_dusts.yaml``,
    or one file with a ``chemicals`` and/or a ``dusts`` section. A malformed row raises
    ``DataFileError`` naming the file, section and row."""
    return _LIMITS.load(path)


def _load_limits(path: Path) -> LimitsTable:
    if path.is_dir():
        chem_file, dust_file = path / CHEMICALS_FILE, path / DUSTS_FILE
        chem_data, dust_data = load_data_file(chem_file), load_data_file(dust_file)
        chemicals, superseded = _chemicals(chem_file, chem_data)
        dusts = _dusts(dust_file, dust_data)
        return LimitsTable(chemicals, dusts, superseded, chem_data["meta"], dust_data["meta"])
    data = load_data_file(path)
    if "chemicals" not in data and "dusts" not in data:
        raise DataFileError(str(path), tr("standards.rows.missing", section="chemicals / dusts"))
    chemicals, superseded = _chemicals(path, data) if "chemicals" in data else ([], [])
    dusts = _dusts(path, data) if "dusts" in data else []
    return LimitsTable(chemicals, dusts, superseded, data["meta"], data["meta"])


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


def _chemicals(path: Path, data: Mapping[str, Any]) -> tuple[list[ChemicalLimit], list[ChemicalLimit]]:
    meta = data["meta"]
    context = _RowContext(
        revisions=_revisions(path, meta),
        notes=_text_list(path, meta, "note_codes"),
        units=_text_list(path, meta, "units"),
    )
    reader = RowReader(path, "chemicals")
    current = [_chemical(reader, i, item, context) for i, item in reader.rows(data)]
    old_reader = RowReader(path, "superseded")
    old: list[ChemicalLimit] = []
    if data.get("superseded"):
        for index, item in old_reader.rows(data):
            old.append(_chemical(old_reader, index, item, context, superseded=True))
    return current, old


def _chemical(
    reader: RowReader, index: int, item: Any, ctx: _RowContext, *, superseded: bool = False
) -> ChemicalLimit:
    allowed = _CHEM_FIELDS | {"superseded_by"} if superseded else _CHEM_FIELDS
    code = reader.require(index, item, (*_NAMES, "unit", "source_rev"), allowed)
    if not isinstance(item["code"], str) or not _CHEM_CODE.match(item["code"]):
        raise reader.fail("standards.row.bad_code", index, code, expected=tr("limits.expect.chem_code"))
    form = item.get("form")
    if form is not None:
        if not isinstance(form, str) or not _FORM.match(form):
            raise reader.fail("limits.row.bad_form", index, code, form=form)
        for field in ("form_zh", "form_en"):
            if not item.get(field):
                raise reader.fail("standards.row.missing", index, code, field=field)
    key = f"{code}/{form}" if form else code
    if not superseded:
        reader.check_unique(index, key)
    cas = _cas(reader, index, code, item)
    mac, twa, stel = (_number(reader, index, code, item, f) for f in ("mac", "pc_twa", "pc_stel"))
    if mac is None and twa is None and stel is None:
        raise reader.fail("limits.row.no_limit", index, code)
    if mac is not None and (twa is not None or stel is not None):
        raise reader.fail("limits.row.mac_and_twa", index, code)
    if stel is not None and (twa is None or stel < twa):
        raise reader.fail("limits.row.stel", index, code)
    unit = str(item["unit"])
    if ctx.units and unit not in ctx.units:
        raise reader.fail("limits.row.bad_value", index, code, field="unit", value=unit,
                          expected=", ".join(ctx.units))
    superseded_by = None
    if superseded:
        superseded_by = item.get("superseded_by")
        if superseded_by not in ctx.revisions:
            raise reader.fail("limits.row.bad_value", index, code, field="superseded_by",
                              value=superseded_by, expected=", ".join(sorted(ctx.revisions)))
    return ChemicalLimit(
        code=code,
        name_zh=str(item["name_zh"]),
        name_en=str(item["name_en"]),
        cas=cas,
        mac=mac,
        pc_twa=twa,
        pc_stel=stel,
        unit=unit,
        notes=_notes(reader, index, code, item, ctx.notes),
        molecular_weight=_number(reader, index, code, item, "molecular_weight"),
        source_rev=_source_rev(reader, index, code, item, ctx.revisions),
        verified=_verified(reader, index, code, item),
        form=form,
        form_zh=str(item.get("form_zh") or ""),
        form_en=str(item.get("form_en") or ""),
        remark=str(item.get("remark") or ""),
        superseded_by=superseded_by,
    )


def _dusts(path: Path, data: Mapping[str, Any]) -> list[DustLimit]:
    meta = data["meta"]
    ctx = _RowContext(revisions=_revisions(path, meta), notes=_text_list(path, meta, "note_codes"))
    reader = RowReader(path, "dusts")
    result: list[DustLimit] = []
    for index, item in reader.rows(data):
        code = reader.require(index, item, (*_NAMES, "source_rev"), _DUST_FIELDS)
        if not isinstance(item["code"], str) or not _DUST_CODE.match(item["code"]):
            raise reader.fail("standards.row.bad_code", index, code,
                              expected=tr("limits.expect.dust_code"))
        total, respirable, fibre = (
            _number(reader, index, code, item, f) for f in ("total_twa", "respirable_twa", "fibre_twa")
        )
        if total is None and respirable is None and fibre is None:
            raise reader.fail("limits.row.no_limit", index, code)
        low, high = (_number(reader, index, code, item, f, zero=True)
                     for f in ("silica_min", "silica_max"))
        if (low is not None and low > 100) or (high is not None and high > 100) or (
                low is not None and high is not None and low >= high):
            raise reader.fail("limits.row.bad_band", index, code, low=low, high=high)
        dust = DustLimit(
            code=code,
            name_zh=str(item["name_zh"]),
            name_en=str(item["name_en"]),
            total_twa=total,
            respirable_twa=respirable,
            silica_min=low,
            silica_max=high,
            source_rev=_source_rev(reader, index, code, item, ctx.revisions),
            verified=_verified(reader, index, code, item),
            fibre_twa=fibre,
            cas=_cas(reader, index, code, item),
            notes=_notes(reader, index, code, item, ctx.notes),
            remark=str(item.get("remark") or ""),
        )
        for other in result:
            if other.code == code and _overlap(other, dust):
                raise reader.fail("limits.row.overlap", index, code, low=low, high=high)
        result.append(dust)
    return result


def _overlap(a: DustLimit, b: DustLimit) -> bool:
    def bounds(d: DustLimit) -> tuple[float, float]:
        return (d.silica_min or 0.0, math.inf if d.silica_max is None else d.silica_max)

    (a_low, a_high), (b_low, b_high) = bounds(a), bounds(b)
    return a_low < b_high and b_low < a_high


# ---------------------------------------------------------------- row helpers


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


# ---------------------------------------------------------------- tagged values


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


# ---------------------------------------------------------------- judgement rules


@dataclass(frozen=True)
class ReductionFactorRule:
    """Constants of RF = (reference_hours / h) × (period_hours − h) / recovery_hours, applied to
    PC-TWA when the exposure h exceeds reference_hours (GBZ 2.1-2019; formula [U])."""

    reference_hours: float
    period_hours: float
    recovery_hours: float


@dataclass(frozen=True)
class JudgementRules:
    """GBZ 2.1-2019 ch. 6 as data: the peak-exposure rule for PC-TWA-only substances and dusts
    (excursions above ``excursion_multiple`` × PC-TWA at most ``excursion_max_minutes`` each, at
    most ``excursion_max_count`` a shift, at least ``excursion_min_gap_hours`` apart, never above
    ``ceiling_multiple`` × PC-TWA), the C_STE window, plus the action level and exposure grades
    of ``exposure_grading.yaml``. ``grades`` are ``(upper ratio, code, label_zh)`` with
    inclusive upper bounds, the last one ``math.inf``.

    The fields after ``grades`` have defaults only so that rules can be built by hand in tests;
    ``load_judgement_rules`` sets every one of them from the files."""

    excursion_multiple: float
    excursion_max_minutes: float
    excursion_max_count: int
    excursion_min_gap_hours: float
    ceiling_multiple: float
    stel_window_minutes: float
    action_level: float
    grades: tuple[tuple[float, str, str], ...]
    rf_day: ReductionFactorRule | None = None
    rf_week: ReductionFactorRule | None = None
    #: how a "< LOD" result enters a calculation: half_lod | lod | zero | not_judged ([U])
    below_lod_policy: str = "half_lod"
    shift_hours: float = 8.0
    week_hours: float = 40.0
    #: C_STE of a sample shorter than the window is still divided by the window ([U] formula)
    divide_by_stel_window: bool = True
    grade_labels_en: tuple[tuple[str, str], ...] = ()
    #: dotted keys of the values tagged [U] in the files
    unverified: tuple[str, ...] = ()

    def grade_label(self, code: str, language: str | None = None) -> str:
        """The label of grade ``code`` in ``language`` (default: the current one)."""
        zh = next((label for _, c, label in self.grades if c == code), code)
        en = dict(self.grade_labels_en).get(code, zh)
        return _pick(zh, en, language)


def load_judgement_rules(
    path: Path | str | None = None, grading_path: Path | str | None = None
) -> JudgementRules:
    """The judgement rules (``gbz2_1_2019_judgement.yaml``) with the action level and grades
    (``exposure_grading.yaml``): the shipped files (cached) unless paths are given; a file that
    is not given is the shipped one."""
    if path is None and grading_path is None:
        return _JUDGEMENT.load()
    return _load_judgement(
        Path(path) if path is not None else resources_dir() / JUDGEMENT_RESOURCE,
        Path(grading_path) if grading_path is not None else resources_dir() / GRADING_RESOURCE,
    )


def _load_judgement(path: Path, grading_path: Path | None = None) -> JudgementRules:
    if grading_path is None:
        grading_path = resources_dir() / GRADING_RESOURCE
    values = TaggedValues(path, load_data_file(path))
    rf: dict[str, ReductionFactorRule] = {}
    for period in ("day", "week"):
        key = f"reduction_factor.{period}"
        rf[period] = ReductionFactorRule(
            values.number(f"{key}.reference_hours"),
            values.number(f"{key}.period_hours"),
            values.number(f"{key}.recovery_hours"),
        )
        if rf[period].period_hours <= rf[period].reference_hours:
            raise values.fail(f"{key}.period_hours", "> reference_hours")
    allowed = values.node("below_lod.allowed")
    if not isinstance(allowed, list) or not set(allowed) <= set(BELOW_LOD_POLICIES):
        raise values.fail("below_lod.allowed", ", ".join(BELOW_LOD_POLICIES))
    excursion, ceiling = (values.number("peak_exposure.excursion_multiple"),
                          values.number("peak_exposure.ceiling_multiple"))
    if ceiling <= excursion:
        raise values.fail("peak_exposure.ceiling_multiple", "> excursion_multiple")
    grading = TaggedValues(grading_path, load_data_file(grading_path))
    action_level = grading.number("action_level")
    if action_level >= 1:
        raise grading.fail("action_level", "0 < value < 1")
    grades, labels_en = _grades(grading_path, grading.data)
    return JudgementRules(
        excursion_multiple=excursion,
        excursion_max_minutes=values.number("peak_exposure.excursion_max_minutes"),
        excursion_max_count=int(values.number("peak_exposure.excursion_max_count", integer=True)),
        excursion_min_gap_hours=values.number("peak_exposure.excursion_min_gap_hours"),
        ceiling_multiple=ceiling,
        stel_window_minutes=values.number("short_term.stel_window_minutes"),
        action_level=action_level,
        grades=grades,
        rf_day=rf["day"],
        rf_week=rf["week"],
        below_lod_policy=values.choice("below_lod.policy", allowed),
        shift_hours=values.number("twa.shift_hours"),
        week_hours=values.number("twa.week_hours"),
        divide_by_stel_window=values.flag("short_term.divide_by_window_when_shorter"),
        grade_labels_en=labels_en,
        unverified=(*values.unverified, *grading.unverified),
    )


def _grades(
    path: Path, data: Mapping[str, Any]
) -> tuple[tuple[tuple[float, str, str], ...], tuple[tuple[str, str], ...]]:
    reader = RowReader(path, "grades")
    rows = list(reader.rows(data))
    grades: list[tuple[float, str, str]] = []
    labels_en: list[tuple[str, str]] = []
    previous = 0.0
    for index, item in rows:
        code = reader.require(index, item, ("code", "label_zh", "label_en"),
                              {"code", "upper", "label_zh", "label_en"}, blank_only=True)
        reader.check_unique(index, code)
        upper = item.get("upper")
        last = index == len(rows)
        if last and upper is None:
            bound = math.inf
        elif not last and _is_number(upper) and upper > previous:
            bound = float(upper)
        else:
            raise reader.fail("limits.table.order", index, code, field="upper")
        previous = bound
        grades.append((bound, code, str(item["label_zh"])))
        labels_en.append((code, str(item["label_en"])))
    return tuple(grades), tuple(labels_en)


# ---------------------------------------------------------------- noise (GBZ 2.2-2007)


@dataclass(frozen=True)
class NoiseLimits:
    """GBZ 2.2-2007 noise limits: L_EX,8h and (weeks other than ``standard_week_days`` days)
    L_EX,40h in dB(A); impulse noise ``(max pulses a day, peak dB)`` rows in increasing order."""

    lex_8h: float
    lex_40h: float
    impulse: tuple[tuple[int, float], ...]
    standard_week_days: int = 5
    unverified: tuple[str, ...] = ()

    def impulse_limit(self, pulses_per_day: int) -> float | None:
        """The peak limit (dB) for ``pulses_per_day`` pulses: the first row whose maximum is not
        exceeded (≤ 100 → 140, ≤ 1 000 → 130, ≤ 10 000 → 120); None above the last row."""
        if not _is_number(pulses_per_day) or pulses_per_day < 0:
            raise ValueError(tr("limits.arg.count", what="pulses_per_day", value=pulses_per_day))
        return next((peak for most, peak in self.impulse if pulses_per_day <= most), None)


def load_noise_limits(path: Path | str | None = None) -> NoiseLimits:
    """GBZ 2.2-2007 noise limits: the shipped file (cached) unless ``path`` is given."""
    return _NOISE.load(path)


def _load_noise(path: Path) -> NoiseLimits:
    data = load_data_file(path)
    values = TaggedValues(path, data)
    reader = RowReader(path, "impulse")
    impulse: list[tuple[int, float]] = []
    for index, item in reader.rows(data):
        label = f"max_pulses_per_day: {item.get('max_pulses_per_day')}" if isinstance(
            item, dict) else "?"
        if not isinstance(item, dict) or set(item) - {"max_pulses_per_day", "peak_db", "tag"}:
            raise reader.fail("standards.row.not_mapping", index, label)
        most, peak = item.get("max_pulses_per_day"), item.get("peak_db")
        if not (_is_number(most) and float(most).is_integer() and most > 0):
            raise reader.fail("limits.row.number", index, label, field="max_pulses_per_day",
                              value=most)
        if not (_is_number(peak) and peak > 0):
            raise reader.fail("limits.row.number", index, label, field="peak_db", value=peak)
        if impulse and (most <= impulse[-1][0] or peak >= impulse[-1][1]):
            raise reader.fail("limits.table.order", index, label, field="max_pulses_per_day")
        values.tag(f"impulse.{index}", item.get("tag"))
        impulse.append((int(most), float(peak)))
    return NoiseLimits(
        lex_8h=values.number("noise.lex_8h_dba"),
        lex_40h=values.number("noise.lex_40h_dba"),
        impulse=tuple(impulse),
        standard_week_days=int(values.number("noise.standard_week_days", integer=True)),
        unverified=tuple(values.unverified),
    )


_LIMITS = TableFile("standards", _load_limits)
_JUDGEMENT = TableFile(JUDGEMENT_RESOURCE, _load_judgement)
_NOISE = TableFile(NOISE_RESOURCE, _load_noise)
