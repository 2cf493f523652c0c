"""GBZ 159-2004 sampling rules as data (resources/standards/gbz159_2004_sampling.yaml), checked
against shared/DOMAIN.md §2."""

from __future__ import annotations

from pathlib import Path

import pytest

from ohinspect.errors import DataFileError
from ohinspect.paths import resources_dir
from ohinspect.standards.sampling_rules import (
    LIMIT_KINDS,
    MONITORING_TYPES,
    AirRules,
    fixed_points,
    load_air_rules,
    load_sampling_rules,
    personal_samples,
    shifts_and_periods,
)

RESOURCE = resources_dir() / "standards" / "gbz159_2004_sampling.yaml"


@pytest.mark.parametrize(("units", "points"), [(1, 1), (3, 1), (4, 2), (10, 2), (11, 3), (40, 3)])
def test_fixed_points_per_same_type_units(units: int, points: int) -> None:
    assert fixed_points(units) == points
    assert load_sampling_rules().fixed_points_at_least(units) is (units > 10)


@pytest.mark.parametrize(
    ("workers", "samples"), [(1, 1), (2, 2), (3, 2), (5, 2), (6, 3), (10, 3), (11, 4), (200, 4)]
)
def test_personal_samples_most_exposed_identifiable(workers: int, samples: int) -> None:
    assert personal_samples(workers, True) == samples


@pytest.mark.parametrize(
    ("workers", "samples"),
    [(1, 1), (5, 5), (6, 5), (7, 6), (9, 6), (10, 7), (14, 7), (15, 8), (26, 8), (27, 9),
     (50, 9), (51, 11), (500, 11)],
)
def test_personal_samples_not_identifiable(workers: int, samples: int) -> None:
    assert personal_samples(workers, False) == samples


@pytest.mark.parametrize("bad", [0, -1, True, 2.5, "3"])
def test_counts_must_be_whole_numbers_of_at_least_one(bad: object) -> None:
    with pytest.raises(ValueError):
        fixed_points(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        personal_samples(bad, True)  # type: ignore[arg-type]


# DOMAIN.md §2: (type, kind) → (shifts, consecutive, period)
DOMAIN_PLANS = {
    ("evaluation", "twa"): (3, True, "shifts_incl_highest"),
    ("evaluation", "stel_mac"): (3, True, "highest_period"),
    ("routine", "twa"): (1, False, "highest_day_shift"),
    ("routine", "stel_mac"): (1, False, "highest_period"),
    ("supervisory", "twa"): (1, False, "highest_period"),
    ("supervisory", "stel_mac"): (1, False, "highest_period"),
    ("incident", "twa"): (None, False, "as_required"),
    ("incident", "stel_mac"): (None, False, "until_below_limit"),
}


def test_shifts_and_periods_by_monitoring_type() -> None:
    assert MONITORING_TYPES == ("evaluation", "routine", "supervisory", "incident")
    for (kind_of_monitoring, limit_kind), expected in DOMAIN_PLANS.items():
        rule = shifts_and_periods(kind_of_monitoring, limit_kind)
        assert (rule.shifts, rule.consecutive, rule.period) == expected
        assert rule.verified and rule.text("zh_CN") and rule.text("en")
    assert set(DOMAIN_PLANS) == {(t, k) for t in MONITORING_TYPES for k in LIMIT_KINDS}
    rules = load_sampling_rules()
    assert [m.code for m in rules.monitoring_types] == list(MONITORING_TYPES)
    assert [m.name("zh_CN") for m in rules.monitoring_types] == ["评价监测", "日常监测", "监督监测", "事故性监测"]
    with pytest.raises(ValueError):
        shifts_and_periods("annual", "twa")
    with pytest.raises(ValueError):
        shifts_and_periods("routine", "peak")


def test_air_rules() -> None:
    air = load_air_rules()
    assert air.flow_drift_max == 0.05
    assert air.std_temp_range == (5, 35) and air.std_pressure_range_kpa == (98.8, 103.4)
    assert air.short_max_minutes == 15 and air.long_min_minutes == 60
    assert air.mac_sample_max_minutes == 15 and air.twa_min_coverage == 0.70
    assert air.blanks_per_batch == 2
    assert (air.std_reference_temp_k, air.std_celsius_offset_k, air.std_reference_pressure_kpa) == (293, 273, 101.3)
    assert "air.flow_drift_max" in air.unverified and "air.blanks_per_batch" in air.unverified
    assert "air.mac_sample_max_minutes" not in air.unverified


@pytest.mark.parametrize(
    ("temp", "pressure", "needed"),
    [(20, 101.3, False), (5, 101.3, False), (4.9, 101.3, True), (35, 101.3, False),
     (35.1, 101.3, True), (20, 98.8, False), (20, 98.7, True), (20, 103.4, False),
     (20, 103.5, True)],
)
def test_standard_volume_conditions(temp: float, pressure: float, needed: bool) -> None:
    assert load_air_rules().needs_standard_volume(temp, pressure) is needed


def test_air_rules_can_be_built_by_hand() -> None:
    air = AirRules(0.05, (5, 35), (98.8, 103.4), 15, 60)
    assert air.needs_standard_volume(40, 101.3)


def test_unverified_values_are_listed() -> None:
    rules = load_sampling_rules()
    assert {"fixed_points", "personal_samples", "air.flow_drift_max"} <= set(rules.unverified)
    assert not any(k.startswith("monitoring_types") for k in rules.unverified)
    assert "secondary source" in rules.meta["verification"] and rules.edition == "GBZ 159-2004"


# ---------------------------------------------------------------- malformed files


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = RESOURCE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / RESOURCE.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("{max_units: 10, points: 2}", "{max_units: 2, points: 2}", "第2行"),      # not increasing
        ("{max_units: 10, points: 2}", "{max_units: 10, points: 20}", "第2行"),    # more than allowed
        ("{max_units: 10, points: 2}", "{max_units: null, points: 2}", "第2行"),   # open too early
        ("{max_workers: 9, samples: 6}", "{max_workers: 9, samples: six}", "第3行"),
        ("{max_workers: 9, samples: 6}", "{max_workers: 9, samples: 6, colour: red}", "colour"),
        ("period: until_below_limit", "period: forever", "forever"),
        ("code: supervisory", "code: annual", "annual"),
        ("flow_drift_max: {value: 0.05", "flow_drift_max: {value: 5", "air.flow_drift_max"),
        ('std_temp_range_c: {value: [5, 35]', 'std_temp_range_c: {value: [35, 5]', "air.std_temp_range_c"),
        ('blanks_per_batch: {value: 2, tag: "U"}', 'blanks_per_batch: {value: 2, tag: "?"}', "blanks_per_batch"),
    ],
)
def test_malformed_sampling_file_names_file_and_place(
    tmp_path: Path, old: str, new: str, needle: str
) -> None:
    path = _copy_with(tmp_path, old, new)
    with pytest.raises(DataFileError) as caught:
        load_sampling_rules(path)
    assert str(path) in str(caught.value)
    assert needle in caught.value.problem


def test_a_missing_monitoring_type_is_refused(tmp_path: Path) -> None:
    text = RESOURCE.read_text(encoding="utf-8")
    start, end = text.index("  - code: incident"), text.index("# Fixed-point sampling")
    path = tmp_path / RESOURCE.name
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(DataFileError, match="incident"):
        load_sampling_rules(path)
