"""One dust factor of a post judged against its GBZ 2.1-2019 Table 2 limit: the free-SiO₂ band,
total and respirable fractions (and fibres) separately, the larger ratio graded."""

from __future__ import annotations

from ohinspect.hygiene.air import Result
from ohinspect.hygiene.exposure import Excursion, judge_dust
from ohinspect.hygiene.steps import Step, Verdict, num
from ohinspect.i18n import tr
from ohinspect.services.evaluation_exposure import _grade, _not_judged, _peaks, _twa
from ohinspect.services.evaluation_groups import _group
from ohinspect.services.evaluation_results import (FactorEvaluation, GroupEvaluation, SampleValue,
                                                   _Context)
from ohinspect.services.evaluation_samples import _name
from ohinspect.standards.limits import DustLimit

FRACTIONS = ("total", "respirable")


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
