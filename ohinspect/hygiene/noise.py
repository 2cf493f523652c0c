"""Noise exposure: equivalent levels and the judgement against GBZ 2.2-2007.

Measurement: GBZ/T 189.8-2007 工作场所物理因素测量 第8部分：噪声 (class-2 or better meter,
dosimeter for mobile posts, calibrate before and after; L_Aeq,Te and exposure hours per day;
for impulse noise the peak level and the number of pulses). Its formulas are those of
ISO 9612:2009 (Acoustics — Determination of occupational noise exposure — Engineering method;
DOMAIN.md §2 tags the formulas [U, same as ISO 9612]):

* L_Aeq,T = 10·lg[(1/T)·Σ Tᵢ·10^(0.1·L_Aeq,Tᵢ)]   (energy average over periods, ISO 9612 task-based)
* L_EX,8h = L_Aeq,Te + 10·lg(Te / T₀), T₀ = 8 h     (ISO 9612 definition of L_EX,8h)
* L_EX,40h = 10·lg[(1/5)·Σ 10^(0.1·L_EX,8h,i)]      (weekly level of ISO 1999 / GBZ/T 189.8: the
  sum runs over the days actually worked and is always divided by the 5 days of the nominal week)

The 8 h reference duration and the 5-day nominal week are part of the definitions of L_EX,8h
and L_EX,40h (the arithmetic, like 10·lg and 0.1·L). The limits themselves — 85 dB(A) for
L_EX,8h and L_EX,40h, the impulse peaks by pulse count — come from the ``NoiseLimits`` passed in
(GBZ 2.2-2007 §11; loaded by ohinspect.standards.limits.load_noise_limits).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ohinspect.hygiene.steps import Step, Verdict, combine, le, num
from ohinspect.i18n import tr

if TYPE_CHECKING:
    from ohinspect.standards.limits import NoiseLimits

# ISO 9612 / ISO 1999 definitions (not limits): T₀ of L_EX,8h and the nominal working week.
REFERENCE_HOURS = 8.0
NOMINAL_DAYS_PER_WEEK = 5

DB_A = "dB(A)"


def _energy(level: float) -> float:
    return 10.0 ** (0.1 * level)


def _level(energy: float) -> float:
    return 10.0 * math.log10(energy)


def laeq(segments: Sequence[tuple[float, float]]) -> tuple[float, Step]:
    """Equivalent continuous A-weighted level over several periods, ``segments`` = (L_Aeq,Tᵢ in
    dB(A), Tᵢ in hours): L_Aeq,T = 10·lg[(1/T)·Σ Tᵢ·10^(0.1·Lᵢ)], T = ΣTᵢ (ISO 9612:2009,
    task-based strategy: combining task levels; GBZ/T 189.8-2007 等效声级)."""
    if not segments:
        raise ValueError("no noise periods")
    if any(t < 0 for _, t in segments):
        raise ValueError("a duration is negative")
    total = math.fsum(t for _, t in segments)
    if total <= 0:
        raise ValueError("the periods add up to no time")
    value = _level(math.fsum(t * _energy(level) for level, t in segments) / total)
    terms = " + ".join(f"{num(t)}×10^(0.1×{num(level)})" for level, t in segments)
    formula = (f"L_Aeq,T = 10·lg[(1/T)·Σ Tᵢ·10^(0.1·Lᵢ)] = 10·lg[(1/{num(total)})·({terms})]")
    return value, Step(tr("hygiene.noise.laeq"), formula, value, DB_A)


def lex_8h(laeq_te: float, te_hours: float) -> tuple[float, Step]:
    """Daily noise exposure level normalised to 8 h: L_EX,8h = L_Aeq,Te + 10·lg(Te / 8)
    (ISO 9612:2009, definition of L_EX,8h; GBZ/T 189.8-2007 and GBZ 2.2-2007 §11: "每周工作5 d，每天工作时间
    不等于8 h，需计算8 h等效声级")."""
    if te_hours <= 0:
        raise ValueError("the exposure time must be positive")
    value = laeq_te + 10.0 * math.log10(te_hours / REFERENCE_HOURS)
    formula = (f"L_EX,8h = L_Aeq,Te + 10·lg(Te / 8) = {num(laeq_te)} + 10·lg({num(te_hours)} / 8)")
    return value, Step(tr("hygiene.noise.lex_8h"), formula, value, DB_A)


def lex_40h(daily_lex_8h: Sequence[float]) -> tuple[float, Step]:
    """Weekly noise exposure level: L_EX,40h = 10·lg[(1/5)·Σ 10^(0.1·L_EX,8h,i)], summed over
    the days actually worked and divided by 5 whatever their number (weekly noise exposure level
    of ISO 1999 and GBZ/T 189.8-2007; GBZ 2.2-2007 §11: "每周工作不是5 d，需计算40 h等效声级")."""
    if not daily_lex_8h:
        raise ValueError("no working days")
    if len(daily_lex_8h) > 7:
        raise ValueError("a week has at most 7 working days")
    value = _level(math.fsum(_energy(level) for level in daily_lex_8h) / NOMINAL_DAYS_PER_WEEK)
    terms = " + ".join(f"10^(0.1×{num(level)})" for level in daily_lex_8h)
    formula = f"L_EX,40h = 10·lg[(1/5)·Σ 10^(0.1·L_EX,8h,i)] = 10·lg[(1/5)·({terms})]"
    return value, Step(tr("hygiene.noise.lex_40h"), formula, value, DB_A)


def needs_weekly(days_per_week: float, limits: NoiseLimits) -> bool:
    """GBZ 2.2-2007 §11: a week of other than ``limits.standard_week_days`` (5) working days is
    judged on L_EX,40h rather than L_EX,8h."""
    return days_per_week != limits.standard_week_days


def judge_noise(lex: float | None, limits: NoiseLimits, *, weekly: bool = False,
                peak_db: float | None = None, pulses_per_day: int | None = None) -> Verdict:
    """符合 / 不符合 / 不判定 against GBZ 2.2-2007 §11 (noise): L_EX,8h ≤ limits.lex_8h, or, when
    the week is not 5 days (``weekly``), L_EX,40h ≤ limits.lex_40h; impulse noise: the peak
    sound pressure level ≤ the peak limit of the first ``limits.impulse`` band whose maximum
    pulse count per day is ≥ ``pulses_per_day`` (140 / 130 / 120 dB for ≤ 100 / ≤ 1 000 /
    ≤ 10 000 pulses). More pulses than the last band: no limit, 不判定. Both parts must conform.
    ``lex`` may be None when only impulse noise is judged."""
    parts: list[Verdict] = []
    if lex is not None:
        limit = limits.lex_40h if weekly else limits.lex_8h
        name = "L_EX,40h" if weekly else "L_EX,8h"
        ok = le(lex, limit)
        step = Step(tr("hygiene.noise.compare"),
                    f"{name} = {num(lex)} {'≤' if ok else '>'} {num(limit)} {DB_A}", lex, DB_A)
        key = "hygiene.reason.noise_ok" if ok else "hygiene.reason.noise_over"
        parts.append(Verdict("conform" if ok else "not_conform",
                             tr(key, quantity=name, value=num(lex), limit=num(limit)), (step,)))
    if peak_db is not None:
        parts.append(_judge_impulse(peak_db, pulses_per_day, limits))
    if not parts:
        return Verdict("not_judged", tr("hygiene.reason.noise_nothing"), ())
    return combine(parts)


def _judge_impulse(peak_db: float, pulses_per_day: int | None, limits: NoiseLimits) -> Verdict:
    if pulses_per_day is None:
        return Verdict("not_judged", tr("hygiene.reason.impulse_no_count"), ())
    bands = sorted(limits.impulse)
    for max_pulses, peak_limit in bands:
        if pulses_per_day <= max_pulses:
            break
    else:
        return Verdict("not_judged", tr("hygiene.reason.impulse_too_many",
                                        pulses=pulses_per_day, max=bands[-1][0] if bands else 0), ())
    ok = le(peak_db, peak_limit)
    step = Step(tr("hygiene.noise.impulse"),
                f"n = {pulses_per_day} ≤ {max_pulses}: L_peak = {num(peak_db)} "
                f"{'≤' if ok else '>'} {num(peak_limit)} dB", peak_db, "dB")
    key = "hygiene.reason.impulse_ok" if ok else "hygiene.reason.impulse_over"
    return Verdict("conform" if ok else "not_conform",
                   tr(key, value=num(peak_db), limit=num(peak_limit), pulses=pulses_per_day),
                   (step,))
