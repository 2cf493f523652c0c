"""The mixture index of a post: Σ C_TWA/(PC-TWA × RF) over its chemicals with a PC-TWA and a
C_TWA (at least two; the note asks the evaluator to confirm the same health effect)."""

from __future__ import annotations

from collections.abc import Sequence

from ohinspect.hygiene.exposure import judge_mixture
from ohinspect.hygiene.steps import Step, Verdict, num
from ohinspect.i18n import tr
from ohinspect.services.evaluation_results import FactorEvaluation, MixtureEvaluation, _Context
from ohinspect.services.evaluation_samples import _category, _name


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
