"""Periodic testing and status evaluation overdue (定期检测、现状评价逾期) per division.

Definition (seed 004 line 25: 检测评价到期提醒、逾期通报; 《工作场所职业卫生管理规定》第二十条, see
:mod:`ohinspect.services.due_dates`): each live employer of the jurisdiction owes each kind its
risk class requires (intervals in ``resources/standards/periodic_testing.yaml``, overridable in
the settings); at the scope's as-of day a required (employer, kind) is ``overdue`` when its last
report's date plus the interval lies before that day and ``never`` when there is no report.
lapsed share = (overdue + never) ÷ required. One figure per division one level below the
jurisdiction, aggregated by SQL (GROUP BY division prefix): the employers come from the
covering index ``ix_enterprise_employers`` and the last report of each employer and kind is a
correlated look-up of the last entry of its range in the covering index
``ix_periodic_report_live`` (enterprise_id, kind, deleted_at, report_date; both of migration
0008), compared with a cut-off date worked out once per class and kind in Python — the same
arithmetic as ``due_dates.add_months``. For speed over a province (benchmarks/
bench_dashboard.py): the employers' subquery carries ``LIMIT -1`` (no limit) so SQLite does not
flatten it into the aggregate, which names each last-report column twice and, flattened, ran
each look-up twice; a look-up is made only when the employer's class owes that kind (a CASE,
which SQLite evaluates lazily); and it is ORDER BY … LIMIT 1, not MAX (no aggregate to run).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ohinspect.dashboards.model import (PERCENT, Column, DrillRow, Figure, Indicator, Scope,
                                        division_label, rate)
from ohinspect.i18n import tr
from ohinspect.services.due_dates import EMPLOYER, add_months, load_periodic_rules
from ohinspect.store.models import Enterprise, PeriodicReport

ID = "periodic"
COLUMNS = (Column("required"), Column("overdue"), Column("never"),
           Column("lapsed_share", PERCENT))


def cutoff(as_of: date, months: int) -> date:
    """The latest report date that is overdue on ``as_of``: add_months(day, months) < as_of."""
    day = add_months(as_of, -months)
    while add_months(day, months) >= as_of:
        day -= timedelta(days=1)
    while add_months(day + timedelta(days=1), months) < as_of:
        day += timedelta(days=1)
    return day


def _last(kind: str, as_of: date) -> Any:
    """The employer's last live report date of ``kind`` up to ``as_of``: the last entry of its
    range of the index (ORDER BY … LIMIT 1 runs no aggregate: cheaper than MAX per employer)."""
    return (select(PeriodicReport.report_date)
            .where(PeriodicReport.enterprise_id == Enterprise.id, PeriodicReport.kind == kind,
                   PeriodicReport.deleted_at.is_(None), PeriodicReport.report_date <= as_of)
            .order_by(PeriodicReport.report_date.desc()).limit(1).scalar_subquery())


def _employers(session: Session, scope: Scope, overrides: Mapping[str, int] | None,
               group: str | None = None) -> tuple[Any, list[tuple[str, dict[str, date]]]]:
    """A subquery of the employers in scope (id, name when ``group`` is given, group, class,
    last report per required kind) and, per kind, the overdue cut-off date of each class that
    owes it."""
    rules = load_periodic_rules()
    classes = list(session.scalars(select(Enterprise.risk_class).distinct()))
    kinds = []
    for kind in rules.kinds:
        cuts = {cls: cutoff(scope.as_of, months) for cls in classes
                if (months := rules.interval(cls, kind, overrides)) is not None}
        if cuts:
            kinds.append((kind, cuts))
    prefix = scope.group_of(Enterprise.division_code)
    conds = [Enterprise.deleted_at.is_(None), Enterprise.org_kind == EMPLOYER,
             scope.within(Enterprise.division_code)]
    if group is not None:
        conds.append(prefix == group)
    # the name only for a drill-down: the figures read the employers from the covering index
    named = (Enterprise.name.label("name"),) if group is not None else ()
    sub = select(Enterprise.id.label("id"), *named, prefix.label("g"),
                 Enterprise.risk_class.label("cls"),
                 *(case((Enterprise.risk_class.in_(list(cuts)), _last(kind, scope.as_of)))
                   .label(f"k{i}") for i, (kind, cuts) in enumerate(kinds))
                 ).where(*conds).limit(-1).subquery()
    return sub, kinds


def periodic_overdue(session: Session, scope: Scope, *,
                     overrides: Mapping[str, int] | None = None) -> Indicator:
    """One figure per division (module doc), ordered by code."""
    sub, kinds = _employers(session, scope, overrides)
    required, overdue, never = [], [], []
    for i, (_kind, cuts) in enumerate(kinds):
        owes = sub.c.cls.in_(list(cuts))
        last = sub.c[f"k{i}"]
        required.append(func.sum(case((owes, 1), else_=0)))
        overdue.append(func.sum(case((owes & (last <= case(cuts, value=sub.c.cls)), 1),
                                     else_=0)))
        never.append(func.sum(case((owes & last.is_(None), 1), else_=0)))
    if not kinds:
        return Indicator(ID, COLUMNS, "lapsed_share", (), ("overdue", "never"), "required")
    stmt = (select(sub.c.g, sum(required[1:], required[0]), sum(overdue[1:], overdue[0]),
                   sum(never[1:], never[0])).group_by(sub.c.g).order_by(sub.c.g))
    figures = tuple(Figure(code, division_label(code), {
        "required": req, "overdue": late, "never": none,
        "lapsed_share": rate(late + none, req)})
        for code, req, late, none in session.execute(stmt) if req)
    return Indicator(ID, COLUMNS, "lapsed_share", figures, ("overdue", "never"), "required")


def periodic_records(session: Session, scope: Scope, key: str, *,
                     overrides: Mapping[str, int] | None = None) -> list[DrillRow]:
    """The overdue and never-reported (employer, kind) of division ``key``, oldest first."""
    sub, kinds = _employers(session, scope, overrides, key)
    rows = []
    for eid, name, _g, cls, *lasts in session.execute(select(sub)):
        for (kind, cuts), day in zip(kinds, lasts):
            if cls not in cuts or (day is not None and day > cuts[cls]):
                continue
            label = tr(f"due.kind.{kind}")
            state = (tr("dash.drill.never", kind=label) if day is None else
                     tr("dash.drill.last_report", kind=label, day=day.isoformat()))
            rows.append(DrillRow("enterprise", eid, name, state, day))
    rows.sort(key=lambda r: (r.day is not None, r.day or date.min, r.title))
    return rows
