"""Noise per post: L_Aeq of each measurement, the worker's day as its parts, L_EX,8h (and
L_EX,40h for a week of other than 5 days), impulse peaks, judged against GBZ 2.2-2007."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from ohinspect.hygiene.noise import (NOMINAL_DAYS_PER_WEEK, judge_noise, laeq, lex_40h, lex_8h,
                                     needs_weekly)
from ohinspect.hygiene.steps import Step, Verdict, num
from ohinspect.i18n import tr
from ohinspect.services.evaluation_exposure import _not_judged
from ohinspect.services.evaluation_results import NoiseEvaluation, _Context
from ohinspect.store.models import NoiseMeasurement, SamplingPost


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
