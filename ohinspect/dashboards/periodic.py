"""Periodic testing and status evaluation overdue (定期检测、现状评价逾期) per division.

Definition (seed 004 line 25: 检测评价到期提醒、逾期通报; 《工作场所职业卫生管理规定》第二十条, see
:mod:`ohinspect.services.due_dates`): each live employer of the jurisdiction owes each kind its
risk class requires (intervals in ``resources/standards/periodic_testing.yaml``, overridable in
the settings); at the scope's as-of day a required (employer, kind) is ``overdue`` when its last
report's date plus the interval lies before that day and ``never`` when there is no report.
lapsed share = (overdue + never) ÷ required. One figure per division one level below the
jurisdiction; the last report per employer and kind is a GROUP BY over the index
``ix_periodic_report_latest`` (enterprise_id, kind, report_date), compared with a cut-off date
worked out per class in Python — the same arithmetic as ``due_dates.add_months``.
"""

from __future__ import annotations

from collections import defaultdict
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


def _queries(session: Session, scope: Scope,
             overrides: Mapping[str, int] | None) -> list[tuple[str, Any, Any, Any]]:
    """Per required kind: (kind, last-report subquery, cut-off expression, class filter)."""
    rules = load_periodic_rules()
    classes = list(session.scalars(select(Enterprise.risk_class).distinct()))
    out = []
    for kind in rules.kinds:
        cuts = {cls: cutoff(scope.as_of, months) for cls in classes
                if (months := rules.interval(cls, kind, overrides)) is not None}
        if not cuts:
            continue
        last = (select(PeriodicReport.enterprise_id.label("eid"),
                       func.max(PeriodicReport.report_date).label("last"))
                .where(PeriodicReport.kind == kind, PeriodicReport.deleted_at.is_(None),
                       PeriodicReport.report_date <= scope.as_of)
                .group_by(PeriodicReport.enterprise_id).subquery())
        out.append((kind, last, case(cuts, value=Enterprise.risk_class),
                    Enterprise.risk_class.in_(list(cuts))))
    return out


def _base(scope: Scope) -> list[Any]:
    return [Enterprise.deleted_at.is_(None), Enterprise.org_kind == EMPLOYER,
            scope.within(Enterprise.division_code)]


def periodic_overdue(session: Session, scope: Scope, *,
                     overrides: Mapping[str, int] | None = None) -> Indicator:
    """One figure per division (module doc), ordered by code."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    group = scope.group_of(Enterprise.division_code)
    for _kind, last, cut, in_classes in _queries(session, scope, overrides):
        stmt = (select(group, func.count(),
                       func.sum(case((last.c.last <= cut, 1), else_=0)),
                       func.sum(case((last.c.last.is_(None), 1), else_=0)))
                .outerjoin(last, last.c.eid == Enterprise.id)
                .where(*_base(scope), in_classes).group_by(group))
        for code, required, overdue, never in session.execute(stmt):
            t = totals[code]
            t[0] += required
            t[1] += overdue
            t[2] += never
    figures = tuple(Figure(code, division_label(code), {
        "required": t[0], "overdue": t[1], "never": t[2],
        "lapsed_share": rate(t[1] + t[2], t[0])}) for code, t in sorted(totals.items()))
    return Indicator(ID, COLUMNS, "lapsed_share", figures, ("overdue", "never"), "required")


def periodic_records(session: Session, scope: Scope, key: str, *,
                     overrides: Mapping[str, int] | None = None) -> list[DrillRow]:
    """The overdue and never-reported (employer, kind) of division ``key``, oldest first."""
    rows: list[DrillRow] = []
    for kind, last, cut, in_classes in _queries(session, scope, overrides):
        stmt = (select(Enterprise.id, Enterprise.name, last.c.last)
                .outerjoin(last, last.c.eid == Enterprise.id)
                .where(*_base(scope), in_classes,
                       scope.group_of(Enterprise.division_code) == key,
                       (last.c.last.is_(None)) | (last.c.last <= cut)))
        for eid, name, day in session.execute(stmt):
            state = (tr("dash.drill.never", kind=tr(f"due.kind.{kind}")) if day is None else
                     tr("dash.drill.last_report", kind=tr(f"due.kind.{kind}"),
                        day=day.isoformat()))
            rows.append(DrillRow("enterprise", eid, name, state, day))
    rows.sort(key=lambda r: (r.day is not None, r.day or date.min, r.title))
    return rows
