"""Similar-exposure groups: a post's personal C_TWA values of one factor (and dust fraction),
below-LOD values as the policy says, kept when there are at least two."""

from __future__ import annotations

from collections.abc import Sequence

from ohinspect.hygiene.air import Result, substitute
from ohinspect.services.evaluation_results import GroupEvaluation, _Context


def _group(groups: list[GroupEvaluation], post_id: str | None, code: str, fraction: str,
           values: Sequence[Result], oel: float, ctx: _Context) -> None:
    numbers: list[float] = []
    for r in values:
        if r.below_lod:
            if ctx.rules.below_lod_policy == "not_judged":
                continue
            numbers.append(substitute(r, ctx.rules.below_lod_policy))
        else:
            numbers.append(r.value)
    if len(numbers) < 2 or oel <= 0:
        return
    groups.append(GroupEvaluation(post_id, code, fraction, tuple(numbers), oel))
