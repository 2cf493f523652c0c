"""Periodic testing and status evaluation overdue (定期检测、现状评价逾期) per division.

Definition (seed 004 line 25: 检测评价到期提醒、逾期通报; 《工作场所职业卫生管理规定》第二十条, see
:mod:`ohinspect.services.due_dates`): each live employer of the jurisdiction owes each kind its
risk class requires (intervals in ``resources/standards/periodic_testing.yaml``, overridable in
the settings); at the scope's as-of day a required (employer, kind) is ``overdue`` when its last
report (up to that day) plus the interval lies before that day and ``never`` when there is no
such report. lapsed share = (overdue + never) ÷ required. One figure per division one level
below the jurisdiction.

For speed over a province (benchmarks/bench_dashboard.py) the figures read two indexes and look
nothing up per employer: the employers per division and class from ``ix_enterprise_employers``
(migration 0008), and the last report per employer and kind from the tally ``periodic_latest``
(:mod:`ohinspect.services.tallies`, migration 0010), which carries the employer's division and
class. A last report dated after the as-of day (a period in the past) is replaced by the last
one up to that day, looked up in ``ix_periodic_report_live`` for that employer alone. Each
required (employer, kind) is compared with a cut-off date worked out once per class and kind in
Python — the same arithmetic as ``due_dates.add_months``; never = required − reported.
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
from ohinspect.services.tallies import check_tallies
from ohinspect.services.verdicts import ID_CHUNK
from ohinspect.store.models import Enterprise, PeriodicReport
from ohinspect.store.models.verdicts import PeriodicLatest

ID = "periodic"
COLUMNS = (Column("required"), Column("overdue"), Column("never"),
           Column("lapsed_share", PERCENT))
#: per kind, the overdue cut-off date of each risk class that owes it
Cuts = dict[str, dict[str, date]]


def cutoff(as_of: date, months: int) -> date:
    """The latest report date that is overdue on ``as_of``: add_months(day, months) < as_of."""
    day = add_months(as_of, -months)
    while add_months(day, months) >= as_of:
        day -= timedelta(days=1)
    while add_months(day + timedelta(days=1), months) < as_of:
        day += timedelta(days=1)
    return day


def _cuts(classes: set[str], scope: Scope, overrides: Mapping[str, int] | None) -> Cuts:
    rules = load_periodic_rules()
    out: Cuts = {}
    for kind in rules.kinds:
        cuts = {cls: cutoff(scope.as_of, months) for cls in sorted(classes)
                if (months := rules.interval(cls, kind, overrides)) is not None}
        if cuts:
            out[kind] = cuts
    return out


def _last(as_of: date) -> Any:
    """The tally's last report date if it is not after ``as_of``, else the last live report up
    to ``as_of`` of that employer and kind (ORDER BY … LIMIT 1 over its range of the index)."""
    earlier = (select(PeriodicReport.report_date)
               .where(PeriodicReport.enterprise_id == PeriodicLatest.enterprise_id,
                      PeriodicReport.kind == PeriodicLatest.kind,
                      PeriodicReport.deleted_at.is_(None), PeriodicReport.report_date <= as_of)
               .order_by(PeriodicReport.report_date.desc()).limit(1).scalar_subquery())
    return case((PeriodicLatest.last_date <= as_of, PeriodicLatest.last_date), else_=earlier)


def _employers(scope: Scope) -> list[Any]:
    return [Enterprise.org_kind == EMPLOYER, Enterprise.deleted_at.is_(None),
            scope.within(Enterprise.division_code)]


def periodic_overdue(session: Session, scope: Scope, *,
                     overrides: Mapping[str, int] | None = None) -> Indicator:
    """One figure per division (module doc), ordered by code. Every query groups by whole
    division codes in the order of its index (no sorting); Python adds them up per figure."""
    check_tallies(session)
    employers = session.execute(
        select(Enterprise.division_code, Enterprise.risk_class, func.count())
        .where(*_employers(scope)).group_by(Enterprise.division_code, Enterprise.risk_class)
    ).all()
    cuts = _cuts({cls for _, cls, _ in employers}, scope, overrides)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])   # required, overdue, never
    for division, cls, n in employers:
        owed = sum(cls in by_class for by_class in cuts.values())
        if owed:
            total = totals[division[:scope.group_digits]]
            total[0] += n * owed
            total[2] += n * owed
    last = _last(scope.as_of)
    for kind, by_class in cuts.items():
        for cls, day in by_class.items():
            # one range of ix_periodic_latest_scope per class and kind
            for division, has, late in session.execute(
                    select(PeriodicLatest.division_code, func.count(last),
                           func.sum(case((last <= day, 1), else_=0)))
                    .where(PeriodicLatest.org_kind == EMPLOYER, PeriodicLatest.live.is_(True),
                           PeriodicLatest.risk_class == cls, PeriodicLatest.kind == kind,
                           scope.within(PeriodicLatest.division_code))
                    .group_by(PeriodicLatest.division_code)):
                total = totals[division[:scope.group_digits]]
                total[1] += late
                total[2] -= has
    figures = tuple(Figure(code, division_label(code), {
        "required": req, "overdue": late, "never": none,
        "lapsed_share": rate(late + none, req)})
        for code, (req, late, none) in sorted(totals.items()))
    return Indicator(ID, COLUMNS, "lapsed_share", figures, ("overdue", "never"), "required")


def periodic_records(session: Session, scope: Scope, key: str, *,
                     overrides: Mapping[str, int] | None = None) -> list[DrillRow]:
    """The overdue and never-reported (employer, kind) of division ``key``, oldest first."""
    check_tallies(session)
    employers = session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.risk_class)
        .where(*_employers(scope), scope.group_of(Enterprise.division_code) == key)).all()
    cuts = _cuts({cls for _, _, cls in employers}, scope, overrides)
    last: dict[tuple[str, str], date | None] = {}
    ids = [eid for eid, _, _ in employers]
    for start in range(0, len(ids), ID_CHUNK):
        last.update(((eid, kind), day) for eid, kind, day in session.execute(
            select(PeriodicLatest.enterprise_id, PeriodicLatest.kind, _last(scope.as_of))
            .where(PeriodicLatest.enterprise_id.in_(ids[start:start + ID_CHUNK]))))
    rows = []
    for eid, name, cls in employers:
        for kind, by_class in cuts.items():
            day = last.get((eid, kind))
            if cls not in by_class or (day is not None and day > by_class[cls]):
                continue
            label = tr(f"due.kind.{kind}")
            state = (tr("dash.drill.never", kind=label) if day is None else
                     tr("dash.drill.last_report", kind=label, day=day.isoformat()))
            rows.append(DrillRow("enterprise", eid, name, state, day))
    rows.sort(key=lambda r: (r.day is not None, r.day or date.min, r.title))
    return rows
