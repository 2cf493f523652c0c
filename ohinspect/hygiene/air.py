"""Air sampling arithmetic: sampled volume, standard volume, flow drift, concentration, and
results below the limit of detection (LOD).

Basis: GBZ 159-2004 工作场所空气中有害物质监测的采样规范 (sampling; standard volume;
flow before and after long-time sampling) and the GBZ/T 160 / GBZ/T 300 method standards
(concentration = mass / volume). Rule values — the temperature and pressure range outside which
the volume is converted, the largest acceptable flow drift — come from the ``AirRules`` passed
in (ohinspect.standards.sampling_rules.load_air_rules), never from this module. DOMAIN.md §2
tags them [U].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ohinspect.hygiene.steps import Step, num
from ohinspect.i18n import tr

if TYPE_CHECKING:
    from ohinspect.standards.sampling_rules import AirRules

MG_M3 = "mg/m³"


def sample_volume(flow_lpm: float, minutes: float) -> tuple[float, Step]:
    """Sampled air volume V_t = q × t (L/min × min = L), GBZ 159-2004 采样体积."""
    if flow_lpm <= 0 or minutes <= 0:
        raise ValueError("flow and duration must be positive")
    value = flow_lpm * minutes
    return value, Step(tr("hygiene.air.volume"),
                       f"V_t = q × t = {num(flow_lpm)} × {num(minutes)}", value, "L")


def standard_volume(volume_l: float, temp_c: float, pressure_kpa: float,
                    rules: AirRules) -> tuple[float, bool, Step]:
    """The volume to compute the concentration with, and whether it was converted.

    GBZ 159-2004 (采样体积的换算; DOMAIN.md §2 [U]): when the sampling temperature is outside
    ``rules.std_temp_range`` (5–35 ℃) or the pressure outside ``rules.std_pressure_range_kpa``
    (98.8–103.4 kPa) the volume is converted to the standard state,
    V₀ = V_t × 293 / (273 + t) × P / 101.3 (the constants are ``rules.std_reference_temp_k``,
    ``rules.std_celsius_offset_k`` and ``rules.std_reference_pressure_kpa``); inside both
    ranges, edges included (``rules.needs_standard_volume``), it is used as sampled.
    Returns (volume, converted, step)."""
    if volume_l <= 0:
        raise ValueError("the volume must be positive")
    if temp_c <= -rules.std_celsius_offset_k or pressure_kpa <= 0:
        raise ValueError("impossible temperature or pressure")
    t_lo, t_hi = rules.std_temp_range
    p_lo, p_hi = rules.std_pressure_range_kpa
    if not rules.needs_standard_volume(temp_c, pressure_kpa):
        formula = (f"{num(t_lo)} ℃ ≤ t = {num(temp_c)} ℃ ≤ {num(t_hi)} ℃, "
                   f"{num(p_lo)} kPa ≤ P = {num(pressure_kpa)} kPa ≤ {num(p_hi)} kPa: "
                   f"V₀ = V_t = {num(volume_l)}")
        return volume_l, False, Step(tr("hygiene.air.std_volume_kept"), formula, volume_l, "L")
    t_ref, offset, p_ref = (rules.std_reference_temp_k, rules.std_celsius_offset_k,
                            rules.std_reference_pressure_kpa)
    value = volume_l * t_ref / (offset + temp_c) * pressure_kpa / p_ref
    formula = (f"V₀ = V_t × {num(t_ref)} / ({num(offset)} + t) × P / {num(p_ref)} = "
               f"{num(volume_l)} × {num(t_ref)} / ({num(offset)} + {num(temp_c)}) × "
               f"{num(pressure_kpa)} / {num(p_ref)}")
    return value, True, Step(tr("hygiene.air.std_volume"), formula, value, "L")


def mean_flow(before: float, after: float) -> float:
    """Mean of the flow set before and read after long-time sampling (GBZ 159-2004: the mean
    is used to compute the volume), L/min."""
    if before <= 0 or after <= 0:
        raise ValueError("flows must be positive")
    return (before + after) / 2.0


def flow_drift(before: float, after: float) -> float:
    """Relative change of the flow during sampling, |q_after − q_before| / q_before, as a
    fraction (0.05 = 5 %). The flow set before sampling is the reference."""
    if before <= 0 or after < 0:
        raise ValueError("flows must be positive")
    return abs(after - before) / before


@dataclass(frozen=True)
class FlowCheck:
    mean_lpm: float
    drift: float          # fraction
    flagged: bool         # drift above rules.flow_drift_max
    steps: tuple[Step, ...]


def check_flow(before: float, after: float, rules: AirRules) -> FlowCheck:
    """Mean flow and drift of a long-time sample, flagged when the drift is above
    ``rules.flow_drift_max`` (a fraction; DOMAIN.md §2: 5 % [U], GBZ 159-2004 practice).
    A drift of exactly the maximum is not flagged."""
    mean = mean_flow(before, after)
    drift = flow_drift(before, after)
    limit = rules.flow_drift_max
    flagged = drift > limit and not math.isclose(drift, limit, rel_tol=1e-9)
    steps = (
        Step(tr("hygiene.air.mean_flow"), f"q̄ = (q₁ + q₂) / 2 = ({num(before)} + {num(after)}) / 2",
             mean, "L/min"),
        Step(tr("hygiene.air.flow_drift"),
             f"|q₂ − q₁| / q₁ = |{num(after)} − {num(before)}| / {num(before)} = "
             f"{num(drift * 100)} % {'>' if flagged else '≤'} {num(limit * 100)} %", drift),
    )
    return FlowCheck(mean, drift, flagged, steps)


def concentration(mass_ug: float, volume_l: float, blank_ug: float = 0.0) -> float:
    """Concentration in mg/m³ from the analysed mass (µg, less the field blank) and the
    (standard) volume in L: C = (m − m_blank) / V, since 1 µg/L = 1 mg/m³ (GBZ/T 160 / GBZ/T 300
    method standards). A blank larger than the mass gives 0."""
    if volume_l <= 0:
        raise ValueError("the volume must be positive")
    if mass_ug < 0 or blank_ug < 0:
        raise ValueError("a mass cannot be negative")
    return max(mass_ug - blank_ug, 0.0) / volume_l


def concentration_step(mass_ug: float, volume_l: float, blank_ug: float = 0.0) -> tuple[float, Step]:
    """``concentration`` with its step for the screen."""
    value = concentration(mass_ug, volume_l, blank_ug)
    if blank_ug:
        formula = f"C = (m − m₀) / V = ({num(mass_ug)} − {num(blank_ug)}) µg / {num(volume_l)} L"
    else:
        formula = f"C = m / V = {num(mass_ug)} µg / {num(volume_l)} L"
    return value, Step(tr("hygiene.air.concentration"), formula, value, MG_M3)


# --- results below the limit of detection -----------------------------------------------

#: The "< LOD" policies of JudgementRules.below_lod_policy (gbz2_1_2019_judgement.yaml, [U]).
LOD_POLICIES = ("half_lod", "lod", "zero", "not_judged")


@dataclass(frozen=True)
class Result:
    """A concentration, mg/m³. ``below_lod`` marks a "<" result (DOMAIN.md §2: "result with a
    '<' operator for values below the detection limit"): ``value`` is then the LOD expressed
    as a concentration for that sample.

    The same type carries a computed exposure (C_TWA, C_STE, C_ME from ``*_of_results`` in
    ohinspect.hygiene.exposure): there ``below_lod`` means "no measured value: this is an upper
    bound computed with the LODs" — the case when every result was "< LOD", or when the policy
    is ``not_judged`` and any result was. ``judge_chemical`` / ``judge_dust`` then decide by the
    policy (see ``ohinspect.hygiene.exposure``)."""

    value: float
    below_lod: bool = False

    def __post_init__(self) -> None:
        if math.isnan(self.value) or self.value < 0:
            raise ValueError("a result cannot be negative")

    def text(self) -> str:
        return f"<{num(self.value)}" if self.below_lod else num(self.value)


def check_lod_policy(policy: str) -> str:
    if policy not in LOD_POLICIES:
        raise ValueError(f"unknown below-LOD policy {policy!r}; one of {', '.join(LOD_POLICIES)}")
    return policy


def substitute(result: Result | float, policy: str) -> float:
    """The value a result takes inside a calculation (JudgementRules.below_lod_policy, [U]):
    a detected result its value; a "< LOD" result LOD/2 (``half_lod``), the LOD (``lod``) or 0
    (``zero``). Under ``not_judged`` there is no such value: ValueError."""
    if not isinstance(result, Result):
        return float(result)
    if not result.below_lod:
        return result.value
    check_lod_policy(policy)
    if policy == "not_judged":
        raise ValueError("the policy 'not_judged' gives no value for a result below the LOD")
    return {"lod": result.value, "half_lod": result.value / 2.0, "zero": 0.0}[policy]


@dataclass(frozen=True)
class Resolved:
    """Results turned into numbers to calculate with (see ``resolve``)."""

    values: tuple[float, ...]
    upper_bound: bool        # True: values are LODs, the outcome is only an upper bound
    steps: tuple[Step, ...]


def resolve(results: Sequence[Result | float], policy: str) -> Resolved:
    """The numbers to calculate with, by the below-LOD ``policy``.

    * no "< LOD" result: the values as they are;
    * every result "< LOD", or any under the policy ``not_judged``: the LODs themselves, flagged
      ``upper_bound`` (the true exposure is lower; the verdict decides what that means);
    * some "< LOD" under ``half_lod`` / ``lod`` / ``zero``: those results replaced by LOD/2,
      the LOD or 0, each replacement shown as a step."""
    check_lod_policy(policy)
    below = [r for r in results if isinstance(r, Result) and r.below_lod]
    if not below:
        return Resolved(tuple(float(substitute(r, policy)) for r in results), False, ())
    if len(below) == len(results) or policy == "not_judged":
        key = "hygiene.air.all_below_lod" if len(below) == len(results) else \
            "hygiene.air.below_lod_not_judged"
        shown = ", ".join(r.text() if isinstance(r, Result) else num(r) for r in results)
        values = tuple(r.value if isinstance(r, Result) else float(r) for r in results)
        return Resolved(values, True, (Step(tr(key), shown, None, MG_M3),))
    values = tuple(substitute(r, policy) for r in results)
    label = tr("hygiene.air.lod_substituted", policy=tr(f"hygiene.lod.{policy}"))
    steps = tuple(Step(label, f"{r.text()} → {num(v)}", v, MG_M3)
                  for r, v in zip(results, values) if isinstance(r, Result) and r.below_lod)
    return Resolved(values, False, steps)
