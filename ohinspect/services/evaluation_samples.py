"""Concentrations of the evaluation: one lab result of one sample as mg/m³ (or f/mL) with its
step, the hazard factors' category and name, and the contamination warnings of blanks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ohinspect.hygiene.air import MG_M3, Result, concentration_step
from ohinspect.hygiene.steps import Step, num
from ohinspect.i18n import current_language, tr
from ohinspect.services.evaluation_results import SampleValue, _Context
from ohinspect.services.lab_results import FREE_SILICA, MASS_UNITS, describe, sample_volume_l
from ohinspect.standards.hazards import load_hazard_catalogue
from ohinspect.store.models import LabResult, Sample

F_ML = "f/mL"


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
