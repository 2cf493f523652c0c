"""Rectification rate, closure rate and overdue items per division of the jurisdiction.

Definition (seed 002 "整改到位率 100 %", items closed off — 销号; shared/DOMAIN.md §5
"Rectification lifecycle"), the same as
:func:`ohinspect.services.rectification_queries.rectification_rates`: of the live items of the
jurisdiction's enterprises whose deadline falls in [start, end] (``due``), ``on_time`` were
closed (a final state of ``resources/rules/rectification.yaml``) on or before their deadline
(local day of ``closed_at``), ``closed`` are closed whenever that was, and ``overdue`` are still
in an overdue state with the deadline before the scope's as-of day. rectification rate =
on_time ÷ due, closure rate = closed ÷ due. One figure per division one level below the
jurisdiction. For speed over a province (benchmarks/bench_dashboard.py) the figures read the
tally ``rectification_tally`` (:mod:`ohinspect.services.tallies`, migration 0010), which carries
each live item's enterprise division: per division code of the jurisdiction (found by skipping
through the covering index) the period's items are one range of it, counted without sorting
and without looking an enterprise up; Python adds the divisions up per figure.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ohinspect.dashboards.model import (PERCENT, Column, DrillRow, Figure, Indicator, Scope,
                                        distinct_values, division_label, rate)
from ohinspect.i18n import tr
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.services.tallies import check_tallies
from ohinspect.store.models import Enterprise, RectificationItem
from ohinspect.store.models.verdicts import RectificationTally

R = RectificationTally
ID = "rectification"
COLUMNS = (Column("due"), Column("on_time"), Column("closed"), Column("overdue"),
           Column("rectification_rate", PERCENT), Column("closure_rate", PERCENT))


def _local_offset() -> str:
    """The SQLite date modifier turning a stored UTC moment into the local day (the offset of
    now: the zones this app serves keep no daylight-saving time)."""
    offset = datetime.now().astimezone().utcoffset()
    return f"{int(offset.total_seconds()) if offset else 0:+d} seconds"


def _conditions(scope: Scope) -> list[Any]:
    """The live items due in the period of an enterprise of the jurisdiction (one that has not
    arrived yet has no division)."""
    return [R.division_code.is_not(None), scope.within(R.division_code),
            R.deadline >= scope.start, R.deadline <= scope.end]


def _overdue(scope: Scope) -> Any:
    return and_(R.status.in_(load_rectification_rules().overdue_states), R.deadline < scope.as_of)


def rectification_rates(session: Session, scope: Scope) -> Indicator:
    """One figure per division (module doc), ordered by code: per division code, its items of
    the period are one range of the index, counted by a subquery (no sorting)."""
    check_tallies(session)
    final = load_rectification_rules().final
    closed = R.status.in_(final)
    on_time = and_(closed, func.date(R.closed_at, _local_offset()) <= R.deadline)
    division = distinct_values(R.division_code, scope.within(R.division_code))
    counts = (select(func.json_array(func.count(), func.sum(case((on_time, 1), else_=0)),
                                     func.sum(case((closed, 1), else_=0)),
                                     func.sum(case((_overdue(scope), 1), else_=0))))
              .where(R.division_code == division.c.value, R.deadline >= scope.start,
                     R.deadline <= scope.end).scalar_subquery())
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for code, found in session.execute(select(division.c.value, counts)
                                       .where(division.c.value.is_not(None))):
        values = json.loads(found)
        if values[0]:
            total = totals[code[:scope.group_digits]]
            for n, value in enumerate(values):
                total[n] += value
    figures = tuple(Figure(code, division_label(code), {
        "due": due, "on_time": ok, "closed": done, "overdue": late,
        "rectification_rate": rate(ok, due), "closure_rate": rate(done, due)})
        for code, (due, ok, done, late) in sorted(totals.items()))
    return Indicator(ID, COLUMNS, "rectification_rate", figures, ("on_time",), "due")


def rectification_records(session: Session, scope: Scope, key: str) -> list[DrillRow]:
    """The items due in the period of the enterprises of division ``key``: the overdue first."""
    check_tallies(session)
    overdue = _overdue(scope)
    item = RectificationItem
    stmt = (select(item.id, Enterprise.name, item.finding, item.status, item.deadline,
                   case((overdue, 0), else_=1).label("o"))
            .select_from(R).join(item, item.id == R.item_id)
            .join(Enterprise, Enterprise.id == item.enterprise_id)
            .where(*_conditions(scope), scope.group_of(R.division_code) == key)
            .order_by("o", item.deadline, item.id))
    return [DrillRow("rectification_item", rid, f"{name}：{finding}",
                     tr(f"rectification.status.{status}")
                     + (f" · {tr('dash.drill.overdue')}" if late == 0 else ""), deadline)
            for rid, name, finding, status, deadline, late in session.execute(stmt)]
