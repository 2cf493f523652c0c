"""The chemical and dust factors of one post: its hazard codes and those of its samples and
results, each judged by :mod:`~ohinspect.services.evaluation_chemicals` or
:mod:`~ohinspect.services.evaluation_dust`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ohinspect.services.evaluation_chemicals import _chemical
from ohinspect.services.evaluation_dust import _dust
from ohinspect.services.evaluation_exposure import _rf
from ohinspect.services.evaluation_results import (FactorEvaluation, GroupEvaluation, SampleValue,
                                                   _Context)
from ohinspect.services.evaluation_samples import _category, _sample_value
from ohinspect.services.lab_results import FREE_SILICA
from ohinspect.store.models import LabResult, Sample, SamplingPost


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
