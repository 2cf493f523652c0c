"""Supervisor dashboards (issue 7 item 4): the indicators of the seeds' tables per jurisdiction
(GB/T 2260 prefix) and period, each figure with a lazy drill-down to its records. No Qt here.

:func:`compute_dashboard` works out every indicator in one read session;
:func:`drill_down` fetches the records behind one figure only when asked. The indicators:

* ``coverage`` — 三同时 verification coverage per risk class (:mod:`.coverage`);
* ``rectification`` — rectification and closure rates, overdue items (:mod:`.rectification`);
* ``monitoring_factor`` / ``monitoring_industry`` — monitoring pass rate (:mod:`.monitoring`,
  from the verdicts stored by :mod:`.verdicts`);
* ``periodic`` — periodic testing overdue (:mod:`.periodic`);
* ``inspectors`` — inspections per inspector (:mod:`.inspectors`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ohinspect.dashboards import coverage, inspectors, monitoring, periodic, rectification
from ohinspect.dashboards.model import (COUNT, PERCENT, Column, DrillRow, Figure, Indicator,
                                        Scope)
from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.store.database import Store

INDICATOR_IDS = (coverage.ID, rectification.ID, monitoring.BY_FACTOR, monitoring.BY_INDUSTRY,
                 periodic.ID, inspectors.ID)
#: the SQL indicators in groups of about equal work over a large store (benchmarks/
#: bench_dashboard.py): a screen works each group out in its own thread, next to the monitoring
#: pass rates — SQLite runs a query outside Python's global lock, so the cores share the work
QUICK_GROUPS = ((coverage.ID, rectification.ID), (periodic.ID,), (inspectors.ID,))

__all__ = ["COUNT", "INDICATOR_IDS", "PERCENT", "QUICK_GROUPS", "Column", "Dashboard", "DrillRow",
           "Figure", "Indicator", "Scope", "assemble", "check_scope", "compute_dashboard",
           "drill_down", "monitoring_indicators", "quick_indicators"]


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    indicators: tuple[Indicator, ...]

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)


def check_scope(scope: Scope) -> None:
    """Refuse a period that ends before it starts or a jurisdiction that is not a division."""
    from ohinspect.standards.divisions import load_divisions

    problems = []
    if scope.end < scope.start:
        problems.append(FieldProblem("period", "dash.error.period", tr(
            "dash.error.period", start=scope.start.isoformat(), end=scope.end.isoformat())))
    if scope.jurisdiction and scope.jurisdiction not in load_divisions():
        problems.append(FieldProblem("jurisdiction", "dash.error.jurisdiction", tr(
            "dash.error.jurisdiction", code=scope.jurisdiction)))
    if problems:
        raise ValidationError(problems)


def quick_indicators(session: Session, scope: Scope, *,
                     overrides: Mapping[str, int] | None = None,
                     ids: Collection[str] | None = None) -> tuple[Indicator, ...]:
    """The indicators aggregated by SQL alone (a screen shows them first); ``ids`` picks some
    of them (one of :data:`QUICK_GROUPS`)."""
    check_scope(scope)
    work = {coverage.ID: lambda: coverage.verification_coverage(session, scope),
            rectification.ID: lambda: rectification.rectification_rates(session, scope),
            periodic.ID: lambda: periodic.periodic_overdue(session, scope, overrides=overrides),
            inspectors.ID: lambda: inspectors.inspections_per_inspector(session, scope)}
    return tuple(fn() for ind, fn in work.items() if ids is None or ind in ids)


def monitoring_indicators(session: Session, scope: Scope, *,
                          store: Store | None = None) -> tuple[Indicator, ...]:
    """The two monitoring pass rates from the stored verdicts; the tasks whose verdicts are
    missing or stale are evaluated (slow after a large import) and, with ``store``, stored."""
    check_scope(scope)
    found = monitoring.determinations(session, scope, store)
    return (monitoring.pass_rate_by_factor(session, scope, found),
            monitoring.pass_rate_by_industry(session, scope, found))


def assemble(scope: Scope, indicators: Iterable[Indicator]) -> Dashboard:
    """A dashboard of ``indicators`` in the order of :data:`INDICATOR_IDS`."""
    by_id = {i.id: i for i in indicators}
    return Dashboard(scope, tuple(by_id[i] for i in INDICATOR_IDS if i in by_id))


def compute_dashboard(session: Session, scope: Scope, *,
                      overrides: Mapping[str, int] | None = None,
                      store: Store | None = None) -> Dashboard:
    """Every indicator for ``scope`` (figures only; records come from :func:`drill_down`);
    ``store`` keeps the verdicts that had to be worked out (:func:`monitoring_indicators`)."""
    return assemble(scope, quick_indicators(session, scope, overrides=overrides)
                    + monitoring_indicators(session, scope, store=store))


def drill_down(session: Session, scope: Scope, indicator_id: str, key: str, *,
               overrides: Mapping[str, int] | None = None) -> list[DrillRow]:
    """The records behind the figure ``key`` of indicator ``indicator_id``."""
    if indicator_id == coverage.ID:
        return coverage.coverage_records(session, scope, key)
    if indicator_id == rectification.ID:
        return rectification.rectification_records(session, scope, key)
    if indicator_id in (monitoring.BY_FACTOR, monitoring.BY_INDUSTRY):
        return monitoring.monitoring_records(session, scope, indicator_id, key)
    if indicator_id == periodic.ID:
        return periodic.periodic_records(session, scope, key, overrides=overrides)
    if indicator_id == inspectors.ID:
        return inspectors.inspector_records(session, scope, key)
    raise KeyError(indicator_id)
