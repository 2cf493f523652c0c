"""Exposure evaluation of a sampling task (检测结果评价), recomputed from the records every time.

Nothing here is stored: :func:`evaluate_task` reads the task's posts, samples, noise
measurements and the *current* lab results (superseded ones ignored) and works out, with the
pure functions of ``ohinspect.hygiene`` and the data of ``ohinspect.standards.limits``, for every
post and hazard factor a verdict 符合 / 不符合 / 不判定 with its reason and every step of the
arithmetic. Conventions (stated here because the standards leave them open):

Concentrations
  mg/m³ results are used as reported; mass results (µg, or mg × 1000) are divided by the
  sample's standard volume when one was worked out on site, else by its volume (µg/L = mg/m³);
  ppm × M / V_m with the molar volume of the limits file. A "<LOD" result becomes a
  ``Result(LOD as a concentration, below_lod=True)`` and follows the judgement rules' data
  policy (``below_lod.policy`` of gbz2_1_2019_judgement.yaml) inside the hygiene functions.
  Blank samples are never averaged: a blank with a detected result (not "<LOD") raises a
  contamination warning on the task and on every factor of that analyte.

C_TWA (per post and factor)
  A sample counts towards C_TWA with its representative exposure time Tᵢ (``representative_hours``;
  for a long sample without one, the time it was sampled). Personal samples are grouped per
  wearer and day, fixed-point samples per day (local date of the start), and each group gives
  C_TWA = Σ CᵢTᵢ / 8. The post's C_TWA is the highest group value — personal groups when there
  are any, otherwise fixed-point groups. Long shifts (post hours/day > 8 or hours/week =
  hours/day × days/week > 40): PC-TWA × RF (H's convention: C_TWA keeps the divisor 8).
Short samples (sampled ≤ ``AirRules.short_max_minutes``)
  C_STE = Σ CᵢTᵢ / 15 per short sample, the post's C_STE the highest; C_ME (MAC substances) the
  highest short-sample result (all samples when none was short); the peak-exposure rule of
  PC-TWA-only substances and dusts takes each short sample as an excursion candidate (its LOD
  when "<LOD"), per day and shift start = the post's first sample that day; the day that fails
  (else the one with most excursions) is judged.
Dust
  Total and respirable fractions separately; silica's band from the free-SiO₂ results
  (``lab.free_silica``, %) of the post's samples of that dust, else ``Sample.silica_percent``
  — the highest content found (the stricter band); band edges as the limits file states.
Noise
  Per post: one measurement → L_EX,8h = L_Aeq,Te + 10·lg(Te/8); several → they are the parts of
  the worker's day (ISO 9612 task-based): L_Aeq over ΣTᵢ, then L_EX,8h. Te = the measurement's
  exposure hours, else the post's hours/day. A week of other than 5 days (measurement's, else
  the post's days/week) is judged on L_EX,40h = 10·lg[(1/5)·Σ 10^(0.1·L_EX,8h)].
Mixtures
  Σ C_TWA/(PC-TWA × RF) over *all* chemicals of a post that have a PC-TWA and a C_TWA (at least
  two): a simplification — the standard adds only substances with the same health effect; the
  evaluator must confirm that they act on the same organ. The note says so.
Grade and action level
  ratio = C_ME/MAC for MAC substances, else C_TWA/(PC-TWA × RF) (C_STE/PC-STEL when no C_TWA);
  dust: the larger of the fractions' ratios.
Similar-exposure groups
  Same post and factor (and dust fraction) with ≥ 2 personal C_TWA values (per wearer-day):
  GM, GSD, P95, exceedance fraction and its UCL against PC-TWA × RF (upper-bound values follow
  the below-LOD policy; under ``not_judged`` they are left out). The statistics are worked out
  when ``GroupEvaluation.stats`` is first read and remembered for the same values.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError
from ohinspect.hygiene.air import MG_M3, Result, concentration_step, substitute
from ohinspect.hygiene.exposure import (Excursion, action_level, c_me_of_results,
                                        c_ste_of_results, c_twa_of_results, grade_step,
                                        judge_chemical, judge_dust, judge_mixture, peak_rule,
                                        reduction_factor)
from ohinspect.hygiene.noise import (NOMINAL_DAYS_PER_WEEK, judge_noise, laeq, lex_8h, lex_40h,
                                    needs_weekly)
from ohinspect.hygiene.stats import GroupStats, group_stats
from ohinspect.hygiene.steps import Step, Verdict, num
from ohinspect.i18n import current_language, tr
from ohinspect.services.lab_results import (FREE_SILICA, MASS_UNITS, describe, pick_current,
                                            sample_volume_l)
from ohinspect.standards.hazards import load_hazard_catalogue
from ohinspect.standards.limits import (DustLimit, JudgementRules, LimitsTable,
                                        NoiseLimits, load_judgement_rules, load_limits,
                                        load_noise_limits)
from ohinspect.standards.sampling_rules import AirRules, load_air_rules
from ohinspect.store.models import LabResult, NoiseMeasurement, Sample, SamplingPost, SamplingTask

F_ML = "f/mL"
FRACTIONS = ("total", "respirable")


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class SampleValue:
    """One sample's current result for one analyte, as a concentration (mg/m³, or f/mL)."""

    sample_id: str
    sample_number: str
    kind: str                      # personal | fixed
    post_id: str | None
    analyte: str
    fraction: str                  # dust: total | respirable | fibre; "" for chemicals
    result_id: str
    concentration: Result | None   # None when it cannot be worked out (see problem)
    unit: str
    minutes: float | None          # sampled time
    hours: float | None            # representative exposure time
    short: bool
    started_at: datetime | None
    wearer: str
    steps: tuple[Step, ...]
    problem: str | None = None


@dataclass(frozen=True)
class FactorEvaluation:
    post_id: str | None
    hazard_code: str
    name: str
    verdict: Verdict               # reason + every step (concentrations, C_TWA, RF, comparisons…)
    twa: float | None              # chemical C_TWA, dust total-dust C_TWA (mg/m³)
    ste: float | None
    c_me: float | None
    respirable_twa: float | None = None
    fibre_twa: float | None = None
    rf: float = 1.0
    oel: float | None = None       # the limit the ratio is taken against (PC-TWA × RF, MAC…)
    ratio: float | None = None
    grade_code: str | None = None
    grade_label: str | None = None
    action_level_reached: bool | None = None
    silica_percent: float | None = None
    upper_bound: bool = False      # the exposure is only an upper bound from LODs
    samples: tuple[SampleValue, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        return self.verdict.outcome


@dataclass(frozen=True)
class NoiseEvaluation:
    post_id: str | None
    points: tuple[str, ...]
    lex_8h: float | None
    lex_40h: float | None
    days_per_week: float | None
    verdict: Verdict
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MixtureEvaluation:
    post_id: str | None
    index: float
    parts: tuple[tuple[str, float, float], ...]    # (hazard code, C_TWA, PC-TWA × RF)
    verdict: Verdict
    note: str


@dataclass(frozen=True)
class GroupEvaluation:
    """A similar-exposure group: its personal C_TWA values and the limit. ``stats`` (GM, GSD,
    P95, exceedance fraction and its exact UCL) is worked out when first read and remembered
    for the same values: the exact UCL integrates the non-central t distribution (a few ms a
    group), so a re-evaluation after a correction recomputes only the groups that changed."""

    post_id: str | None
    hazard_code: str
    fraction: str
    values: tuple[float, ...]
    oel: float

    @property
    def stats(self) -> GroupStats:
        return _group_stats(self.values, self.oel, current_language())


@dataclass(frozen=True)
class TaskEvaluation:
    task_id: str
    factors: list[FactorEvaluation]
    noise: list[NoiseEvaluation]
    mixtures: list[MixtureEvaluation]
    group_stats: list[GroupEvaluation]
    warnings: list[str] = field(default_factory=list)

    def factor(self, post_id: str | None, hazard_code: str) -> FactorEvaluation | None:
        return next((f for f in self.factors
                     if f.post_id == post_id and f.hazard_code == hazard_code), None)

    def noise_for(self, post_id: str | None) -> NoiseEvaluation | None:
        return next((n for n in self.noise if n.post_id == post_id), None)

    def mixture_for(self, post_id: str | None) -> MixtureEvaluation | None:
        return next((m for m in self.mixtures if m.post_id == post_id), None)


@dataclass
class _Context:
    limits: LimitsTable
    rules: JudgementRules
    air: AirRules
    noise: NoiseLimits


# ------------------------------------------------------------------ the entry point


def evaluate_task(session: Session, task_id: str) -> TaskEvaluation:
    """Everything about the task's exposure, recomputed from its records (see module doc)."""
    task = session.get(SamplingTask, task_id)
    if task is None or task.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=task_id))
    ctx = _Context(load_limits(), load_judgement_rules(), load_air_rules(), load_noise_limits())
    # plain rows (attribute access like the records, without the ORM's identity map: a task
    # of 500 samples and their results loads in a third of the time)
    posts = _rows(session, SamplingPost, SamplingPost.task_id == task_id,
                  order=(SamplingPost.workshop, SamplingPost.post, SamplingPost.id))
    samples = _rows(session, Sample, Sample.task_id == task_id,
                    order=(Sample.started_at, Sample.sample_number))
    noise = _rows(session, NoiseMeasurement, NoiseMeasurement.task_id == task_id,
                  order=(NoiseMeasurement.measured_at, NoiseMeasurement.point))
    results = _rows(session, LabResult, LabResult.sample_id.in_(
        select(Sample.id).where(Sample.task_id == task_id, Sample.deleted_at.is_(None))))
    current = pick_current(results)

    warnings: list[str] = []
    blank_warnings = _blank_warnings(samples, current)
    for texts in blank_warnings.values():
        warnings.extend(texts)

    by_post: dict[str | None, list[Sample]] = defaultdict(list)
    for s in samples:
        if s.kind != "blank":
            by_post[s.post_id].append(s)
    results_by_sample: dict[str, list[LabResult]] = defaultdict(list)
    for (sample_id, _), r in current.items():
        results_by_sample[sample_id].append(r)

    factors: list[FactorEvaluation] = []
    mixtures: list[MixtureEvaluation] = []
    groups: list[GroupEvaluation] = []
    post_ids: list[str | None] = [p.id for p in posts]
    post_map: dict[str | None, SamplingPost | None] = {p.id: p for p in posts}
    if None in by_post:
        post_ids.append(None)
        post_map[None] = None
    for post_id in post_ids:
        post = post_map[post_id]
        post_samples = by_post.get(post_id, [])
        post_factors = _post_factors(ctx, post, post_samples, results_by_sample, blank_warnings,
                                     groups)
        factors.extend(post_factors)
        mixture = _mixture(post_id, post_factors, ctx)
        if mixture is not None:
            mixtures.append(mixture)
        for f in post_factors:
            warnings.extend(w for w in f.warnings if w not in warnings)

    noise_evals = _noise(ctx, posts, noise)
    for n in noise_evals:
        warnings.extend(n.warnings)
    return TaskEvaluation(task_id, factors, noise_evals, mixtures, groups, warnings)


def _rows(session: Session, model: Any, *where: Any, order: Sequence[Any] = ()) -> list[Any]:
    stmt = select(*model.__table__.c).where(model.deleted_at.is_(None), *where).order_by(*order)
    return list(session.execute(stmt))


# ------------------------------------------------------------------ concentrations


def _minutes(s: Sample) -> float | None:
    if s.started_at is None or s.ended_at is None:
        return None
    return (s.ended_at - s.started_at).total_seconds() / 60.0


def _sample_value(s: Sample, r: LabResult, ctx: _Context) -> SampleValue:
    """The concentration of one result (mg/m³; f/mL for fibre counts), with its step."""
    minutes = _minutes(s)
    short = minutes is not None and minutes <= ctx.air.short_max_minutes
    hours = s.representative_hours if s.representative_hours and s.representative_hours > 0 \
        else (minutes / 60.0 if minutes and not short else None)
    fraction = s.fraction or ("total" if _category(r.analyte) == "dust" else "")
    label = tr("results.eval.step.concentration", sample=s.sample_number)
    problem: str | None = None
    conc: Result | None = None
    unit = MG_M3
    steps: list[Step] = []
    raw = r.lod if r.below_lod else r.value
    if raw is None:
        problem = tr("results.eval.no_value", sample=s.sample_number)
    elif r.unit == "mg/m³":
        conc = Result(raw, r.below_lod)
        steps.append(Step(label, f"C = {describe(r)}", raw, MG_M3))
    elif r.unit in MASS_UNITS:
        volume = sample_volume_l(s)
        mass = raw * MASS_UNITS[r.unit]
        if volume is None:
            problem = tr("results.eval.no_volume", sample=s.sample_number)
        else:
            value, step = concentration_step(mass, volume)
            prefix = "<" if r.below_lod else ""
            steps.append(Step(label, prefix + step.formula, value, MG_M3))
            conc = Result(value, r.below_lod)
    elif r.unit == "ppm":
        limit = ctx.limits.chemical(r.analyte)
        value = ctx.limits.ppm_to_mg_m3(limit, raw) if limit is not None else None
        if value is None or limit is None:
            problem = tr("results.error.ppm_without_mw", analyte=r.analyte)
        else:
            steps.append(Step(label, f"C = {'<' if r.below_lod else ''}{num(raw)} ppm × "
                                     f"{num(limit.molecular_weight or 0)} / "
                                     f"{num(ctx.limits.molar_volume_l or 0)}", value, MG_M3))
            conc = Result(value, r.below_lod)
    elif r.unit == F_ML:
        conc, unit, fraction = Result(raw, r.below_lod), F_ML, "fibre"
        steps.append(Step(label, f"C = {describe(r)}", raw, F_ML))
    else:
        problem = tr("results.eval.unit_unusable", sample=s.sample_number, unit=r.unit)
    return SampleValue(s.id, s.sample_number, s.kind, s.post_id, r.analyte, fraction, r.id, conc,
                       unit, minutes, hours, short, s.started_at, s.wearer, tuple(steps), problem)


def _category(code: str) -> str | None:
    factor = load_hazard_catalogue().get(code)
    return factor.category if factor else None


def _name(code: str) -> str:
    factor = load_hazard_catalogue().get(code)
    if factor is None:
        return code
    return factor.name_zh if current_language() == "zh_CN" else factor.name_en


def _blank_warnings(samples: Sequence[Sample],
                    current: dict[tuple[str, str], LabResult]) -> dict[str, list[str]]:
    """analyte → contamination warnings from blanks with a detected result."""
    out: dict[str, list[str]] = defaultdict(list)
    by_id = {s.id: s for s in samples}
    for (sample_id, analyte), r in sorted(current.items(), key=lambda kv: (
            by_id[kv[0][0]].sample_number, kv[0][1])):
        s = by_id[sample_id]
        if s.kind != "blank" or analyte == FREE_SILICA or r.below_lod or r.value is None:
            continue
        if r.value <= 0 or (r.lod is not None and r.value < r.lod):
            continue
        out[analyte].append(tr("results.eval.blank_contaminated", sample=s.sample_number,
                               analyte=_name(analyte), value=describe(r)))
    return out


# ------------------------------------------------------------------ per post


def _post_factors(ctx: _Context, post: SamplingPost | None, samples: Sequence[Sample],
                  results: dict[str, list[LabResult]], blanks: dict[str, list[str]],
                  groups: list[GroupEvaluation]) -> list[FactorEvaluation]:
    post_id = post.id if post else None
    codes: list[str] = []
    for code in (post.hazard_codes if post else []):
        if _category(code) in ("chemical", "dust") and code not in codes:
            codes.append(code)
    values: dict[str, list[SampleValue]] = defaultdict(list)
    silica: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for s in samples:
        if s.hazard_code not in codes and _category(s.hazard_code) in ("chemical", "dust"):
            codes.append(s.hazard_code)
        if s.silica_percent is not None:
            silica[s.hazard_code].append((s.silica_percent, s.sample_number))
        for r in sorted(results.get(s.id, []), key=lambda r: r.analyte):
            if r.analyte == FREE_SILICA:
                if not r.below_lod and r.value is not None:
                    silica[s.hazard_code].append((r.value, s.sample_number))
                continue
            if r.analyte not in codes:
                codes.append(r.analyte)
            values[r.analyte].append(_sample_value(s, r, ctx))
    rf, rf_steps, rf_warn = _rf(post, ctx)
    out: list[FactorEvaluation] = []
    for code in codes:
        vals = values.get(code, [])
        warns = list(rf_warn) + list(blanks.get(code, []))
        warns += [v.problem for v in vals if v.problem]
        hours = post.exposure_hours_per_day if post else None
        if _category(code) == "dust":
            ev = _dust(ctx, post_id, code, vals, rf, rf_steps, silica.get(code, []), warns, groups,
                       hours)
        else:
            ev = _chemical(ctx, post_id, code, vals, rf, rf_steps, warns, groups, hours)
        out.append(ev)
    return out


def _rf(post: SamplingPost | None, ctx: _Context) -> tuple[float, tuple[Step, ...], list[str]]:
    if post is None:
        return 1.0, (), []
    per_day = post.exposure_hours_per_day
    per_week = per_day * post.days_per_week if per_day and post.days_per_week else None
    if per_day is None and per_week is None:
        return 1.0, (), []
    try:
        rf, step = reduction_factor(per_day, per_week, rules=ctx.rules)
    except ValueError:
        return 1.0, (), [tr("results.eval.rf_hours_invalid", hours=num(per_day or 0))]
    steps: list[Step] = []
    if per_week is not None:
        steps.append(Step(tr("results.eval.step.week_hours"),
                          f"{num(per_day or 0)} h × {num(post.days_per_week or 0)} d", per_week, "h"))
    steps.append(step)
    return rf, tuple(steps), []


def _day(v: SampleValue) -> date | None:
    return v.started_at.astimezone().date() if v.started_at else None


def _twa_groups(vals: Sequence[SampleValue]) -> tuple[list[tuple[str, list[SampleValue]]], bool]:
    """TWA groups (label, samples): per wearer-day for personal samples if there are any with an
    exposure time, else per day for fixed-point samples. Returns (groups, personal?)."""
    usable = [v for v in vals if v.concentration is not None and v.hours]
    personal = [v for v in usable if v.kind == "personal"]
    chosen = personal or [v for v in usable if v.kind != "personal"]
    grouped: dict[tuple[str, object], list[SampleValue]] = defaultdict(list)
    for v in chosen:
        who = (v.wearer or v.sample_number) if personal else ""
        grouped[(who, _day(v))].append(v)
    out = []
    for (who, day), members in grouped.items():
        label = " ".join(x for x in (who, day.isoformat() if isinstance(day, date) else "") if x)
        out.append((label, members))
    return out, bool(personal)


@dataclass
class _Twa:
    value: Result | None
    steps: list[Step]
    personal_values: list[Result]
    warnings: list[str]


def _twa(vals: Sequence[SampleValue], ctx: _Context, post_hours: float | None) -> _Twa:
    groups, personal = _twa_groups(vals)
    steps: list[Step] = []
    warnings: list[str] = []
    computed: list[tuple[str, Result]] = []
    for label, members in groups:
        segments = [(m.concentration, m.hours) for m in members]  # type: ignore[misc]
        total = math.fsum(m.hours or 0.0 for m in members)
        if post_hours and total > post_hours * (1 + 1e-9):
            warnings.append(tr("results.eval.hours_exceed", group=label or "—", hours=num(total),
                               post_hours=num(post_hours)))
        try:
            value, group_steps = c_twa_of_results(segments, ctx.rules)  # type: ignore[arg-type]
        except ValueError as exc:
            warnings.append(tr("results.eval.twa_failed", group=label, error=str(exc)))
            continue
        numbers = ", ".join(m.sample_number for m in members)
        steps.append(Step(tr("results.eval.step.twa_group", group=label or "—", samples=numbers),
                          "", None))
        steps.extend(group_steps)
        computed.append((label, value))
    if not computed:
        return _Twa(None, steps, [], warnings)
    label, best = max(computed, key=lambda kv: kv[1].value)
    if len(computed) > 1:
        steps.append(Step(tr("results.eval.step.twa_max"),
                          "C_TWA = max(" + ", ".join(r.text() for _, r in computed) + ")",
                          best.value, MG_M3))
    return _Twa(best, steps, [r for _, r in computed] if personal else [], warnings)


def _ste(vals: Sequence[SampleValue], ctx: _Context) -> tuple[Result | None, list[Step]]:
    steps: list[Step] = []
    computed: list[Result] = []
    for v in vals:
        if not v.short or v.concentration is None or v.minutes is None:
            continue
        value, s = c_ste_of_results([(v.concentration, v.minutes)], ctx.rules)
        steps.append(Step(tr("results.eval.step.short_sample", sample=v.sample_number), "", None))
        steps.extend(s)
        computed.append(value)
    if not computed:
        return None, steps
    best = max(computed, key=lambda r: r.value)
    if len(computed) > 1:
        steps.append(Step(tr("results.eval.step.ste_max"),
                          "C_STE = max(" + ", ".join(r.text() for r in computed) + ")",
                          best.value, MG_M3))
    return best, steps


def _peaks(vals: Sequence[SampleValue], all_vals: Sequence[SampleValue], pc_twa: float,
           ctx: _Context) -> tuple[list[Excursion], list[Step]]:
    """The short samples of the day whose peak-exposure check fails (else the day with most
    excursions), as excursions from the shift's start (the first sample of that day)."""
    by_day: dict[date | None, list[SampleValue]] = defaultdict(list)
    for v in vals:
        if v.short and v.concentration is not None and v.started_at is not None and v.minutes is not None:
            by_day[_day(v)].append(v)
    if not by_day:
        return [], []
    starts: dict[date | None, datetime] = {}
    for v in all_vals:
        if v.started_at is not None:
            d = _day(v)
            starts[d] = min(starts.get(d, v.started_at), v.started_at)
    candidates = []
    for day, members in by_day.items():
        start = starts[day]
        peaks = [Excursion(m.concentration.value, m.minutes,  # type: ignore[union-attr,arg-type]
                           (m.started_at - start).total_seconds() / 3600.0)  # type: ignore[operator]
                 for m in members]
        verdict = peak_rule(pc_twa, peaks, ctx.rules)
        over = sum(1 for p in peaks if p.concentration > ctx.rules.excursion_multiple * pc_twa)
        candidates.append((verdict.outcome == "not_conform", over, day, peaks, start))
    failing, _, day, peaks, start = max(candidates, key=lambda c: (c[0], c[1]))
    step = Step(tr("results.eval.step.peak_day", day=day.isoformat() if day else "—",
                   start=start.astimezone().strftime("%H:%M")), "", None)
    return peaks, [step]


def _not_judged(reason: str, steps: Iterable[Step] = ()) -> Verdict:
    return Verdict("not_judged", reason, tuple(steps))


def _grade(ratio: float | None, oel: float | None, ctx: _Context,
           steps: list[Step]) -> tuple[str | None, str | None, bool | None]:
    if ratio is None or oel is None:
        return None, None, None
    code, step = grade_step(ratio, ctx.rules)
    reached, al_step = action_level(ratio, ctx.rules)
    steps.extend([step, al_step])
    return code, ctx.rules.grade_label(code), reached


def _chemical(ctx: _Context, post_id: str | None, code: str, vals: list[SampleValue], rf: float,
              rf_steps: tuple[Step, ...], warns: list[str], groups: list[GroupEvaluation],
              post_hours: float | None) -> FactorEvaluation:
    name = _name(code)
    steps: list[Step] = [s for v in vals for s in v.steps]
    limit = ctx.limits.chemical(code)
    usable = [v for v in vals if v.concentration is not None and v.unit == MG_M3]
    if limit is None:
        forms = ctx.limits.forms(code)
        key = "results.eval.several_forms" if len(forms) > 1 else "results.eval.no_limit"
        return FactorEvaluation(post_id, code, name, _not_judged(tr(key, substance=name), steps),
                                None, None, None, rf=rf, samples=tuple(vals), warnings=tuple(warns))
    if not usable:
        return FactorEvaluation(post_id, code, name,
                                _not_judged(tr("results.eval.no_results", substance=name), steps),
                                None, None, None, rf=rf, samples=tuple(vals), warnings=tuple(warns))
    twa = _twa(usable, ctx, post_hours)
    warns += twa.warnings
    steps += twa.steps
    ste, ste_steps = _ste(usable, ctx)
    steps += ste_steps
    c_me: Result | None = None
    if limit.mac is not None:
        me_from = [v for v in usable if v.short] or usable
        c_me, me_steps = c_me_of_results([v.concentration for v in me_from], ctx.rules)  # type: ignore[misc]
        steps += me_steps
    peaks: list[Excursion] = []
    if limit.kind == "twa_only" and limit.pc_twa is not None:
        peaks, peak_steps = _peaks(usable, vals, limit.pc_twa, ctx)
        steps += peak_steps
    if limit.pc_twa is not None:
        steps += rf_steps
    verdict = judge_chemical(limit, twa=twa.value, ste=ste, peaks=peaks, max_result=c_me,
                             rf=rf if limit.pc_twa is not None else 1.0, rules=ctx.rules)
    oel = ratio = None
    if limit.mac is not None and c_me is not None:
        oel, ratio = limit.mac, c_me.value / limit.mac
    elif limit.pc_twa is not None and twa.value is not None:
        oel = limit.pc_twa * rf
        ratio = twa.value.value / oel
    elif limit.pc_stel is not None and ste is not None:
        oel, ratio = limit.pc_stel, ste.value / limit.pc_stel
    after: list[Step] = []
    grade_code, grade_label, reached = _grade(ratio, oel, ctx, after)
    upper = any(isinstance(x, Result) and x.below_lod for x in (twa.value, ste, c_me) if x)
    if limit.pc_twa is not None:
        _group(groups, post_id, code, "", twa.personal_values, limit.pc_twa * rf, ctx)
    full = Verdict(verdict.outcome, verdict.reason, tuple(steps) + verdict.steps + tuple(after))
    return FactorEvaluation(
        post_id, code, name, full, twa.value.value if twa.value else None,
        ste.value if ste else None, c_me.value if c_me else None, rf=rf, oel=oel, ratio=ratio,
        grade_code=grade_code, grade_label=grade_label, action_level_reached=reached,
        upper_bound=upper, samples=tuple(vals), warnings=tuple(warns))


def _dust(ctx: _Context, post_id: str | None, code: str, vals: list[SampleValue], rf: float,
          rf_steps: tuple[Step, ...], silica: list[tuple[float, str]], warns: list[str],
          groups: list[GroupEvaluation], post_hours: float | None) -> FactorEvaluation:
    name = _name(code)
    steps: list[Step] = [s for v in vals for s in v.steps]
    bands = ctx.limits.dust_bands(code)
    percent: float | None = None
    if silica:
        percent = max(silica)[0]
        steps.append(Step(tr("results.eval.step.silica"),
                          "max(" + ", ".join(f"{num(p)} % ({n})" for p, n in sorted(silica)) + ")",
                          percent, "%"))
    if not bands:
        return FactorEvaluation(post_id, code, name,
                                _not_judged(tr("results.eval.no_limit", substance=name), steps),
                                None, None, None, rf=rf, silica_percent=percent,
                                samples=tuple(vals), warnings=tuple(warns))
    limit: DustLimit | None
    if percent is None and len(bands) > 1:
        return FactorEvaluation(post_id, code, name,
                                _not_judged(tr("results.eval.silica_unknown", substance=name), steps),
                                None, None, None, rf=rf, samples=tuple(vals), warnings=tuple(warns))
    try:
        limit = ctx.limits.dust(code, percent)
    except ValueError:
        limit = None
    if limit is None:
        return FactorEvaluation(post_id, code, name,
                                _not_judged(tr("results.eval.silica_outside", substance=name,
                                               percent=num(percent or 0)), steps),
                                None, None, None, rf=rf, silica_percent=percent,
                                samples=tuple(vals), warnings=tuple(warns))
    if percent is not None and (limit.silica_min is not None or limit.silica_max is not None):
        low = num(limit.silica_min) if limit.silica_min is not None else "0"
        high = num(limit.silica_max) if limit.silica_max is not None else "100"
        steps.append(Step(tr("results.eval.step.silica_band", name=limit.name()),
                          f"{low} % ≤ {num(percent)} % < {high} %"
                          if limit.silica_max is not None else f"{num(percent)} % ≥ {low} %",
                          percent, "%"))
    usable = [v for v in vals if v.concentration is not None]
    if not usable:
        return FactorEvaluation(post_id, code, name,
                                _not_judged(tr("results.eval.no_results", substance=name), steps),
                                None, None, None, rf=rf, silica_percent=percent,
                                samples=tuple(vals), warnings=tuple(warns))
    twas: dict[str, Result | None] = {}
    peaks: dict[str, list[Excursion]] = {}
    for fraction in (*FRACTIONS, "fibre"):
        members = [v for v in usable if v.fraction == fraction]
        if not members:
            twas[fraction], peaks[fraction] = None, []
            continue
        steps.append(Step(tr(f"results.eval.step.fraction_{fraction}"), "", None))
        twa = _twa(members, ctx, post_hours)
        warns += twa.warnings
        steps += twa.steps
        twas[fraction] = twa.value
        pc = {"total": limit.total_twa, "respirable": limit.respirable_twa,
              "fibre": limit.fibre_twa}[fraction]
        peaks[fraction] = []
        if pc is not None and fraction != "fibre":
            peaks[fraction], peak_steps = _peaks(members, vals, pc, ctx)
            steps += peak_steps
        if pc is not None:
            _group(groups, post_id, code, fraction, twa.personal_values, pc * rf, ctx)
    steps += rf_steps
    fibre = twas["fibre"]
    verdict = judge_dust(limit, total_twa=twas["total"], respirable_twa=twas["respirable"], rf=rf,
                         rules=ctx.rules, total_peaks=peaks["total"],
                         respirable_peaks=peaks["respirable"],
                         fibre_twa=fibre.value if fibre is not None else None)
    ratios = []
    for fraction, pc in (("total", limit.total_twa), ("respirable", limit.respirable_twa),
                         ("fibre", limit.fibre_twa)):
        value = twas[fraction]
        if value is not None and pc:
            ratios.append((value.value / (pc * rf), pc * rf))
    ratio, oel = max(ratios) if ratios else (None, None)
    after: list[Step] = []
    grade_code, grade_label, reached = _grade(ratio, oel, ctx, after)
    upper = any(v is not None and v.below_lod for v in twas.values())
    full = Verdict(verdict.outcome, verdict.reason, tuple(steps) + verdict.steps + tuple(after))
    total, resp = twas["total"], twas["respirable"]
    return FactorEvaluation(
        post_id, code, name, full, total.value if total else None, None, None,
        respirable_twa=resp.value if resp else None, fibre_twa=fibre.value if fibre else None,
        rf=rf, oel=oel, ratio=ratio, grade_code=grade_code, grade_label=grade_label,
        action_level_reached=reached, silica_percent=percent, upper_bound=upper,
        samples=tuple(vals), warnings=tuple(warns))


def _group(groups: list[GroupEvaluation], post_id: str | None, code: str, fraction: str,
           values: Sequence[Result], oel: float, ctx: _Context) -> None:
    numbers: list[float] = []
    for r in values:
        if r.below_lod:
            if ctx.rules.below_lod_policy == "not_judged":
                continue
            numbers.append(substitute(r, ctx.rules.below_lod_policy))
        else:
            numbers.append(r.value)
    if len(numbers) < 2 or oel <= 0:
        return
    groups.append(GroupEvaluation(post_id, code, fraction, tuple(numbers), oel))


@lru_cache(maxsize=4096)
def _group_stats(values: tuple[float, ...], oel: float, language: str) -> GroupStats:
    """``group_stats`` is pure: remembered per values, limit and language (the steps are
    translated text)."""
    return group_stats(values, oel)


def _mixture(post_id: str | None, factors: Sequence[FactorEvaluation],
             ctx: _Context) -> MixtureEvaluation | None:
    parts: list[tuple[str, float, float]] = []
    for f in factors:
        if _category(f.hazard_code) != "chemical" or f.twa is None:
            continue
        limit = ctx.limits.chemical(f.hazard_code)
        if limit is None or limit.pc_twa is None:
            continue
        parts.append((f.hazard_code, f.twa, limit.pc_twa * f.rf))
    if len(parts) < 2:
        return None
    verdict = judge_mixture([(c, oel) for _, c, oel in parts])
    note = tr("results.eval.mixture_note")
    names = Step(tr("results.eval.step.mixture_parts"),
                 " + ".join(f"{_name(code)} {num(c)}/{num(oel)}" for code, c, oel in parts), None)
    full = Verdict(verdict.outcome, verdict.reason,
                   (Step(note, "", None), names) + verdict.steps)
    return MixtureEvaluation(post_id, verdict.steps[0].value or 0.0, tuple(parts), full, note)


# ------------------------------------------------------------------ noise


def _noise(ctx: _Context, posts: Sequence[SamplingPost],
           measurements: Sequence[NoiseMeasurement]) -> list[NoiseEvaluation]:
    post_map = {p.id: p for p in posts}
    grouped: dict[str | None, list[NoiseMeasurement]] = defaultdict(list)
    for m in measurements:
        grouped[m.post_id if m.post_id in post_map else None].append(m)
    out: list[NoiseEvaluation] = []
    order = [p.id for p in posts if p.id in grouped] + ([None] if None in grouped else [])
    for post_id in order:
        post = post_map.get(post_id) if post_id else None
        members = grouped[post_id]
        if post_id is None:        # measurements without a post: each on its own
            out.extend(_noise_one(ctx, None, None, [m]) for m in members)
        else:
            out.append(_noise_one(ctx, post_id, post, members))
    return out


def _noise_one(ctx: _Context, post_id: str | None, post: SamplingPost | None,
               members: Sequence[NoiseMeasurement]) -> NoiseEvaluation:
    points = tuple(m.point for m in members)
    steps: list[Step] = []
    warnings: list[str] = []
    segments: list[tuple[float, float]] = []
    for m in members:
        level = m.laeq_te_db
        if level is None and m.readings_db:
            level, step = laeq([(float(x), 1.0) for x in m.readings_db])
            steps.append(Step(tr("results.eval.step.noise_point", point=m.point), step.formula,
                              level, "dB(A)"))
        elif level is not None:
            steps.append(Step(tr("results.eval.step.noise_point", point=m.point),
                              f"L_Aeq,Te = {num(level)}", level, "dB(A)"))
        te = m.exposure_hours or (post.exposure_hours_per_day if post else None)
        if level is None or not te or te <= 0:
            warnings.append(tr("results.eval.noise_incomplete", point=m.point))
            continue
        segments.append((level, te))
    if not segments:
        return NoiseEvaluation(post_id, points, None, None, None,
                               _not_judged(tr("results.eval.noise_nothing"), steps), tuple(warnings))
    total = math.fsum(t for _, t in segments)
    if total > 24:
        return NoiseEvaluation(post_id, points, None, None, None,
                               _not_judged(tr("results.eval.noise_too_long", hours=num(total)),
                                           steps), tuple(warnings))
    if len(segments) == 1:
        level, te = segments[0]
    else:
        level, step = laeq(segments)
        steps.append(step)
        te = total
    lex8, step = lex_8h(level, te)
    steps.append(step)
    days = next((m.days_per_week for m in members if m.days_per_week), None) or (
        post.days_per_week if post else None)
    peaks = [(m.impulse_peak_db, m.pulses_per_minute, m.exposure_hours or te) for m in members
             if m.impulse_peak_db is not None]
    peak_db = pulses = None
    if peaks:
        peak_db, per_minute, hours = max(peaks, key=lambda p: p[0])
        if per_minute is not None:
            pulses = int(round(per_minute * 60 * (hours or te)))
            steps.append(Step(tr("results.eval.step.pulses"),
                              f"n = {num(per_minute)} /min × 60 × {num(hours or te)} h", pulses))
    lex40: float | None = None
    weekly = days is not None and needs_weekly(days, ctx.noise)
    if weekly:
        assert days is not None
        if float(days).is_integer() and 0 < days <= 7:
            lex40, step = lex_40h([lex8] * int(days))
        else:
            lex40 = lex8 + 10 * math.log10(days / NOMINAL_DAYS_PER_WEEK)
            step = Step(tr("results.eval.step.lex_40h_days"),
                        f"L_EX,40h = L_EX,8h + 10·lg(d / 5) = {num(lex8)} + 10·lg({num(days)} / 5)",
                        lex40, "dB(A)")
        steps.append(step)
    verdict = judge_noise(lex40 if weekly else lex8, ctx.noise, weekly=weekly, peak_db=peak_db,
                          pulses_per_day=pulses)
    full = Verdict(verdict.outcome, verdict.reason, tuple(steps) + verdict.steps)
    return NoiseEvaluation(post_id, points, lex8, lex40, days, full, tuple(warnings))
