"""三同时 verification coverage (核查率) per risk class, against the targets.

Definition (shared/DOMAIN.md §1 "Verification by the regulator"; seed 004 line 26: 危害严重的项目
100 % 核查, 危害一般的核查率不低于 30 %), the same as :mod:`ohinspect.services.coverage` but for
any period: a live project of the jurisdiction (its own division code) *reached acceptance* in
[start, end] when its acceptance stage is dated there (completion date, else start date); it is
*verified* when a locked ``three_simultaneities`` inspection of its acceptance stage exists.
coverage = verified ÷ reached; the target per class is data
(``resources/standards/verification_targets.yaml``, nearest jurisdiction override), the
shortfall = ⌈target × reached⌉ − verified. Aggregated by SQL (GROUP BY risk class) over three
covering indexes of migration 0008 — ``ix_project_scope`` (division_code, deleted_at,
risk_class, id), ``ix_project_stage_dates`` (project_id, stage, deleted_at, completed_on,
started_on) and ``ix_inspection_verification`` (project_id, kind, stage, locked_at, deleted_at)
— so no table row is read (benchmarks/bench_dashboard.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ohinspect.dashboards.model import (PERCENT, Column, DrillRow, Figure, Indicator,
                                        Scope, rate)
from ohinspect.i18n import tr
from ohinspect.services.coverage import ACCEPTANCE, load_targets, required_count
from ohinspect.services.project_queries import VERIFICATION_KIND
from ohinspect.standards.classifications import load_classifications
from ohinspect.store.models import Inspection, Project, ProjectStage

ID = "coverage"
COLUMNS = (Column("reached"), Column("verified"), Column("coverage", PERCENT),
           Column("target", PERCENT), Column("shortfall"))


def _stage_day() -> object:
    return func.coalesce(ProjectStage.completed_on, ProjectStage.started_on)


def _verified() -> object:
    # selects an indexed column (not *): SQLite then reads ix_inspection_verification alone
    return (select(Inspection.project_id)
            .where(Inspection.project_id == Project.id, Inspection.kind == VERIFICATION_KIND,
                   Inspection.stage == ACCEPTANCE, Inspection.locked_at.is_not(None),
                   Inspection.deleted_at.is_(None)).exists())


def _conditions(scope: Scope) -> list[object]:
    return [Project.deleted_at.is_(None), scope.within(Project.division_code),
            _stage_day().between(scope.start, scope.end)]


def _join() -> object:
    return and_(ProjectStage.project_id == Project.id, ProjectStage.stage == ACCEPTANCE,
                ProjectStage.deleted_at.is_(None))


def _label(code: str) -> str:
    rule_set = load_classifications().default_rule_set
    return load_classifications().risk_label(rule_set.code, code) if code else tr(
        "dash.unclassified")


def verification_coverage(session: Session, scope: Scope) -> Indicator:
    """One figure per risk class with a target (file order), then any other class found."""
    verified = _verified()
    stmt = (select(Project.risk_class, func.count(func.distinct(Project.id)),
                   func.count(func.distinct(case((verified, Project.id)))))
            .join(ProjectStage, _join()).where(*_conditions(scope))
            .group_by(Project.risk_class))
    counts = {cls: (n, done) for cls, n, done in session.execute(stmt)}
    targets = load_targets(scope.jurisdiction).targets
    figures = []
    for cls in list(targets) + sorted(c for c in counts if c not in targets):
        n, done = counts.get(cls, (0, 0))
        target = targets.get(cls)
        short = max(0, required_count(target, n) - done) if target is not None else 0
        figures.append(Figure(cls, _label(cls), {
            "reached": n, "verified": done, "coverage": rate(done, n),
            "target": float(target) if target is not None else None, "shortfall": short}))
    return Indicator(ID, COLUMNS, "coverage", tuple(figures), ("verified",), "reached")


def coverage_records(session: Session, scope: Scope, key: str) -> list[DrillRow]:
    """The projects of class ``key`` that reached acceptance in the period, unverified first."""
    verified = _verified()
    stmt = (select(Project.id, Project.name, Project.division_code, _stage_day(),
                   case((verified, 1), else_=0).label("v"))
            .join(ProjectStage, _join())
            .where(*_conditions(scope), Project.risk_class == key)
            .distinct().order_by("v", Project.name, Project.id))
    rows = []
    for pid, name, division, day, done in session.execute(stmt):
        state = tr("dash.drill.verified") if done else tr("dash.drill.not_verified")
        rows.append(DrillRow("project", pid, name, f"{state} · {division}",
                             day if isinstance(day, date) else None))
    return rows


__all__ = ["ID", "coverage_records", "verification_coverage"]
