"""The exposure arithmetic of one post and factor: reduction factor, C_TWA per wearer-day or
day, C_STE of short samples, the peak-exposure day, and the grade and action level of a ratio."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ohinspect.hygiene.air import MG_M3, Result
from ohinspect.hygiene.exposure import (Excursion, action_level, c_ste_of_results, c_twa_of_results,
                                        grade_step, peak_rule, reduction_factor)
from ohinspect.hygiene.steps import Step, Verdict, num
from ohinspect.i18n import tr
from ohinspect.services.evaluation_results import SampleValue, _Context
from ohinspect.store.models import SamplingPost


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
