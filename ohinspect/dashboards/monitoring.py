"""Workplace hazard monitoring pass rate (工作场所职业病危害因素监测合格率) by hazard factor and by
industry (GB/T 4754-2017 section).

Definition (seed 001 main indicator (3), ≥ 85 %, also seed 003; judgement per GBZ 2.1-2019
ch. 6 / GBZ 2.2-2007, shared/DOMAIN.md §3): a *determination* is the verdict on one hazard
factor at one post (noise: one post) of a **signed** sampling task of an enterprise of the
jurisdiction planned in [start, end], as :func:`ohinspect.services.evaluation.evaluate_task`
works it out from the current lab results; 不判定 (not judged) is left out. pass rate = 符合 ÷
(符合 + 不符合). The target is data (``resources/standards/dashboard_targets.yaml``).

The verdicts are stored (:mod:`.verdicts`, tables of migration 0008) with a fingerprint of
their inputs, so the indicator reads rows instead of evaluating every task: one query lists the
tasks in scope and flags those whose stored verdicts are missing or stale (records received by
sync or batch import, a new standards edition); only these are evaluated — and stored, when the
caller passes the store, so the cost is paid once. The verdicts in scope are then read with one
query over the primary key of ``sampling_verdict`` (see benchmarks/bench_dashboard.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from ohinspect.services import verdicts
from ohinspect.dashboards.model import (PERCENT, Column, DrillRow, Figure, Indicator, Scope,
                                        rate)
from ohinspect.dashboards.targets import indicator_targets
from ohinspect.i18n import tr
from ohinspect.services.evaluation_samples import _name as hazard_name
from ohinspect.standards.industries import IndustryTable, load_industries
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, SamplingTask, SamplingVerdict

BY_FACTOR, BY_INDUSTRY = "monitoring_factor", "monitoring_industry"
CONFORM, NOT_CONFORM = "conform", "not_conform"
JUDGED = (CONFORM, NOT_CONFORM)
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
    """Signed live tasks of the period and jurisdiction, except one a signed amendment corrects
    (issue 7 "returned items are corrected as amendments keeping the locked original"): the
    amendment's determinations replace the original's, so a task is counted once."""
    amendment = aliased(SamplingTask)
    corrected = exists().where(amendment.amends_id == SamplingTask.id,
                               amendment.locked_at.is_not(None), amendment.deleted_at.is_(None))
    return [SamplingTask.deleted_at.is_(None), SamplingTask.locked_at.is_not(None), ~corrected,
            scope.period(SamplingTask.planned_on).between(scope.start, scope.end),
            scope.within(Enterprise.division_code)]


def _tasks(session: Session, scope: Scope) -> list[tuple[str, str, str, str, bool]]:
    """(id, number, enterprise, industry code, stored verdicts stale) of the tasks in scope."""
    stmt = verdicts.outer_join_sets(
        select(SamplingTask.id, SamplingTask.task_number, Enterprise.name,
               Enterprise.industry_code, verdicts.stale_condition())
        .join(Enterprise, Enterprise.id == SamplingTask.enterprise_id))
    stmt = stmt.where(*_in_scope(scope)).order_by(SamplingTask.planned_on, SamplingTask.id)
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def _stored(session: Session, scope: Scope) -> dict[str, list[tuple[str, str]]]:
    """task id → its stored judged verdicts (hazard code, outcome), in order."""
    stmt = (select(SamplingVerdict.task_id, SamplingVerdict.hazard_code, SamplingVerdict.outcome)
            .join(SamplingTask, SamplingTask.id == SamplingVerdict.task_id)
            .join(Enterprise, Enterprise.id == SamplingTask.enterprise_id)
            .where(*_in_scope(scope), SamplingVerdict.outcome.in_(JUDGED))
            .order_by(SamplingVerdict.seq))  # per task in order (a task id order would
    # make SQLite read every stored verdict in its primary key's order)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for task_id, code, outcome in session.execute(stmt):
        out[task_id].append((code, outcome))
    return out


def _section(industries: IndustryTable, code: str) -> str:
    try:
        section = industries.section_of(code) if code else None
    except ValueError:  # a malformed code recorded long ago: counted as "not recorded"
        section = None
    return section.code if section else ""


def determinations(session: Session, scope: Scope, store: Store | None = None
                   ) -> list[Determination]:
    """Every judged determination in scope (module doc). The tasks whose stored verdicts are
    missing or stale are evaluated; with ``store`` their verdicts are stored too."""
    tasks = _tasks(session, scope)
    stale = [task_id for task_id, *_, is_stale in tasks if is_stale]
    fresh = (verdicts.store_verdicts(store, stale) if store is not None else
             {task_id: verdicts.task_verdicts(session, task_id) for task_id in stale})
    stored = _stored(session, scope) if len(stale) < len(tasks) else {}
    industries = load_industries()
    sections: dict[str, str] = {}
    out: list[Determination] = []
    for task_id, number, name, industry, is_stale in tasks:
        if industry not in sections:
            sections[industry] = _section(industries, industry)
        pairs = ([(code, outcome) for _, code, outcome in fresh.get(task_id, [])
                  if outcome in JUDGED] if is_stale else stored.get(task_id, []))
        out.extend(Determination(task_id, number, name, sections[industry], code, outcome)
                   for code, outcome in pairs)
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
                      {code: hazard_name(code) for code in {d.hazard_code for d in found}})


def pass_rate_by_industry(session: Session, scope: Scope,
                          found: list[Determination] | None = None) -> Indicator:
    """One figure per GB/T 4754-2017 section (module doc)."""
    found = determinations(session, scope) if found is None else found
    industries = load_industries()
    labels = {}
    for section in {d.section for d in found}:
        row = industries.get(section) if section else None
        labels[section] = f"{section} {row.name}" if row else section
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
