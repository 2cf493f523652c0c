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

Where the code lives (import from here): :mod:`~ohinspect.services.evaluation_results` (the
result records), :mod:`~ohinspect.services.evaluation_samples` (concentrations, blanks, hazard
names), :mod:`~ohinspect.services.evaluation_exposure` (RF, C_TWA, C_STE, peak exposure, grade),
:mod:`~ohinspect.services.evaluation_posts` (the factors of one post),
:mod:`~ohinspect.services.evaluation_chemicals`, :mod:`~ohinspect.services.evaluation_dust`,
:mod:`~ohinspect.services.evaluation_mixtures`, :mod:`~ohinspect.services.evaluation_groups`
(similar-exposure groups) and :mod:`~ohinspect.services.evaluation_noise`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError
from ohinspect.i18n import tr
from ohinspect.services.evaluation_dust import FRACTIONS
from ohinspect.services.evaluation_mixtures import _mixture
from ohinspect.services.evaluation_noise import _noise
from ohinspect.services.evaluation_posts import _post_factors
from ohinspect.services.evaluation_results import (FactorEvaluation, GroupEvaluation,
                                                   MixtureEvaluation, NoiseEvaluation, SampleValue,
                                                   TaskEvaluation, _Context)
from ohinspect.services.evaluation_samples import F_ML, _blank_warnings
from ohinspect.services.lab_results import pick_current
from ohinspect.standards.limits import load_judgement_rules, load_limits, load_noise_limits
from ohinspect.standards.sampling_rules import load_air_rules
from ohinspect.store.models import LabResult, NoiseMeasurement, Sample, SamplingPost, SamplingTask

__all__ = [
    "F_ML", "FRACTIONS", "FactorEvaluation", "GroupEvaluation", "MixtureEvaluation",
    "NoiseEvaluation", "SampleValue", "TaskEvaluation", "evaluate_task",
]


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
