"""Workplace hazard monitoring pass rate (工作场所职业病危害因素监测合格率) by hazard factor and by
industry (GB/T 4754-2017 section).

Definition (seed 001 main indicator (3), ≥ 85 %, also seed 003; judgement per GBZ 2.1-2019
ch. 6 / GBZ 2.2-2007, shared/DOMAIN.md §3): a *determination* is the verdict on one hazard
factor at one post (noise: one post) of a **signed** sampling task of an enterprise of the
jurisdiction planned in [start, end], as :func:`ohinspect.services.evaluation.evaluate_task`
works it out from the current lab results; 不判定 (not judged) is left out. pass rate = 符合 ÷
(符合 + 不符合). The target is data (``resources/standards/dashboard_targets.yaml``).

Verdicts are not stored (the evaluation is recomputed from the records), so this indicator
cannot be a SQL GROUP BY: the tasks in scope are found by SQL and each is evaluated. The
verdicts of a task are remembered in this process with a fingerprint of its lab results (count,
Σ julianday(modified_at) and max(change_seq), one GROUP BY; the rest of a signed task is frozen)
and evaluated again only when the fingerprint changed. The first computation over a large store is the slow part of
the dashboard (see benchmarks/bench_dashboard.py); a stored verdict would need a table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.dashboards.model import (PERCENT, Column, DrillRow, Figure, Indicator, Scope,
                                        rate)
from ohinspect.dashboards.targets import indicator_targets
from ohinspect.i18n import tr
from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.evaluation_samples import _name as hazard_name
from ohinspect.standards.industries import IndustryTable, load_industries
from ohinspect.store.models import Enterprise, LabResult, Sample, SamplingTask

BY_FACTOR, BY_INDUSTRY = "monitoring_factor", "monitoring_industry"
#: the noise factor's code in the 2015 hazard catalogue (hazard_catalogue_2015.yaml)
NOISE = "phys.noise"
CONFORM, NOT_CONFORM = "conform", "not_conform"
COLUMNS = (Column("determinations"), Column("conform"), Column("not_conform"),
           Column("pass_rate", PERCENT), Column("target", PERCENT))


@dataclass(frozen=True)
class Determination:
    task_id: str
    task_number: str
    enterprise: str
    section: str          # GB/T 4754 section letter, "" when the industry is not recorded
    hazard_code: str
    outcome: str          # conform | not_conform


def _in_scope(scope: Scope) -> list[Any]:
    return [SamplingTask.deleted_at.is_(None), SamplingTask.locked_at.is_not(None),
            SamplingTask.planned_on.between(scope.start, scope.end),
            scope.within(Enterprise.division_code)]


def _tasks(session: Session, scope: Scope) -> list[tuple[str, str, str, str]]:
    stmt = (select(SamplingTask.id, SamplingTask.task_number, Enterprise.name,
                   Enterprise.industry_code)
            .join(Enterprise, Enterprise.id == SamplingTask.enterprise_id)
            .where(*_in_scope(scope)).order_by(SamplingTask.planned_on, SamplingTask.id))
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def _fingerprints(session: Session, scope: Scope) -> dict[str, tuple[Any, ...]]:
    """task id → numbers that change with any write its evaluation depends on. A signed task,
    its posts, samples and noise are frozen (triggers of migration 0003): only its lab results
    can change — new, corrected (superseding) or deleted (a tombstone updates modified_at)."""
    stmt = (select(Sample.task_id, func.count(), func.sum(func.julianday(LabResult.modified_at)),
                   func.max(LabResult.change_seq))
            .join(Sample, Sample.id == LabResult.sample_id)
            .join(SamplingTask, SamplingTask.id == Sample.task_id)
            .join(Enterprise, Enterprise.id == SamplingTask.enterprise_id)
            .where(*_in_scope(scope)).group_by(Sample.task_id))
    return defaultdict(tuple, {task_id: tuple(numbers)
                               for task_id, *numbers in session.execute(stmt)})


#: (database, task id) → (fingerprint, [(hazard code, outcome)]) of the tasks evaluated in
#: this process
_VERDICTS: dict[tuple[str, str], tuple[tuple[Any, ...], list[tuple[str, str]]]] = {}


def _verdicts(session: Session, task_id: str,
              fingerprint: tuple[Any, ...]) -> list[tuple[str, str]]:
    key = (str(session.get_bind().url), task_id)
    known = _VERDICTS.get(key)
    if known is not None and known[0] == fingerprint:
        return known[1]
    ev = evaluate_task(session, task_id)
    pairs = [(f.hazard_code, f.outcome) for f in ev.factors]
    pairs += [(NOISE, n.verdict.outcome) for n in ev.noise]
    _VERDICTS[key] = (fingerprint, pairs)
    return pairs


def _section(industries: IndustryTable, code: str) -> str:
    try:
        section = industries.section_of(code) if code else None
    except ValueError:  # a malformed code recorded long ago: counted as "not recorded"
        section = None
    return section.code if section else ""


def determinations(session: Session, scope: Scope) -> list[Determination]:
    """Every judged determination in scope (module doc)."""
    industries = load_industries()
    prints = _fingerprints(session, scope)
    out: list[Determination] = []
    for task_id, number, name, industry in _tasks(session, scope):
        letter = _section(industries, industry)
        pairs = _verdicts(session, task_id, prints[task_id])
        out.extend(Determination(task_id, number, name, letter, code, outcome)
                   for code, outcome in pairs if outcome in (CONFORM, NOT_CONFORM))
    return out


def _indicator(ind: str, found: list[Determination], key_of: str,
               labels: dict[str, str]) -> Indicator:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in found:
        counts[getattr(d, key_of)][0 if d.outcome == CONFORM else 1] += 1
    target = indicator_targets().get(ind)
    figures = tuple(Figure(k, labels.get(k, k) or tr("dash.unclassified"), {
        "determinations": ok + bad, "conform": ok, "not_conform": bad,
        "pass_rate": rate(ok, ok + bad), "target": target})
        for k, (ok, bad) in sorted(counts.items()))
    return Indicator(ind, COLUMNS, "pass_rate", figures, (CONFORM,), "determinations")


def pass_rate_by_factor(session: Session, scope: Scope,
                        found: list[Determination] | None = None) -> Indicator:
    """One figure per hazard factor code (module doc)."""
    found = determinations(session, scope) if found is None else found
    return _indicator(BY_FACTOR, found, "hazard_code",
                      {d.hazard_code: hazard_name(d.hazard_code) for d in found})


def pass_rate_by_industry(session: Session, scope: Scope,
                          found: list[Determination] | None = None) -> Indicator:
    """One figure per GB/T 4754-2017 section (module doc)."""
    found = determinations(session, scope) if found is None else found
    industries = load_industries()
    labels = {}
    for d in found:
        row = industries.get(d.section) if d.section else None
        labels[d.section] = f"{d.section} {row.name}" if row else d.section
    return _indicator(BY_INDUSTRY, found, "section", labels)


def monitoring_records(session: Session, scope: Scope, indicator: str,
                       key: str) -> list[DrillRow]:
    """The sampling tasks behind a figure, with their 符合 / 不符合 counts for it."""
    field = "hazard_code" if indicator == BY_FACTOR else "section"
    by_task: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for d in determinations(session, scope):
        if getattr(d, field) == key:
            by_task[(d.task_id, d.task_number, d.enterprise)][d.outcome != CONFORM] += 1
    return [DrillRow("sampling_task", tid, f"{number} {name}",
                     tr("dash.drill.verdicts", conform=ok, not_conform=bad))
            for (tid, number, name), (ok, bad) in sorted(
                by_task.items(), key=lambda kv: (-kv[1][1], kv[0][1]))]
