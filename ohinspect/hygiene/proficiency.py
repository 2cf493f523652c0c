"""Proficiency testing (能力验证, 盲样考核): the z-score of a reported result and its verdict.

GB/T 28043-2019 §9.4 (ISO 13528 §9.4): z = (x − X) / σ_pt, with x the participant's result,
X the assigned value and σ_pt the standard deviation for proficiency assessment. The bands are
data (``resources/standards/proficiency.yaml``): |z| ≤ 2.0 satisfactory, 2.0 < |z| < 3.0
questionable (warning signal), |z| ≥ 3.0 unsatisfactory (action signal). A |z| that equals a
band limit up to floating-point rounding (12.2 − 10 over 1.1) counts as the limit itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from ohinspect.i18n import current_language
from ohinspect.resources import load_resource

RESOURCE = "standards/proficiency.yaml"
#: relative tolerance under which |z| is taken as equal to a band limit (rounding only)
LIMIT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Band:
    verdict: str
    max: float | None          # None: no upper limit
    inclusive: bool            # whether |z| = max belongs to this band
    name_zh: str
    name_en: str

    def label(self) -> str:
        return self.name_zh if current_language() == "zh_CN" else self.name_en

    def holds(self, abs_z: float) -> bool:
        if self.max is None:
            return True
        if math.isclose(abs_z, self.max, rel_tol=LIMIT_TOLERANCE):
            return self.inclusive
        return abs_z < self.max


@dataclass(frozen=True)
class ProficiencyRules:
    clause: str
    bands: tuple[Band, ...]

    def band(self, verdict: str) -> Band | None:
        return next((b for b in self.bands if b.verdict == verdict), None)


@dataclass(frozen=True)
class ProficiencyResult:
    z: float
    verdict: str
    clause: str


@lru_cache(maxsize=1)
def load_proficiency_rules() -> ProficiencyRules:
    data = load_resource(RESOURCE)
    bands = tuple(Band(str(b["verdict"]), None if b.get("max") is None else float(b["max"]),
                       bool(b.get("inclusive", True)), str(b["name_zh"]), str(b["name_en"]))
                  for b in data["bands"])
    return ProficiencyRules(str(data["clause"]), bands)


def z_score(reported: float, assigned: float, sigma: float) -> float:
    """z = (x − X) / σ_pt (GB/T 28043-2019 §9.4); σ_pt must be positive."""
    if not sigma > 0:
        raise ValueError("sigma must be positive")
    return (reported - assigned) / sigma


def verdict_for(z: float, rules: ProficiencyRules) -> str:
    """The first band of the data file that holds |z|."""
    abs_z = abs(z)
    return next(b.verdict for b in rules.bands if b.holds(abs_z))


def evaluate(reported: float, assigned: float, sigma: float,
             rules: ProficiencyRules | None = None) -> ProficiencyResult:
    rules = rules or load_proficiency_rules()
    z = z_score(reported, assigned, sigma)
    return ProficiencyResult(z, verdict_for(z, rules), rules.clause)
