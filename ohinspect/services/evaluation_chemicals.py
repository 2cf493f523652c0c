"""One chemical factor of a post judged against its GBZ 2.1-2019 Table 1 limit (MAC, PC-TWA ×
RF with PC-STEL or the peak-exposure rule), with its ratio and grade."""

from __future__ import annotations

from ohinspect.hygiene.air import MG_M3, Result
from ohinspect.hygiene.exposure import Excursion, c_me_of_results, judge_chemical
from ohinspect.hygiene.steps import Step, Verdict
from ohinspect.i18n import tr
from ohinspect.services.evaluation_exposure import _grade, _not_judged, _peaks, _ste, _twa
from ohinspect.services.evaluation_groups import _group
from ohinspect.services.evaluation_results import (FactorEvaluation, GroupEvaluation, SampleValue,
                                                   _Context)
from ohinspect.services.evaluation_samples import _name


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
