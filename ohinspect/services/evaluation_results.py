"""What :func:`ohinspect.services.evaluation.evaluate_task` returns: one record per sample
value, factor, noise post, mixture and similar-exposure group (its statistics worked out when
first read and remembered), and the loaded standards an evaluation works with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from ohinspect.hygiene.air import Result
from ohinspect.hygiene.stats import GroupStats, group_stats
from ohinspect.hygiene.steps import Step, Verdict
from ohinspect.i18n import current_language
from ohinspect.standards.limits import JudgementRules, LimitsTable, NoiseLimits
from ohinspect.standards.sampling_rules import AirRules


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


@lru_cache(maxsize=4096)
def _group_stats(values: tuple[float, ...], oel: float, language: str) -> GroupStats:
    """``group_stats`` is pure: remembered per values, limit and language (the steps are
    translated text)."""
    return group_stats(values, oel)
