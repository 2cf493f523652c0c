"""Rectification rate, closure rate and overdue items per division of the jurisdiction.

Definition (seed 002 "整改到位率 100 %", items closed off — 销号; shared/DOMAIN.md §5
"Rectification lifecycle"), the same as
:func:`ohinspect.services.rectification_queries.rectification_rates`: of the live items of the
jurisdiction's enterprises whose deadline falls in [start, end] (``due``), ``on_time`` were
closed (a final state of ``resources/rules/rectification.yaml``) on or before their deadline
(local day of ``closed_at``), ``closed`` are closed whenever that was, and ``overdue`` are still
in an overdue state with the deadline before the scope's as-of day. rectification rate =
on_time ÷ due, closure rate = closed ÷ due. One figure per division one level below the
jurisdiction; aggregated by SQL (GROUP BY division prefix) from two covering indexes of
migration 0008: the items of the period from ``ix_rectification_item_period`` (deadline,
status, enterprise_id, closed_at, deleted_at) and their enterprise's division from
``ix_enterprise_scope`` — no table row is read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ohinspect.dashboards.model import (PERCENT, Column, DrillRow, Figure, Indicator, Scope,
                                        division_label, rate)
from ohinspect.i18n import tr
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.models import Enterprise, RectificationItem

R = RectificationItem
ID = "rectification"
COLUMNS = (Column("due"), Column("on_time"), Column("closed"), Column("overdue"),
           Column("rectification_rate", PERCENT), Column("closure_rate", PERCENT))


def _local_offset() -> str:
    """The SQLite date modifier turning a stored UTC moment into the local day (the offset of
    now: the zones this app serves keep no daylight-saving time)."""
    offset = datetime.now().astimezone().utcoffset()
    return f"{int(offset.total_seconds()) if offset else 0:+d} seconds"


def _conditions(scope: Scope) -> list[Any]:
    deadline = scope.period(R.deadline)
    return [R.deleted_at.is_(None), deadline >= scope.start, deadline <= scope.end,
            scope.within(Enterprise.division_code)]


def _overdue(scope: Scope) -> Any:
    return and_(R.status.in_(load_rectification_rules().overdue_states), R.deadline < scope.as_of)


def rectification_rates(session: Session, scope: Scope) -> Indicator:
    """One figure per division (module doc), ordered by code."""
    final = load_rectification_rules().final
    closed = R.status.in_(final)
    on_time = and_(closed, func.date(R.closed_at, _local_offset()) <= R.deadline)
    group = scope.group_of(Enterprise.division_code)
    stmt = (select(group, func.count(),
                   func.sum(case((on_time, 1), else_=0)), func.sum(case((closed, 1), else_=0)),
                   func.sum(case((_overdue(scope), 1), else_=0)))
            .join(Enterprise, Enterprise.id == R.enterprise_id)
            .where(*_conditions(scope)).group_by(group).order_by(group))
    figures = tuple(Figure(code, division_label(code), {
        "due": due, "on_time": ok, "closed": done, "overdue": late,
        "rectification_rate": rate(ok, due), "closure_rate": rate(done, due)})
        for code, due, ok, done, late in session.execute(stmt))
    return Indicator(ID, COLUMNS, "rectification_rate", figures, ("on_time",), "due")


def rectification_records(session: Session, scope: Scope, key: str) -> list[DrillRow]:
    """The items due in the period of the enterprises of division ``key``: the overdue first."""
    overdue = _overdue(scope)
    stmt = (select(R.id, Enterprise.name, R.finding, R.status, R.deadline,
                   case((overdue, 0), else_=1).label("o"))
            .join(Enterprise, Enterprise.id == R.enterprise_id)
            .where(*_conditions(scope), scope.group_of(Enterprise.division_code) == key)
            .order_by("o", R.deadline, R.id))
    return [DrillRow("rectification_item", rid, f"{name}：{finding}",
                     tr(f"rectification.status.{status}")
                     + (f" · {tr('dash.drill.overdue')}" if late == 0 else ""), deadline)
            for rid, name, finding, status, deadline, late in session.execute(stmt)]
