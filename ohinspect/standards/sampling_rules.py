"""GBZ 159-2004 《工作场所空气中有害物质监测的采样规范》 sampling-plan rules, read from
``resources/standards/gbz159_2004_sampling.yaml`` (shared/DOMAIN.md §2).

- shifts and periods by monitoring type (评价 / 日常 / 监督 / 事故性监测) for PC-TWA and for
  PC-STEL / MAC substances [C*];
- fixed-point sampling: points per location by the number of same-type equipment units [U];
- personal sampling: samples per post by the number of workers, when the most exposed workers
  can be identified and when they cannot [U];
- air-sampling rules: short / long sampling times, TWA coverage, flow drift, the conditions
  that call for a standard volume (V₀ = V_t × 293 / (273 + t) × P / 101.3), blanks [U].

[U] values are configurable: edit a copy of the file and load it with
``load_sampling_rules(path)``; ``SamplingRules.unverified`` names them. The module-level
functions use the shipped file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohinspect.errors import DataFileError
from ohinspect.i18n import current_language, tr
from ohinspect.resources import load_data_file
from ohinspect.standards.limits import TAGS, TaggedValues
from ohinspect.standards.table_file import RowReader, TableFile

RESOURCE = "standards/gbz159_2004_sampling.yaml"
MONITORING_TYPES = ("evaluation", "routine", "supervisory", "incident")
LIMIT_KINDS = ("twa", "stel_mac")
PERIODS = (
    "shifts_incl_highest",  # whole shifts, including the shift of highest concentration
    "highest_day_shift",    # one shift on the day of highest concentration
    "highest_period",       # the period of highest concentration within the shift
    "as_required",          # as the site requires
    "until_below_limit",    # until the concentration is below the PC-STEL / MAC
)


def _pick(zh: str, en: str, language: str | None) -> str:
    return zh if (language or current_language()) == "zh_CN" else en


@dataclass(frozen=True)
class SamplingPlanRule:
    """How long and when to sample for one monitoring type and kind of limit (GBZ 159-2004):
    ``shifts`` working shifts (None = as the site requires / until the condition is met),
    ``consecutive`` or not, in the ``period`` (one of ``PERIODS``)."""

    monitoring_type: str
    limit_kind: str
    shifts: int | None
    consecutive: bool
    period: str
    text_zh: str
    text_en: str
    verified: bool

    def text(self, language: str | None = None) -> str:
        return _pick(self.text_zh, self.text_en, language)


@dataclass(frozen=True)
class MonitoringType:
    code: str
    name_zh: str
    name_en: str
    verified: bool

    def name(self, language: str | None = None) -> str:
        return _pick(self.name_zh, self.name_en, language)


@dataclass(frozen=True)
class CountBand:
    """A row of a GBZ 159 count table: up to ``upto`` (inclusive; None = no end) → ``count``
    (None = all of them; with ``at_least`` the count is a minimum)."""

    upto: int | None
    count: int | None
    at_least: bool = False

    def resolve(self, n: int) -> int:
        return n if self.count is None else self.count


@dataclass(frozen=True)
class AirRules:
    """GBZ 159-2004 air-sampling rules ([U] unless listed otherwise in the file).

    Standard volume: convert when the temperature is outside ``std_temp_range`` (℃) or the
    pressure outside ``std_pressure_range_kpa`` (strictly: t < 5 or t > 35, P < 98.8 or
    P > 103.4), by V₀ = V_t × std_reference_temp_k / (std_celsius_offset_k + t) × P /
    std_reference_pressure_kpa. Short-time sampling lasts at most ``short_max_minutes``;
    long-time sampling lasts MORE than ``long_min_minutes``.

    The fields after ``long_min_minutes`` have defaults only so that rules can be built by hand in
    tests; ``load_air_rules`` sets every one of them from the file."""

    flow_drift_max: float
    std_temp_range: tuple[float, float]
    std_pressure_range_kpa: tuple[float, float]
    short_max_minutes: float
    long_min_minutes: float
    mac_sample_max_minutes: float = 15.0
    twa_min_coverage: float = 0.70
    blanks_per_batch: int = 2
    std_reference_temp_k: float = 293.0
    std_celsius_offset_k: float = 273.0
    std_reference_pressure_kpa: float = 101.3
    unverified: tuple[str, ...] = ()

    def needs_standard_volume(self, temp_c: float, pressure_kpa: float) -> bool:
        """Whether the sampling conditions call for a standard volume (outside the ranges; the
        edges themselves do not)."""
        low_t, high_t = self.std_temp_range
        low_p, high_p = self.std_pressure_range_kpa
        return temp_c < low_t or temp_c > high_t or pressure_kpa < low_p or pressure_kpa > high_p


class SamplingRules:
    """One edition of the GBZ 159 sampling rules."""

    def __init__(
        self,
        monitoring_types: tuple[MonitoringType, ...],
        plans: Mapping[tuple[str, str], SamplingPlanRule],
        fixed: tuple[CountBand, ...],
        identifiable: tuple[CountBand, ...],
        not_identifiable: tuple[CountBand, ...],
        air: AirRules,
        meta: Mapping[str, Any],
        unverified: tuple[str, ...] = (),
    ) -> None:
        self.monitoring_types = monitoring_types
        self._plans = dict(plans)
        self._fixed = fixed
        self._identifiable = identifiable
        self._not_identifiable = not_identifiable
        self.air = air
        self.meta = dict(meta)
        self.edition: str = str(meta.get("edition", ""))
        self.unverified = unverified

    def monitoring_type(self, code: str) -> MonitoringType:
        """``ValueError`` for a code outside ``MONITORING_TYPES``."""
        found = next((m for m in self.monitoring_types if m.code == code), None)
        if found is None:
            raise ValueError(tr("limits.arg.choice", what="monitoring_type", value=code,
                                expected=", ".join(MONITORING_TYPES)))
        return found

    def fixed_points(self, same_type_units: int) -> int:
        """Fixed sampling points for a location with ``same_type_units`` units of same-type
        equipment: 1–3 → 1, 4–10 → 2, > 10 → at least 3 (GBZ 159-2004 [U])."""
        units = _count("same_type_units", same_type_units)
        return _band(self._fixed, units).resolve(units)

    def fixed_points_at_least(self, same_type_units: int) -> bool:
        """Whether ``fixed_points`` is a minimum for this many units (> 10: "at least 3")."""
        return _band(self._fixed, _count("same_type_units", same_type_units)).at_least

    def personal_samples(self, workers: int, most_exposed_identifiable: bool) -> int:
        """Personal samples for a post with ``workers`` workers (GBZ 159-2004 [U]).

        Most exposed workers identifiable: < 3 → all, 3–5 → 2, 6–10 → 3, > 10 → 4.
        Not identifiable: < 6 → all, 6 → 5, 7–9 → 6, 10–14 → 7, 15–26 → 8, 27–50 → 9, > 50 → 11."""
        n = _count("workers", workers)
        table = self._identifiable if most_exposed_identifiable else self._not_identifiable
        return _band(table, n).resolve(n)

    def shifts_and_periods(self, monitoring_type: str, limit_kind: str) -> SamplingPlanRule:
        """When and how long to sample (GBZ 159-2004 [C*]) for ``monitoring_type`` (one of
        ``MONITORING_TYPES``) and ``limit_kind`` (``"twa"`` or ``"stel_mac"``)."""
        self.monitoring_type(monitoring_type)
        if limit_kind not in LIMIT_KINDS:
            raise ValueError(tr("limits.arg.choice", what="limit_kind", value=limit_kind,
                                expected=", ".join(LIMIT_KINDS)))
        return self._plans[(monitoring_type, limit_kind)]


def _count(what: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(tr("limits.arg.count", what=what, value=value))
    return value


def _band(table: tuple[CountBand, ...], n: int) -> CountBand:
    # the loader guarantees the last row is open-ended
    return next(b for b in table if b.upto is None or n <= b.upto)


# ---------------------------------------------------------------- loading


def load_sampling_rules(path: Path | str | None = None) -> SamplingRules:
    """The GBZ 159-2004 rules: the shipped file (cached) unless ``path`` is given. A malformed
    entry raises ``DataFileError`` naming the file and the section/row or key."""
    return _FILE.load(path)


def fixed_points(same_type_units: int) -> int:
    """``SamplingRules.fixed_points`` of the shipped rules."""
    return load_sampling_rules().fixed_points(same_type_units)


def personal_samples(workers: int, most_exposed_identifiable: bool) -> int:
    """``SamplingRules.personal_samples`` of the shipped rules."""
    return load_sampling_rules().personal_samples(workers, most_exposed_identifiable)


def shifts_and_periods(monitoring_type: str, limit_kind: str) -> SamplingPlanRule:
    """``SamplingRules.shifts_and_periods`` of the shipped rules."""
    return load_sampling_rules().shifts_and_periods(monitoring_type, limit_kind)


def load_air_rules(path: Path | str | None = None) -> AirRules:
    """The air-sampling rules of the shipped file (or of ``path``)."""
    return load_sampling_rules(path).air


def _load(path: Path) -> SamplingRules:
    data = load_data_file(path)
    values = TaggedValues(path, data)
    types, plans = _monitoring_types(path, data, values)
    fixed = _count_table(path, data, values, "fixed_points", "rows", "max_units", "points")
    identifiable = _count_table(path, data, values, "personal_samples", "identifiable",
                                "max_workers", "samples")
    not_identifiable = _count_table(path, data, values, "personal_samples", "not_identifiable",
                                    "max_workers", "samples")
    air = _air(values)
    return SamplingRules(types, plans, fixed, identifiable, not_identifiable, air, data["meta"],
                         tuple(dict.fromkeys(values.unverified)))


_TYPE_FIELDS = frozenset({"code", "name_zh", "name_en", "tag", *LIMIT_KINDS})
_PLAN_FIELDS = frozenset({"shifts", "consecutive", "period", "text_zh", "text_en"})


def _monitoring_types(
    path: Path, data: Mapping[str, Any], values: TaggedValues
) -> tuple[tuple[MonitoringType, ...], dict[tuple[str, str], SamplingPlanRule]]:
    reader = RowReader(path, "monitoring_types")
    types: list[MonitoringType] = []
    plans: dict[tuple[str, str], SamplingPlanRule] = {}
    for index, item in reader.rows(data):
        code = reader.require(index, item, ("code", "name_zh", "name_en", "tag", *LIMIT_KINDS),
                              _TYPE_FIELDS)
        if code not in MONITORING_TYPES:
            raise reader.fail("standards.row.bad_code", index, code,
                              expected=", ".join(MONITORING_TYPES))
        reader.check_unique(index, code)
        verified = _row_tag(reader, index, code, item, values, f"monitoring_types.{code}")
        types.append(MonitoringType(code, str(item["name_zh"]), str(item["name_en"]), verified))
        for kind in LIMIT_KINDS:
            plan = item[kind]
            if not isinstance(plan, dict) or set(plan) - _PLAN_FIELDS:
                raise reader.fail("limits.row.bad_value", index, code, field=kind, value=plan,
                                  expected=", ".join(sorted(_PLAN_FIELDS)))
            shifts = plan.get("shifts")
            if shifts is not None and (isinstance(shifts, bool) or not isinstance(shifts, int)
                                       or shifts < 1):
                raise reader.fail("limits.row.number", index, code, field=f"{kind}.shifts",
                                  value=shifts)
            if plan.get("period") not in PERIODS:
                raise reader.fail("limits.row.bad_value", index, code, field=f"{kind}.period",
                                  value=plan.get("period"), expected=", ".join(PERIODS))
            if not isinstance(plan.get("consecutive"), bool):
                raise reader.fail("limits.row.bool", index, code, field=f"{kind}.consecutive",
                                  value=plan.get("consecutive"))
            for field in ("text_zh", "text_en"):
                if not plan.get(field):
                    raise reader.fail("standards.row.missing", index, code, field=f"{kind}.{field}")
            plans[(code, kind)] = SamplingPlanRule(
                code, kind, shifts, plan["consecutive"], str(plan["period"]),
                str(plan["text_zh"]), str(plan["text_en"]), verified,
            )
    found = tuple(t.code for t in types)
    if sorted(found) != sorted(MONITORING_TYPES):
        raise DataFileError(str(path), tr("limits.monitoring.types", found=", ".join(found),
                                          expected=", ".join(MONITORING_TYPES)))
    return tuple(types), plans


def _row_tag(
    reader: RowReader, index: int, code: str, item: Mapping[str, Any], values: TaggedValues,
    key: str,
) -> bool:
    tag = item.get("tag")
    if tag not in TAGS:
        raise reader.fail("limits.row.bad_value", index, code, field="tag", value=tag,
                          expected=", ".join(TAGS))
    return values.tag(key, tag)


def _count_table(
    path: Path, data: Mapping[str, Any], values: TaggedValues, table: str, section: str,
    upto_field: str, count_field: str,
) -> tuple[CountBand, ...]:
    """A count table ``data[table][section]``: bounds strictly increasing, only the last row
    open (null), counts positive integers or ``all``, and never more than the row allows."""
    block = values.node(table)
    if not isinstance(block, dict):
        raise DataFileError(str(path), tr("limits.value.missing", key=table))
    values.tag(table, block.get("tag"))
    reader = RowReader(path, f"{table}.{section}")
    rows = list(reader.rows({reader.section: block.get(section)}))
    bands: list[CountBand] = []
    previous = 0
    for index, item in rows:
        if not isinstance(item, dict):
            raise reader.fail("standards.row.not_mapping", index, "?")
        upto, count = item.get(upto_field), item.get(count_field)
        label = f"{upto_field}: {upto}"
        extra = sorted(set(map(str, item)) - {upto_field, count_field, "at_least"})
        if extra:
            raise reader.fail("standards.row.unknown_field", index, label, field=extra[0])
        last = index == len(rows)
        open_end = upto is None
        if open_end != last or (not open_end and not (
                isinstance(upto, int) and not isinstance(upto, bool) and upto > previous)):
            raise reader.fail("limits.table.order", index, label, field=upto_field)
        if count == "all":
            resolved = None
        elif isinstance(count, int) and not isinstance(count, bool) and count >= 1 and (
                open_end or count <= upto):
            resolved = count
        else:
            raise reader.fail("limits.row.count", index, label, field=count_field, value=count)
        at_least = item.get("at_least", False)
        if not isinstance(at_least, bool):
            raise reader.fail("limits.row.bool", index, label, field="at_least", value=at_least)
        bands.append(CountBand(upto, resolved, at_least))
        if upto is not None:
            previous = upto
    return tuple(bands)


def _air(values: TaggedValues) -> AirRules:
    coverage = values.number("air.twa_min_coverage")
    drift = values.number("air.flow_drift_max")
    for key, value in (("air.twa_min_coverage", coverage), ("air.flow_drift_max", drift)):
        if value >= 1:
            raise values.fail(key, "0 < value < 1")
    return AirRules(
        flow_drift_max=drift,
        std_temp_range=values.pair("air.std_temp_range_c"),
        std_pressure_range_kpa=values.pair("air.std_pressure_range_kpa"),
        short_max_minutes=values.number("air.short_max_minutes"),
        long_min_minutes=values.number("air.long_min_minutes"),
        mac_sample_max_minutes=values.number("air.mac_sample_max_minutes"),
        twa_min_coverage=coverage,
        blanks_per_batch=int(values.number("air.blanks_per_batch", integer=True)),
        std_reference_temp_k=values.number("air.std_reference_temp_k"),
        std_celsius_offset_k=values.number("air.std_celsius_offset_k"),
        std_reference_pressure_kpa=values.number("air.std_reference_pressure_kpa"),
        unverified=tuple(k for k in values.unverified if k.startswith("air.")),
    )


_FILE = TableFile(RESOURCE, _load)
