"""GBZ 2.1-2019 exposure values and judgement, worked by hand with the shipped limits and
rules (benzene 3/6, toluene 50/100, xylene 50/100, formaldehyde MAC 0.5, DMF PC-TWA 20 only,
silica bands, other dust 8; peak rule 3× / 15 min / 4 times / 1 h / 5×; RF 8/24/16, 40/168/128)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ohinspect.hygiene.air import Result
from ohinspect.hygiene.exposure import (Excursion, action_level, c_me_of_results, c_ste,
                                        c_ste_of_results, c_twa, c_twa_of_results, grade,
                                        grade_step, judge_chemical, judge_dust, judge_mixture,
                                        mixture_index, peak_rule, reduction_factor)
from ohinspect.hygiene.steps import Verdict
from ohinspect.i18n import set_language
from ohinspect.standards.limits import ChemicalLimit, load_judgement_rules, load_limits

RULES = load_judgement_rules()
LIMITS = load_limits()
BENZENE = LIMITS.chemical("chem.benzene")
TOLUENE = LIMITS.chemical("chem.toluene")
FORMALDEHYDE = LIMITS.chemical("chem.formaldehyde")
DMF = LIMITS.chemical("chem.dmf")


def test_the_shipped_values_this_file_relies_on() -> None:
    assert (BENZENE.pc_twa, BENZENE.pc_stel) == (3.0, 6.0)
    assert (TOLUENE.pc_twa, TOLUENE.pc_stel) == (50.0, 100.0)
    assert FORMALDEHYDE.mac == 0.5 and FORMALDEHYDE.pc_twa is None
    assert (DMF.pc_twa, DMF.pc_stel, DMF.mac) == (20.0, None, None)
    assert (RULES.excursion_multiple, RULES.ceiling_multiple) == (3, 5)
    assert (RULES.excursion_max_minutes, RULES.excursion_max_count) == (15, 4)
    assert RULES.excursion_min_gap_hours == 1 and RULES.stel_window_minutes == 15
    assert RULES.shift_hours == 8 and RULES.below_lod_policy == "half_lod"


# --- C_TWA, C_STE, C_ME -------------------------------------------------------------------

def test_c_twa_by_hand() -> None:
    value, steps = c_twa([(0.8, 2), (1.2, 6)], RULES.shift_hours)
    assert value == pytest.approx(1.1, rel=1e-12)           # (1.6 + 7.2) / 8 = 8.8 / 8
    assert steps[0].formula == "C_TWA = Σ CᵢTᵢ / 8 = (0.8×2 + 1.2×6) / 8"
    assert len(steps) == 1                                  # 8 h covered: no unexposed time


def test_c_twa_unexposed_time_counts_as_zero() -> None:
    value, steps = c_twa([(2.0, 3), (1.0, 3)], RULES.shift_hours)
    assert value == pytest.approx(1.125, rel=1e-12)         # (6 + 3) / 8; 2 h at 0
    assert steps[1].value == 2.0 and steps[1].unit == "h"


def test_c_ste_shorter_than_15_minutes_is_still_divided_by_15() -> None:
    value, steps = c_ste([(12.0, 10)], RULES.stel_window_minutes)
    assert value == pytest.approx(8.0, rel=1e-12)           # 12 × 10 / 15 = 120 / 15
    assert steps[0].formula == "C_STE = Σ CᵢTᵢ / 15 = 12×10 / 15"
    assert steps[1].formula == "T = 10 min < 15 min"
    two, _ = c_ste([(9.0, 5), (3.0, 10)], 15)
    assert two == pytest.approx(5.0, rel=1e-12)             # (45 + 30) / 15 = 75 / 15
    # the rule's switch: divide by the time sampled instead (not the shipped policy)
    alt, _ = c_ste([(12.0, 10)], 15, divide_by_window=False)
    assert alt == pytest.approx(12.0)
    with pytest.raises(ValueError):
        c_ste([(1.0, 10), (1.0, 10)], 15)                   # 20 min do not fit a 15-min window


def test_c_me_of_results() -> None:
    value, _ = c_me_of_results([Result(0.3), Result(0.45), Result(0.1, True)], RULES)
    assert value == Result(0.45, False)


# --- reduction factor --------------------------------------------------------------------

def test_reduction_factor_by_hand() -> None:
    assert reduction_factor(8, rules=RULES)[0] == 1.0                    # not above 8 h
    assert reduction_factor(10, rules=RULES)[0] == pytest.approx(0.7)    # (8/10)·(14/16)
    rf, step = reduction_factor(12, rules=RULES)
    assert rf == pytest.approx(0.5, rel=1e-12)                           # (8/12)·(12/16)
    assert step.formula == "RF_day = (8/12)·(24−12)/16"
    assert reduction_factor(hours_per_week=48, rules=RULES)[0] == pytest.approx(0.78125)  # (40/48)·(120/128)
    both, step = reduction_factor(12, 48, rules=RULES)
    assert both == pytest.approx(0.5) and step.formula.startswith("RF = min(")
    assert reduction_factor(rules=RULES)[0] == 1.0


def test_12_hour_shift() -> None:
    # toluene 20 mg/m³ over a whole 12-h shift: C_TWA = 20 × 12 / 8 = 30 mg/m³;
    # PC-TWA × RF = 50 × 0.5 = 25 → 30 > 25: not conform (without RF 30 ≤ 50 would pass)
    twa, _ = c_twa([(20.0, 12)], RULES.shift_hours)
    assert twa == pytest.approx(30.0)
    rf, _ = reduction_factor(12, rules=RULES)
    verdict = judge_chemical(TOLUENE, twa=twa, ste=60.0, rf=rf, rules=RULES)
    assert verdict.outcome == "not_conform"
    assert any(s.formula == "PC-TWA × RF = 50 × 0.5" and s.value == pytest.approx(25) for s in verdict.steps)
    assert "25" in verdict.reason
    assert judge_chemical(TOLUENE, twa=twa, ste=60.0, rules=RULES).outcome == "conform"
    # RF does not touch PC-STEL: C_STE 95 ≤ 100 still conforms with RF 0.5
    assert judge_chemical(TOLUENE, twa=10.0, ste=95.0, rf=rf, rules=RULES).outcome == "conform"


# --- judgement: MAC, TWA + STEL, no limit ------------------------------------------------

def test_mac() -> None:
    over = judge_chemical(FORMALDEHYDE, twa=None, ste=None, max_result=0.6, rules=RULES)
    assert over.outcome == "not_conform" and over.label() == "不符合"
    assert over.steps[0].formula == "C_ME = 0.6 > MAC = 0.5"
    assert judge_chemical(FORMALDEHYDE, twa=None, ste=None, max_result=0.5,
                          rules=RULES).outcome == "conform"            # at the MAC: conforms
    missing = judge_chemical(FORMALDEHYDE, twa=0.1, ste=None, rules=RULES)
    assert missing.outcome == "not_judged" and "C_ME" in missing.reason


def test_twa_and_stel_both_needed() -> None:
    ok = judge_chemical(BENZENE, twa=2.5, ste=5.9, rules=RULES)
    assert ok.outcome == "conform" and ok.label() == "符合"
    stel_over = judge_chemical(BENZENE, twa=2.5, ste=7.0, rules=RULES)
    assert stel_over.outcome == "not_conform" and "C_STE" in stel_over.reason
    no_ste = judge_chemical(BENZENE, twa=2.5, ste=None, rules=RULES)
    assert no_ste.outcome == "not_judged" and no_ste.label() == "不判定"
    # a failing part decides even when another is missing
    assert judge_chemical(BENZENE, twa=3.01, ste=None, rules=RULES).outcome == "not_conform"
    # float noise at the limit: 0.1 + 0.2 "is" 0.3
    limit = replace(BENZENE, pc_twa=0.3, pc_stel=None)
    assert judge_chemical(limit, twa=0.1 + 0.2, ste=None, rules=RULES).outcome == "conform"


def test_no_limit_is_not_judged_with_the_reason() -> None:
    nothing = ChemicalLimit("chem.x", "某物质", "Some substance", None, None, None, None,
                            "mg/m³", (), None, "GBZ 2.1-2019", False)
    verdict = judge_chemical(nothing, twa=1.0, ste=2.0, rules=RULES)
    assert verdict.outcome == "not_judged"
    assert verdict.reason == "“某物质”无职业接触限值，不判定"
    set_language("en")
    assert judge_chemical(nothing, twa=1.0, ste=2.0, rules=RULES).reason == \
        "“Some substance” has no occupational exposure limit: not judged"
    assert verdict.label() == "Not judged"


# --- peak exposure (PC-TWA only: DMF 20 → excursions above 60, never above 100) ------------

def _peaks(*starts: float, level: float = 70.0, minutes: float = 10.0) -> list[Excursion]:
    return [Excursion(level, minutes, s) for s in starts]


def test_four_excursions_conform_five_do_not() -> None:
    four = judge_chemical(DMF, twa=15.0, ste=None, peaks=_peaks(1, 3, 5, 7), rules=RULES)
    assert four.outcome == "conform"
    five = judge_chemical(DMF, twa=15.0, ste=None, peaks=_peaks(0.5, 2, 3.5, 5, 6.5), rules=RULES)
    assert five.outcome == "not_conform"
    assert "5 次" in five.reason and "4 次" in five.reason
    assert any(s.formula == "n(C_PE > 60) = 5 > 4" for s in five.steps)


def test_an_excursion_above_5_times_does_not_conform() -> None:
    over = judge_chemical(DMF, twa=15.0, ste=None, peaks=[Excursion(100.5, 5, 2)], rules=RULES)
    assert over.outcome == "not_conform" and "100.5" in over.reason
    at = judge_chemical(DMF, twa=15.0, ste=None, peaks=[Excursion(100.0, 5, 2)], rules=RULES)
    assert at.outcome == "conform"                   # exactly 5 × 20: never *above*


def test_exactly_3_times_is_not_an_excursion() -> None:
    verdict = peak_rule(20.0, _peaks(1, 1.5, 2, 2.5, 3, level=60.0), RULES)
    assert verdict.outcome == "conform"              # five results at 60 = 3 × 20: none above


def test_excursions_closer_than_one_hour() -> None:
    # first 1.0 h + 10 min → ends 1.1667 h; next at 1.9 h: gap 0.7333 h = 44 min < 1 h
    close = judge_chemical(DMF, twa=15.0, ste=None, peaks=_peaks(1.0, 1.9), rules=RULES)
    assert close.outcome == "not_conform" and "44 min" in close.reason
    gap = [s for s in close.steps if s.unit == "h"][0]
    assert gap.value == pytest.approx(1.9 - (1.0 + 10 / 60))
    # exactly 1 h after the end: conforms
    apart = judge_chemical(DMF, twa=15.0, ste=None, peaks=_peaks(1.0, 1.0 + 10 / 60 + 1.0),
                           rules=RULES)
    assert apart.outcome == "conform"


def test_an_excursion_longer_than_15_minutes() -> None:
    long = judge_chemical(DMF, twa=15.0, ste=None, peaks=[Excursion(70.0, 20, 2)], rules=RULES)
    assert long.outcome == "not_conform" and "20 min" in long.reason
    assert judge_chemical(DMF, twa=15.0, ste=None, peaks=[Excursion(70.0, 15, 2)],
                          rules=RULES).outcome == "conform"


def test_peak_rule_numbers_come_from_the_rules() -> None:
    strict = replace(RULES, excursion_max_count=2)
    assert judge_chemical(DMF, twa=15.0, ste=None, peaks=_peaks(1, 3, 5), rules=RULES).outcome == "conform"
    assert judge_chemical(DMF, twa=15.0, ste=None, peaks=_peaks(1, 3, 5), rules=strict).outcome == "not_conform"


def test_twa_only_with_twa_over_and_no_peaks() -> None:
    verdict = judge_chemical(DMF, twa=21.0, ste=None, rules=RULES)
    assert verdict.outcome == "not_conform" and verdict.reason.startswith("C_TWA 21 超过 PC-TWA 20")


# --- below the LOD ----------------------------------------------------------------------

def test_all_results_below_lod_conform_when_even_the_lod_is_within_the_limit() -> None:
    # two <0.1 benzene samples of 4 h: upper bound (0.1×4 + 0.1×4)/8 = 0.1 ≤ 3 → 符合, and the
    # reason says it was decided on the LOD bound (policy half_lod does not halve here)
    twa, steps = c_twa_of_results([(Result(0.1, True), 4), (Result(0.1, True), 4)], RULES)
    assert twa.below_lod is True and twa.value == pytest.approx(0.1, rel=1e-12)
    ste, _ = c_ste_of_results([(Result(0.2, True), 15)], RULES)
    verdict = judge_chemical(BENZENE, twa=twa, ste=ste, rules=RULES)
    assert verdict.outcome == "conform"
    assert "全部结果低于检出限" in verdict.reason and "<0.1" in verdict.reason
    assert steps[0].formula == "<0.1, <0.1"


def test_all_results_below_a_lod_above_the_limit_are_not_judged() -> None:
    twa, _ = c_twa_of_results([(Result(4.0, True), 8)], RULES)
    verdict = judge_chemical(BENZENE, twa=twa, ste=1.0, rules=RULES)
    assert verdict.outcome == "not_judged" and "灵敏度不足" in verdict.reason


def test_below_lod_policy_not_judged() -> None:
    strict = replace(RULES, below_lod_policy="not_judged")
    twa, _ = c_twa_of_results([(Result(0.1, True), 8)], strict)
    verdict = judge_chemical(BENZENE, twa=twa, ste=1.0, rules=strict)
    assert verdict.outcome == "not_judged" and "低于检出限不判定" in verdict.reason
    mixed, _ = c_twa_of_results([(Result(2.0), 4), (Result(0.1, True), 4)], strict)
    assert mixed.below_lod is True


def test_some_results_below_lod_use_the_policy_value() -> None:
    # (0.4×4 + 0.05×4) / 8 = (1.6 + 0.2) / 8 = 0.225 with LOD/2 for "<0.1"
    twa, steps = c_twa_of_results([(Result(0.4), 4), (Result(0.1, True), 4)], RULES)
    assert twa.below_lod is False and twa.value == pytest.approx(0.225, rel=1e-12)
    assert steps[0].formula == "<0.1 → 0.05"
    lod, _ = c_twa_of_results([(Result(0.4), 4), (Result(0.1, True), 4)],
                              replace(RULES, below_lod_policy="lod"))
    assert lod.value == pytest.approx(0.25)                 # (1.6 + 0.4) / 8


# --- dust ---------------------------------------------------------------------------------

@pytest.mark.parametrize("percent, respirable, outcome", [
    (10.0, 0.69, "conform"),     # 10 ≤ x < 50: respirable 0.7
    (49.9, 0.69, "conform"),
    (50.0, 0.69, "not_conform"), # the edge goes to 50–80 %: respirable 0.3
    (50.0, 0.30, "conform"),
    (79.9, 0.30, "conform"),
    (80.0, 0.30, "not_conform"), # ≥ 80 %: respirable 0.2
    (80.0, 0.20, "conform"),
])
def test_silica_at_the_band_edges(percent: float, respirable: float, outcome: str) -> None:
    limit = LIMITS.dust("dust.silica", percent)
    verdict = judge_dust(limit, total_twa=None, respirable_twa=respirable, rules=RULES,
                         silica_percent=percent)
    assert verdict.outcome == outcome, verdict.reason


def test_silica_band_of_the_row_is_checked() -> None:
    low_band = LIMITS.dust("dust.silica", 30.0)       # 10–50 %
    verdict = judge_dust(low_band, total_twa=0.5, respirable_twa=0.2, rules=RULES,
                         silica_percent=50.0)
    assert verdict.outcome == "not_judged" and "50%" in verdict.reason


def test_dust_total_and_respirable_separately() -> None:
    limit = LIMITS.dust("dust.silica", 30.0)          # 1 / 0.7
    both_ok = judge_dust(limit, total_twa=0.9, respirable_twa=0.6, rules=RULES)
    assert both_ok.outcome == "conform"
    total_over = judge_dust(limit, total_twa=1.2, respirable_twa=0.6, rules=RULES)
    assert total_over.outcome == "not_conform" and "总尘" in total_over.reason
    only_resp = judge_dust(limit, total_twa=None, respirable_twa=0.6, rules=RULES)
    assert only_resp.outcome == "conform"             # total not measured: left out
    nothing = judge_dust(limit, total_twa=None, respirable_twa=None, rules=RULES)
    assert nothing.outcome == "not_judged"


def test_dust_with_rf_and_peaks() -> None:
    other = LIMITS.dust("dust.other", 5.0)            # total 8
    # 12-h shift at 6 mg/m³: C_TWA = 6×12/8 = 9 > 8 × 0.5 = 4
    twa, _ = c_twa([(6.0, 12)], RULES.shift_hours)
    rf, _ = reduction_factor(12, rules=RULES)
    assert judge_dust(other, total_twa=twa, respirable_twa=None, rf=rf,
                      rules=RULES).outcome == "not_conform"
    # peak of 41 > 5 × 8 = 40 on total dust
    peak = judge_dust(other, total_twa=5.0, respirable_twa=None, rules=RULES,
                      total_peaks=[Excursion(41.0, 5, 3)])
    assert peak.outcome == "not_conform" and "41" in peak.reason


def test_dust_fraction_without_limit_is_shown_not_judged() -> None:
    welding = LIMITS.dust("dust.welding_fume", None)  # total 4, no respirable limit
    verdict = judge_dust(welding, total_twa=3.0, respirable_twa=2.0, rules=RULES)
    assert verdict.outcome == "conform"
    assert any("呼尘无限值" in s.label for s in verdict.steps)


def test_asbestos_fibres() -> None:
    asbestos = LIMITS.dust("dust.asbestos", None)
    assert judge_dust(asbestos, total_twa=0.5, respirable_twa=None, fibre_twa=0.9,
                      rules=RULES).outcome == "not_conform"


# --- mixtures, grades, action level ----------------------------------------------------

def test_mixture_index() -> None:
    value, step = mixture_index([(30.0, 50.0), (40.0, 50.0)])
    assert value == pytest.approx(1.4, rel=1e-12)           # 0.6 + 0.8
    assert step.formula == "Σ Cᵢ/OELᵢ = 30/50 + 40/50"
    assert judge_mixture([(30.0, 50.0), (40.0, 50.0)]).outcome == "not_conform"
    assert judge_mixture([(20.0, 50.0), (25.0, 50.0)]).outcome == "conform"   # 0.4 + 0.5
    assert judge_mixture([(25.0, 50.0), (1.5, 3.0)]).outcome == "conform"     # 0.5 + 0.5 = 1


@pytest.mark.parametrize("ratio, code", [
    (0.0, "0"), (0.01, "0"), (0.0100001, "1"), (0.1, "1"), (0.1000001, "2"), (0.5, "2"),
    (0.5000001, "3"), (1.0, "3"), (1.0000001, "4"), (12.0, "4"),
])
def test_grades_at_each_band_edge(ratio: float, code: str) -> None:
    assert grade(ratio, RULES)[0] == code


def test_grade_labels_and_action_level() -> None:
    assert grade(0.3, RULES) == ("2", "中等接触（10%–50% OEL）")
    code, step = grade_step(0.3, RULES)
    assert code == "2" and step.formula == "C / OEL = 30 % → 中等接触（10%–50% OEL）"
    set_language("en")
    assert grade(0.3, RULES)[1] == "Moderate (10–50 % of OEL)"
    assert action_level(0.5, RULES)[0] is True
    assert action_level(0.49, RULES)[0] is False


def test_verdict_rejects_unknown_outcomes() -> None:
    with pytest.raises(ValueError):
        Verdict("maybe", "", ())  # type: ignore[arg-type]
