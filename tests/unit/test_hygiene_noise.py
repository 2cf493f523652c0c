"""Noise levels (ISO 9612 formulas, GBZ/T 189.8-2007) and the GBZ 2.2-2007 judgement, by hand."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from ohinspect.hygiene.noise import judge_noise, laeq, lex_8h, lex_40h, needs_weekly
from ohinspect.i18n import set_language
from ohinspect.standards.limits import load_noise_limits

LIMITS = load_noise_limits()


def test_shipped_limits() -> None:
    assert (LIMITS.lex_8h, LIMITS.lex_40h) == (85.0, 85.0)
    assert LIMITS.impulse == ((100, 140.0), (1000, 130.0), (10000, 120.0))


def test_laeq_energy_average() -> None:
    # 4 h at 90 and 4 h at 80: 10·lg[(4·10⁹ + 4·10⁸)/8] = 10·lg(5.5·10⁸) = 87.40362689…
    value, step = laeq([(90.0, 4), (80.0, 4)])
    assert value == pytest.approx(87.40362689, abs=1e-8)
    assert value == pytest.approx(10 * math.log10(5.5e8), abs=1e-12)
    assert step.formula == ("L_Aeq,T = 10·lg[(1/T)·Σ Tᵢ·10^(0.1·Lᵢ)] = "
                            "10·lg[(1/8)·(4×10^(0.1×90) + 4×10^(0.1×80))]")
    assert step.unit == "dB(A)"
    # equal levels average to the same level
    assert laeq([(85.0, 2), (85.0, 6)])[0] == pytest.approx(85.0, abs=1e-12)


def test_lex_8h() -> None:
    value, step = lex_8h(88.0, 10)
    assert value == pytest.approx(88.96910013, abs=1e-8)      # 88 + 10·lg(1.25)
    assert step.formula == "L_EX,8h = L_Aeq,Te + 10·lg(Te / 8) = 88 + 10·lg(10 / 8)"
    assert lex_8h(90.0, 4)[0] == pytest.approx(86.98970004, abs=1e-8)   # 90 − 10·lg 2
    assert lex_8h(85.0, 8)[0] == 85.0


def test_lex_40h_four_day_week_still_divides_by_5() -> None:
    # 4 days of 10 h at 85 dB(A): L_EX,8h = 85 + 10·lg(10/8) each day;
    # L_EX,40h = 10·lg[(1/5)·4·10^(0.1·L_EX,8h)] = 85 + 10·lg(1.25 × 4/5) = 85 + 10·lg 1 = 85
    daily = [lex_8h(85.0, 10)[0]] * 4
    value, step = lex_40h(daily)
    assert value == pytest.approx(85.0, abs=1e-9)
    assert step.formula.startswith("L_EX,40h = 10·lg[(1/5)·Σ 10^(0.1·L_EX,8h,i)] = 10·lg[(1/5)·(")
    # dividing by 4 days would have given 85.97 and a wrong 不符合
    assert judge_noise(value, LIMITS, weekly=True).outcome == "conform"
    # 4 days × 10 h at 86: L_EX,40h = 86 → 不符合
    over, _ = lex_40h([lex_8h(86.0, 10)[0]] * 4)
    assert over == pytest.approx(86.0, abs=1e-9)
    assert judge_noise(over, LIMITS, weekly=True).outcome == "not_conform"
    # five equal days give the daily level; six days add 10·lg(6/5) = 0.7918
    assert lex_40h([88.0] * 5)[0] == pytest.approx(88.0, abs=1e-12)
    assert lex_40h([88.0] * 6)[0] == pytest.approx(88.79181246, abs=1e-8)
    with pytest.raises(ValueError):
        lex_40h([85.0] * 8)


def test_which_week_needs_the_40_h_level() -> None:
    assert needs_weekly(4, LIMITS) is True
    assert needs_weekly(6, LIMITS) is True
    assert needs_weekly(5, LIMITS) is False


def test_judge_lex_8h_at_and_above_85() -> None:
    at = judge_noise(85.0, LIMITS)
    assert at.outcome == "conform" and at.steps[0].formula == "L_EX,8h = 85 ≤ 85 dB(A)"
    over = judge_noise(85.1, LIMITS)
    assert over.outcome == "not_conform" and over.label() == "不符合"
    assert over.reason == "L_EX,8h 85.1 dB(A) 超过 85 dB(A)，不符合"
    set_language("en")
    assert judge_noise(85.1, LIMITS).reason == "L_EX,8h 85.1 dB(A) exceeds 85 dB(A): does not conform"


def test_limits_come_from_the_object() -> None:
    lenient = replace(LIMITS, lex_8h=90.0)
    assert judge_noise(87.0, LIMITS).outcome == "not_conform"
    assert judge_noise(87.0, lenient).outcome == "conform"


@pytest.mark.parametrize("pulses, peak, outcome", [
    (100, 140.0, "conform"), (100, 140.5, "not_conform"),   # ≤ 100 → 140 dB
    (101, 135.0, "not_conform"), (1000, 130.0, "conform"),  # ≤ 1 000 → 130 dB
    (1001, 125.0, "not_conform"), (10000, 120.0, "conform"),  # ≤ 10 000 → 120 dB
    (10001, 100.0, "not_judged"),                           # beyond the table: no limit
])
def test_impulse_noise(pulses: int, peak: float, outcome: str) -> None:
    assert judge_noise(None, LIMITS, peak_db=peak, pulses_per_day=pulses).outcome == outcome


def test_impulse_without_count_and_combined() -> None:
    assert judge_noise(None, LIMITS, peak_db=130.0).outcome == "not_judged"
    both = judge_noise(80.0, LIMITS, peak_db=135.0, pulses_per_day=500)
    assert both.outcome == "not_conform" and "135" in both.reason
    assert judge_noise(None, LIMITS).outcome == "not_judged"
