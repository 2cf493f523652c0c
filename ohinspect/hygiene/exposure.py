"""Exposure values and their judgement against GBZ 2.1-2019 (chemicals and dusts).

* C_TWA = Σ CᵢTᵢ / 8 (Tᵢ in hours; unexposed time counts as zero) — GBZ 159-2004 and
  GBZ 2.1-2019 附录A (时间加权平均浓度); DOMAIN.md §3 [C*].
* C_STE = Σ CᵢTᵢ / 15 over one 15-minute window, divided by 15 even when the sampling was
  shorter — GBZ 2.1-2019 附录A / GBZ 159-2004 (短时间接触浓度); [C* principle, U formula].
* C_ME: the highest result of MAC sampling (最高浓度), GBZ 159-2004.
* Judgement, GBZ 2.1-2019 ch. 6 (DOMAIN.md §3 [C*]): MAC: C_ME ≤ MAC; PC-TWA and PC-STEL:
  C_TWA ≤ PC-TWA and C_STE ≤ PC-STEL; PC-TWA only (and dusts): C_TWA ≤ PC-TWA and the
  peak-exposure rule (峰接触浓度): excursions above 3 × PC-TWA last ≤ 15 min each, ≤ 4 a shift,
  ≥ 1 h apart, and never above 5 × PC-TWA.
* Long shifts: PC-TWA × RF, RF_day = (8/h)·(24−h)/16, RF_week = (40/h)·(168−h)/128
  (GBZ 2.1-2019 附录A, the correction [C], the formulas [U]).
* Action level, exposure grades and mixtures Σ Cᵢ/OELᵢ (GBZ 2.1-2019 附录A; [C*]).

Every number of those rules — 3, 5, 15 min, 4, 1 h, the STEL window, the shift hours, the RF
constants, the action level, the grade bands, the below-LOD policy — comes from the
``JudgementRules`` passed in (ohinspect.standards.limits.load_judgement_rules); none is written
here.

Conventions of this module (stated because the standard leaves them open):

* Comparisons are with unrounded values ("≤ the limit" conforms; ``steps.le`` allows 1e-9
  relative float noise).
* Long shifts: C_TWA keeps the divisor of the definition (``rules.shift_hours``, 8 h) over the
  whole shift and the *limit* is reduced by RF — the practice under GBZ 2.1-2019 A.7.3 as
  reported by Chinese practitioners (both the result and the limit change) [U]. RF applies to
  PC-TWA only; PC-STEL, MAC and the peak-exposure multiples use the unadjusted limits [U]. With
  both a daily and a weekly RF the smaller one is used [U]. RF = 1 when the hours do not exceed
  the reference.
* Peak exposure: an excursion is a concentration *above* excursion_multiple × PC-TWA
  (exactly 3 × is not an excursion); "never above 5 ×" lets exactly 5 × pass; the 1 h gap is
  measured from the end of one excursion to the start of the next [U].
* Results below the LOD: see ``ohinspect.hygiene.air.resolve``. When the exposure could only be
  bounded with the LODs (every result "< LOD", or any under the policy ``not_judged``): policy
  ``not_judged`` → 不判定; otherwise the LOD-based upper bound decides: ≤ limit → 符合 (the true
  value is lower still), > limit → 不判定 (the method cannot decide). The reason says which.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ohinspect.hygiene.air import MG_M3, Result, resolve
from ohinspect.hygiene.steps import Step, Verdict, combine, le, num
from ohinspect.i18n import current_language, tr

if TYPE_CHECKING:
    from ohinspect.standards.limits import ChemicalLimit, DustLimit, JudgementRules

Concentration = float | Result


# --- exposure values -------------------------------------------------------------------

def c_twa(segments: Sequence[tuple[float, float]], shift_hours: float) -> tuple[float, tuple[Step, ...]]:
    """C_TWA = Σ CᵢTᵢ / shift_hours (GBZ 2.1-2019 附录A / GBZ 159-2004 时间加权平均浓度;
    ``shift_hours`` is ``rules.shift_hours``, 8 h). ``segments`` are (Cᵢ mg/m³, Tᵢ h); time
    not listed counts as zero exposure. For a shift longer than 8 h list the whole shift and
    keep the divisor; reduce the limit with ``reduction_factor``."""
    if shift_hours <= 0:
        raise ValueError("the reference time must be positive")
    if not segments:
        raise ValueError("no exposure periods")
    for c, t in segments:
        if c < 0 or t < 0:
            raise ValueError("concentrations and durations cannot be negative")
    total_t = math.fsum(t for _, t in segments)
    if total_t > 24:
        raise ValueError("the periods add up to more than 24 h")
    value = math.fsum(c * t for c, t in segments) / shift_hours
    terms = " + ".join(f"{num(c)}×{num(t)}" for c, t in segments)
    body = f"({terms})" if len(segments) > 1 else terms
    formula = f"C_TWA = Σ CᵢTᵢ / {num(shift_hours)} = {body} / {num(shift_hours)}"
    steps = [Step(tr("hygiene.exposure.c_twa"), formula, value, MG_M3)]
    if total_t < shift_hours:
        steps.append(Step(tr("hygiene.exposure.unexposed"),
                          f"{num(shift_hours)} − {num(total_t)} = {num(shift_hours - total_t)} h, C = 0",
                          shift_hours - total_t, "h"))
    return value, tuple(steps)


def c_ste(segments: Sequence[tuple[float, float]], window_minutes: float, *,
          divide_by_window: bool = True) -> tuple[float, tuple[Step, ...]]:
    """C_STE = Σ CᵢTᵢ / 15 over one window (Tᵢ in minutes; ``window_minutes`` is
    ``rules.stel_window_minutes``). A sampling shorter than the window is still divided by the
    window (``rules.divide_by_stel_window``; GBZ 2.1-2019 附录A: "接触时间短于15 min时，以15 min
    的时间加权平均浓度计算" [C* principle, U formula]); with ``divide_by_window=False`` it is
    divided by the time sampled."""
    if window_minutes <= 0:
        raise ValueError("the window must be positive")
    if not segments:
        raise ValueError("no sampling periods")
    for c, t in segments:
        if c < 0 or t < 0:
            raise ValueError("concentrations and durations cannot be negative")
    total_t = math.fsum(t for _, t in segments)
    if total_t > window_minutes and not math.isclose(total_t, window_minutes, rel_tol=1e-9):
        raise ValueError("the periods are longer than the short-term window")
    divisor = window_minutes if divide_by_window else total_t
    if divisor <= 0:
        raise ValueError("no sampling time")
    value = math.fsum(c * t for c, t in segments) / divisor
    terms = " + ".join(f"{num(c)}×{num(t)}" for c, t in segments)
    body = f"({terms})" if len(segments) > 1 else terms
    formula = f"C_STE = Σ CᵢTᵢ / {num(divisor)} = {body} / {num(divisor)}"
    steps = [Step(tr("hygiene.exposure.c_ste"), formula, value, MG_M3)]
    if total_t < window_minutes and divide_by_window:
        steps.append(Step(tr("hygiene.exposure.short_sample"),
                          f"T = {num(total_t)} min < {num(window_minutes)} min", total_t, "min"))
    return value, tuple(steps)


def c_twa_of_results(segments: Sequence[tuple[Concentration, float]],
                     rules: JudgementRules) -> tuple[Result, tuple[Step, ...]]:
    """``c_twa`` over laboratory results that may be "< LOD" (policy
    ``rules.below_lod_policy``; see ``air.resolve``). ``below_lod`` of the returned Result means
    the value is only an LOD-based upper bound."""
    resolved = resolve([c for c, _ in segments], rules.below_lod_policy)
    value, steps = c_twa(list(zip(resolved.values, (t for _, t in segments))), rules.shift_hours)
    return Result(value, resolved.upper_bound), resolved.steps + steps


def c_ste_of_results(segments: Sequence[tuple[Concentration, float]],
                     rules: JudgementRules) -> tuple[Result, tuple[Step, ...]]:
    """``c_ste`` over laboratory results that may be "< LOD" (see ``c_twa_of_results``)."""
    resolved = resolve([c for c, _ in segments], rules.below_lod_policy)
    value, steps = c_ste(list(zip(resolved.values, (t for _, t in segments))),
                         rules.stel_window_minutes, divide_by_window=rules.divide_by_stel_window)
    return Result(value, resolved.upper_bound), resolved.steps + steps


def c_me_of_results(results: Sequence[Concentration],
                    rules: JudgementRules) -> tuple[Result, tuple[Step, ...]]:
    """C_ME, the highest of the MAC samples (GBZ 159-2004 最高浓度), over results that may be
    "< LOD" (see ``c_twa_of_results``)."""
    if not results:
        raise ValueError("no results")
    resolved = resolve(results, rules.below_lod_policy)
    value = max(resolved.values)
    step = Step(tr("hygiene.exposure.c_me"),
                f"C_ME = max({', '.join(num(v) for v in resolved.values)})", value, MG_M3)
    return Result(value, resolved.upper_bound), resolved.steps + (step,)


def reduction_factor(hours_per_day: float | None = None, hours_per_week: float | None = None, *,
                     rules: JudgementRules) -> tuple[float, Step]:
    """RF for PC-TWA when the working day exceeds 8 h or the week 40 h (GBZ 2.1-2019 附录A
    A.7.3 [C]; formulas [U], constants ``rules.rf_day`` / ``rules.rf_week``):
    RF_day = (8/h)·(24−h)/16, RF_week = (40/h)·(168−h)/128. Hours not above the reference give
    RF = 1; with both the smaller RF is used."""
    candidates: list[tuple[float, str]] = []
    for hours, rule, symbol in ((hours_per_day, rules.rf_day, "RF_day"),
                                (hours_per_week, rules.rf_week, "RF_week")):
        if hours is None:
            continue
        if rule is None:
            raise ValueError(f"the rules have no {symbol} constants")
        if not 0 < hours < rule.period_hours:
            raise ValueError(f"hours must lie between 0 and {rule.period_hours}")
        if hours <= rule.reference_hours:
            candidates.append((1.0, f"{symbol}: h = {num(hours)} ≤ {num(rule.reference_hours)} ⇒ 1"))
            continue
        value = (rule.reference_hours / hours) * (rule.period_hours - hours) / rule.recovery_hours
        candidates.append((value, f"{symbol} = ({num(rule.reference_hours)}/{num(hours)})·"
                                  f"({num(rule.period_hours)}−{num(hours)})/{num(rule.recovery_hours)}"))
    if not candidates:
        return 1.0, Step(tr("hygiene.exposure.rf"), "RF = 1", 1.0)
    value, formula = min(candidates, key=lambda c: c[0])
    if len(candidates) == 2:
        formula = f"RF = min({candidates[0][1]}; {candidates[1][1]})"
    return value, Step(tr("hygiene.exposure.rf"), formula, value)


# --- peak exposure ---------------------------------------------------------------------

@dataclass(frozen=True)
class Excursion:
    """One short-time result during the shift for the peak-exposure rule: ``concentration``
    (C_PE, mg/m³, a short sample ≤ 15 min), how many ``minutes`` it stayed at that level, and
    when it started (``start_hour``, hours after the shift began)."""

    concentration: float
    minutes: float
    start_hour: float

    def __post_init__(self) -> None:
        if self.concentration < 0 or self.minutes < 0 or self.start_hour < 0:
            raise ValueError("an excursion cannot have negative values")


def peak_rule(pc_twa: float, peaks: Sequence[Excursion], rules: JudgementRules, *,
              quantity: str = "C_PE") -> Verdict:
    """The peak-exposure rule of GBZ 2.1-2019 ch. 6 for a limit with PC-TWA only (and dusts):
    excursions above ``rules.excursion_multiple`` × PC-TWA last at most
    ``rules.excursion_max_minutes`` each, happen at most ``rules.excursion_max_count`` times a
    shift, at least ``rules.excursion_min_gap_hours`` apart (end of one to start of the next),
    and no result is ever above ``rules.ceiling_multiple`` × PC-TWA."""
    m, c = rules.excursion_multiple, rules.ceiling_multiple
    upper, ceiling = m * pc_twa, c * pc_twa
    steps = [
        Step(tr("hygiene.exposure.excursion_level"),
             f"{num(m)} × PC-TWA = {num(m)} × {num(pc_twa)}", upper, MG_M3),
        Step(tr("hygiene.exposure.ceiling_level"),
             f"{num(c)} × PC-TWA = {num(c)} × {num(pc_twa)}", ceiling, MG_M3),
    ]
    failures: list[str] = []
    for p in peaks:
        if not le(p.concentration, ceiling):
            failures.append(tr("hygiene.reason.peak_ceiling", quantity=quantity,
                               value=num(p.concentration), multiple=num(c), limit=num(ceiling)))
    excursions = sorted((p for p in peaks if not le(p.concentration, upper)),
                        key=lambda p: p.start_hour)
    steps.append(Step(tr("hygiene.exposure.excursion_count"),
                      f"n({quantity} > {num(upper)}) = {len(excursions)}"
                      f" {'≤' if len(excursions) <= rules.excursion_max_count else '>'} "
                      f"{rules.excursion_max_count}", float(len(excursions))))
    if len(excursions) > rules.excursion_max_count:
        failures.append(tr("hygiene.reason.peak_count", count=len(excursions),
                           max=rules.excursion_max_count, multiple=num(m)))
    for p in excursions:
        if not le(p.minutes, rules.excursion_max_minutes):
            steps.append(Step(tr("hygiene.exposure.excursion_duration"),
                              f"{num(p.minutes)} min > {num(rules.excursion_max_minutes)} min",
                              p.minutes, "min"))
            failures.append(tr("hygiene.reason.peak_duration", value=num(p.concentration),
                               minutes=num(p.minutes), max=num(rules.excursion_max_minutes)))
    for prev, nxt in zip(excursions, excursions[1:]):
        gap = nxt.start_hour - (prev.start_hour + prev.minutes / 60.0)
        ok = gap >= rules.excursion_min_gap_hours or math.isclose(
            gap, rules.excursion_min_gap_hours, rel_tol=1e-9, abs_tol=1e-9)
        steps.append(Step(tr("hygiene.exposure.excursion_gap"),
                          f"{num(nxt.start_hour)} − ({num(prev.start_hour)} + {num(prev.minutes)}/60)"
                          f" = {num(gap)} h {'≥' if ok else '<'} {num(rules.excursion_min_gap_hours)} h",
                          gap, "h"))
        if not ok:
            failures.append(tr("hygiene.reason.peak_gap", gap=num(round(gap * 60, 6)),
                               min=num(rules.excursion_min_gap_hours)))
    if failures:
        return Verdict("not_conform", tr("hygiene.reason.join").join(failures), tuple(steps))
    if not excursions:
        return Verdict("conform", tr("hygiene.reason.peak_none", multiple=num(m)), tuple(steps))
    return Verdict("conform", tr("hygiene.reason.peak_ok", count=len(excursions),
                                 multiple=num(m), ceiling=num(c)), tuple(steps))


# --- judgement -------------------------------------------------------------------------

def _compare(quantity: str, value: Concentration | None, limit: float, limit_name: str,
             rules: JudgementRules, unit: str = MG_M3) -> Verdict:
    """One "value ≤ limit" test, with the below-LOD convention of this module's docstring."""
    if value is None:
        return Verdict("not_judged", tr("hygiene.reason.missing", quantity=quantity), ())
    bound = isinstance(value, Result) and value.below_lod
    v = value.value if isinstance(value, Result) else float(value)
    ok = le(v, limit)
    shown = f"<{num(v)}" if bound else num(v)
    step = Step(tr("hygiene.exposure.compare"),
                f"{quantity} = {shown} {'≤' if ok else '>'} {limit_name} = {num(limit)}", v, unit)
    if bound:
        if rules.below_lod_policy == "not_judged":
            return Verdict("not_judged", tr("hygiene.reason.lod_policy_not_judged",
                                            quantity=quantity), (step,))
        if ok:
            return Verdict("conform", tr("hygiene.reason.lod_bound_ok", quantity=quantity,
                                         value=num(v), limit_name=limit_name, limit=num(limit)),
                           (step,))
        return Verdict("not_judged", tr("hygiene.reason.lod_bound_over", quantity=quantity,
                                        value=num(v), limit_name=limit_name, limit=num(limit)),
                       (step,))
    key = "hygiene.reason.within" if ok else "hygiene.reason.over"
    return Verdict("conform" if ok else "not_conform",
                   tr(key, quantity=quantity, value=num(v), limit_name=limit_name,
                      limit=num(limit)), (step,))


def _twa_part(quantity: str, value: Concentration | None, pc_twa: float, rf: float,
              rules: JudgementRules, unit: str = MG_M3) -> Verdict:
    if not 0 < rf <= 1:
        raise ValueError("RF must lie in (0, 1]")
    if rf == 1:
        return _compare(quantity, value, pc_twa, "PC-TWA", rules, unit)
    adjusted = pc_twa * rf
    step = Step(tr("hygiene.exposure.adjusted_limit"),
                f"PC-TWA × RF = {num(pc_twa)} × {num(rf)}", adjusted, unit)
    part = _compare(quantity, value, adjusted, "PC-TWA×RF", rules, unit)
    return Verdict(part.outcome, part.reason, (step, *part.steps))


def judge_chemical(limit: ChemicalLimit, *, twa: Concentration | None,
                   ste: Concentration | None, peaks: Sequence[Excursion] = (),
                   max_result: Concentration | None = None, rf: float = 1.0,
                   rules: JudgementRules) -> Verdict:
    """符合 / 不符合 / 不判定 of one chemical substance by GBZ 2.1-2019 ch. 6:

    * a MAC: C_ME (``max_result``) ≤ MAC;
    * PC-TWA and PC-STEL: C_TWA ≤ PC-TWA × RF **and** C_STE ≤ PC-STEL;
    * PC-TWA only: C_TWA ≤ PC-TWA × RF **and** the peak-exposure rule on ``peaks``
      (``peak_rule``; no peaks listed = no excursion recorded);
    * no limit at all: 不判定.

    Any failing part makes 不符合; otherwise a part that cannot be judged (value not measured,
    below-LOD bound) makes 不判定. Values may be ``Result``s from ``*_of_results``."""
    name = limit.name_zh if _zh() else limit.name_en
    parts: list[Verdict] = []
    if limit.mac is not None:
        parts.append(_compare("C_ME", max_result, limit.mac, "MAC", rules))
    if limit.pc_twa is not None:
        parts.append(_twa_part("C_TWA", twa, limit.pc_twa, rf, rules))
        if limit.pc_stel is not None:
            parts.append(_compare("C_STE", ste, limit.pc_stel, "PC-STEL", rules))
        else:
            parts.append(peak_rule(limit.pc_twa, peaks, rules))
    elif limit.pc_stel is not None:  # not in GBZ 2.1-2019, but judge what is there
        parts.append(_compare("C_STE", ste, limit.pc_stel, "PC-STEL", rules))
    if not parts:
        return Verdict("not_judged", tr("hygiene.reason.no_limit", substance=name), ())
    return combine(parts)


def judge_dust(limit: DustLimit, *, total_twa: Concentration | None,
               respirable_twa: Concentration | None, rf: float = 1.0,
               rules: JudgementRules, total_peaks: Sequence[Excursion] = (),
               respirable_peaks: Sequence[Excursion] = (), fibre_twa: float | None = None,
               silica_percent: float | None = None) -> Verdict:
    """符合 / 不符合 / 不判定 of one dust by GBZ 2.1-2019 ch. 6: total dust (总尘) and respirable
    dust (呼尘) are judged separately, each C_TWA ≤ PC-TWA × RF and the peak-exposure rule on
    its peaks (dusts have PC-TWA only). A fraction that was not measured is left out (it is a
    test item of its own); a measured fraction without a limit is shown but not judged; nothing
    judgeable → 不判定. Asbestos' fibre count (f/mL) is judged like a third fraction.
    ``silica_percent``, when given, must fall in the band of the row (``limit.covers``, band
    rule of gbz2_1_2019_dusts.yaml), else 不判定."""
    name = limit.name_zh if _zh() else limit.name_en
    if silica_percent is not None and not limit.covers(silica_percent):
        return Verdict("not_judged", tr("hygiene.reason.silica_band", substance=name,
                                        percent=num(silica_percent)), ())
    parts: list[Verdict] = []
    notes: list[Step] = []
    fractions = (("total", "C_TWA(总尘)", total_twa, limit.total_twa, total_peaks),
                 ("respirable", "C_TWA(呼尘)", respirable_twa, limit.respirable_twa,
                  respirable_peaks))
    for key, quantity, value, pc_twa, peaks in fractions:
        if value is None and not peaks:
            continue
        label = tr(f"hygiene.dust.{key}")
        if pc_twa is None:
            notes.append(Step(tr("hygiene.dust.no_limit", fraction=label), quantity, None))
            continue
        part = _twa_part(quantity, value, pc_twa, rf, rules)
        peak = peak_rule(pc_twa, peaks, rules, quantity=f"C_PE({label})")
        parts.append(combine([part, peak]))
    fibre_limit = limit.fibre_twa
    if fibre_twa is not None:
        if fibre_limit is None:
            notes.append(Step(tr("hygiene.dust.no_limit", fraction="f/mL"), "C_TWA(f/mL)", None))
        else:
            parts.append(_twa_part("C_TWA(f/mL)", fibre_twa, fibre_limit, rf, rules, "f/mL"))
    if not parts:
        key = "hygiene.reason.no_limit" if limit.total_twa is None and limit.respirable_twa is None \
            else "hygiene.reason.dust_nothing"
        return Verdict("not_judged", tr(key, substance=name), tuple(notes))
    return combine(parts, tuple(notes))


# --- mixtures, action level, grades --------------------------------------------------

def mixture_index(parts: Sequence[tuple[float, float]]) -> tuple[float, Step]:
    """Σ Cᵢ/OELᵢ for substances acting on the same organ or system (GBZ 2.1-2019 附录A,
    多种化学物质联合作用; DOMAIN.md §3 [C*]). ``parts`` are (Cᵢ, OELᵢ) in the same unit."""
    if not parts:
        raise ValueError("no substances")
    if any(oel <= 0 or c < 0 for c, oel in parts):
        raise ValueError("limits must be positive and concentrations not negative")
    value = math.fsum(c / oel for c, oel in parts)
    terms = " + ".join(f"{num(c)}/{num(oel)}" for c, oel in parts)
    return value, Step(tr("hygiene.exposure.mixture"), f"Σ Cᵢ/OELᵢ = {terms}", value)


def judge_mixture(parts: Sequence[tuple[float, float]]) -> Verdict:
    """Mixture judgement (GBZ 2.1-2019 附录A): Σ Cᵢ/OELᵢ > 1 exceeds the limit (不符合 — control
    is needed); ≤ 1 conforms. The 1 is the definition of the additive index, not a rule."""
    value, step = mixture_index(parts)
    ok = le(value, 1.0)
    return Verdict("conform" if ok else "not_conform",
                   tr("hygiene.reason.mixture_ok" if ok else "hygiene.reason.mixture_over",
                      value=num(value)), (step,))


def grade(ratio: float, rules: JudgementRules) -> tuple[str, str]:
    """The exposure grade of ``ratio`` = C / OEL: the first of ``rules.grades`` whose upper
    bound is ≥ the ratio (bounds inclusive: exactly 10 % is still the 1–10 % grade), as
    (code, label in the current language) — exposure_grading.yaml [C*/U]."""
    if ratio < 0 or math.isnan(ratio):
        raise ValueError("a ratio cannot be negative")
    for upper, code, _label_zh in rules.grades:
        if le(ratio, upper):
            return code, rules.grade_label(code)
    raise ValueError("the grades do not cover this ratio")


def grade_step(ratio: float, rules: JudgementRules) -> tuple[str, Step]:
    """``grade`` with a step for the screen: ratio, grade label."""
    code, label = grade(ratio, rules)
    return code, Step(tr("hygiene.exposure.grade"), f"C / OEL = {num(ratio * 100)} % → {label}",
                      ratio)


def action_level(ratio: float, rules: JudgementRules) -> tuple[bool, Step]:
    """Whether C / OEL reaches the action level (``rules.action_level``, 0.5; GBZ 2.1-2019
    行动水平 "达到" — reached or above), which calls for routine monitoring and control."""
    level = rules.action_level
    reached = ratio >= level or math.isclose(ratio, level, rel_tol=1e-9)
    return reached, Step(tr("hygiene.exposure.action_level"),
                         f"C / OEL = {num(ratio)} {'≥' if reached else '<'} {num(level)}", ratio)


def _zh() -> bool:
    return current_language() == "zh_CN"
