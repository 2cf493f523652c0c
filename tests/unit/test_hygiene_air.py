"""GBZ 159-2004 sampling arithmetic, worked by hand: volume, standard volume (only outside the
temperature/pressure range), flow drift, concentration, results below the LOD."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ohinspect.hygiene.air import (Result, check_flow, concentration, concentration_step,
                                   flow_drift, mean_flow, resolve, sample_volume,
                                   standard_volume, substitute)
from ohinspect.i18n import set_language
from ohinspect.standards.sampling_rules import load_air_rules

RULES = load_air_rules()


def test_rules_are_the_ones_this_file_works_with() -> None:
    # the hand values below assume the shipped GBZ 159 rules (DOMAIN.md §2)
    assert RULES.std_temp_range == (5.0, 35.0)
    assert RULES.std_pressure_range_kpa == (98.8, 103.4)
    assert RULES.flow_drift_max == pytest.approx(0.05)


def test_sample_volume() -> None:
    value, step = sample_volume(0.5, 240)       # 0.5 L/min × 240 min = 120 L
    assert value == 120.0
    assert step.formula == "V_t = q × t = 0.5 × 240" and step.unit == "L"


@pytest.mark.parametrize("temp_c, pressure", [
    (20.0, 101.3), (5.0, 101.3), (35.0, 101.3), (20.0, 98.8), (20.0, 103.4), (5.0, 98.8)])
def test_standard_volume_not_applied_inside_the_range_edges_included(temp_c: float, pressure: float) -> None:
    value, converted, step = standard_volume(60.0, temp_c, pressure, RULES)
    assert (value, converted) == (60.0, False)
    assert step.formula.endswith("V₀ = V_t = 60")


def test_standard_volume_applied_outside_the_range() -> None:
    # hot: t = 40 ℃, P = 101.3 kPa: V₀ = 60 × 293 / 313 × 101.3 / 101.3 = 56.1661341853…
    value, converted, step = standard_volume(60.0, 40.0, 101.3, RULES)
    assert converted is True
    assert value == pytest.approx(60 * 293 / 313, rel=1e-12)
    assert value == pytest.approx(56.16613418530351, rel=1e-12)
    assert step.formula == ("V₀ = V_t × 293 / (273 + t) × P / 101.3 = "
                            "60 × 293 / (273 + 40) × 101.3 / 101.3")
    # cold: t = 4.9 ℃ (just outside): 60 × 293 / 277.9 = 63.2601655271…
    value, converted, _ = standard_volume(60.0, 4.9, 101.3, RULES)
    assert converted and value == pytest.approx(63.26016552716805, rel=1e-12)
    # high plateau: t = 20 ℃, P = 70 kPa: 60 × 293/293 × 70/101.3 = 41.4610069102…
    value, converted, _ = standard_volume(60.0, 20.0, 70.0, RULES)
    assert converted and value == pytest.approx(60 * 70 / 101.3, rel=1e-12)
    assert value == pytest.approx(41.46100691016782, rel=1e-12)
    # just above the pressure range: 103.5 kPa → 60 × 103.5 / 101.3 = 61.303060217…
    value, converted, _ = standard_volume(60.0, 20.0, 103.5, RULES)
    assert converted and value == pytest.approx(61.30306021717670, rel=1e-12)


def test_standard_volume_follows_the_rules_passed_in() -> None:
    narrow = replace(RULES, std_temp_range=(15.0, 25.0))
    assert standard_volume(60.0, 30.0, 101.3, RULES)[1] is False
    assert standard_volume(60.0, 30.0, 101.3, narrow)[1] is True


def test_flow_drift_and_mean() -> None:
    assert mean_flow(2.0, 1.9) == pytest.approx(1.95)          # (2.0 + 1.9) / 2
    assert flow_drift(2.0, 1.9) == pytest.approx(0.05)         # |1.9 − 2.0| / 2.0
    assert flow_drift(2.0, 2.2) == pytest.approx(0.10)         # |2.2 − 2.0| / 2.0


def test_flow_drift_above_5_percent_is_flagged_at_5_percent_not() -> None:
    at_limit = check_flow(2.0, 1.9, RULES)                     # 5 % exactly: fine
    assert at_limit.flagged is False and at_limit.mean_lpm == pytest.approx(1.95)
    over = check_flow(2.0, 1.88, RULES)                        # |1.88 − 2| / 2 = 6 %
    assert over.flagged is True and over.drift == pytest.approx(0.06)
    assert over.steps[1].formula == "|q₂ − q₁| / q₁ = |1.88 − 2| / 2 = 6 % > 5 %"
    assert check_flow(1.0, 1.051, RULES).flagged is True       # 5.1 % up
    assert check_flow(1.0, 0.96, RULES).flagged is False       # 4 % down


def test_concentration() -> None:
    # 12.6 µg on the filter, 60 L of air: 12.6 / 60 = 0.21 mg/m³ (1 µg/L = 1 mg/m³)
    assert concentration(12.6, 60.0) == pytest.approx(0.21, rel=1e-12)
    # with a field blank of 0.6 µg: (12.6 − 0.6) / 60 = 0.2
    value, step = concentration_step(12.6, 60.0, blank_ug=0.6)
    assert value == pytest.approx(0.2, rel=1e-12)
    assert step.formula == "C = (m − m₀) / V = (12.6 − 0.6) µg / 60 L" and step.unit == "mg/m³"
    assert concentration(0.3, 60.0, blank_ug=0.6) == 0.0      # blank above the sample: 0
    with pytest.raises(ValueError):
        concentration(1.0, 0.0)


def test_below_lod_substitution_policies() -> None:
    r = Result(0.04, below_lod=True)
    assert r.text() == "<0.04"
    assert substitute(r, "half_lod") == pytest.approx(0.02)
    assert substitute(r, "lod") == pytest.approx(0.04)
    assert substitute(r, "zero") == 0.0
    assert substitute(Result(0.3), "zero") == 0.3              # detected results unchanged
    with pytest.raises(ValueError):
        substitute(r, "not_judged")
    with pytest.raises(ValueError):
        substitute(r, "guess")


def test_resolve_mixed_all_below_and_not_judged() -> None:
    mixed = [Result(0.3), Result(0.04, True), 0.5]
    got = resolve(mixed, "half_lod")
    assert got.values == pytest.approx((0.3, 0.02, 0.5)) and got.upper_bound is False
    assert len(got.steps) == 1 and got.steps[0].formula == "<0.04 → 0.02"
    every = resolve([Result(0.04, True), Result(0.05, True)], "half_lod")
    # all below the LOD: the LODs themselves, as an upper bound (not the halves)
    assert every.values == (0.04, 0.05) and every.upper_bound is True
    strict = resolve(mixed, "not_judged")
    assert strict.upper_bound is True and strict.values == (0.3, 0.04, 0.5)


def test_steps_are_translated() -> None:
    set_language("en")
    _, step = sample_volume(1.0, 15)
    assert step.label == "Sampled volume"
    set_language("zh_CN")
    _, step = sample_volume(1.0, 15)
    assert step.label == "采样体积"
