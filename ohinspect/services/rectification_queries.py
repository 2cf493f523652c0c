"""Lists and rates of rectification items: the filtered item list, the overdue list (deadline
passed, not closed — derived, see ``resources/rules/rectification.yaml``), the look-back list
(回头看) and the rectification rate per jurisdiction and period.

Rates (seed 002 "整改到位率 100 %"), per jurisdiction = GB/T 2260 division-code prefix of the
enterprise, and period [start, end]:

* ``due``            items whose deadline falls in the period (deleted items left out);
* ``on_time``        of those, items closed (销号) on or before their deadline (local date);
* ``closed``         of those, items closed now, whenever that was;
* rectification rate = on_time ÷ due; closure rate = closed ÷ due; no items due → no rate.

Lists are two steps, as the screens use them: :func:`search_ids` returns the ordered ids
(sorted by SQLite over the index ``ix_rectification_item_due`` (status, deadline, id)), and
:func:`fetch_items` reads one page of plain rows (no ORM objects). The overdue list of 100,000
items of 10,000 enterprises (ids + first page): ~130 ms of CPU (benchmarks/bench_overdue.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from ohinspect.services.enterprise_queries import division_prefix
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.models import Enterprise, RectificationItem

R = RectificationItem
#: status filter values besides the states themselves
FILTER_OVERDUE = "overdue"


@dataclass(frozen=True)
class ItemRow:
    id: str
    enterprise_id: str
    enterprise_name: str
    division_code: str
    source_type: str
    source_ref: str
    finding: str
    requirement: str
    deadline: date
    owner: str
    status: str
    requires_retest: bool
    look_back_on: date | None
    overdue: bool
    days_overdue: int          # 0 when not overdue
    closed_by: str = ""


@dataclass
class ItemFilter:
    status: str = ""           # a state, "overdue" or "" (any)
    overdue_only: bool = False
    source: str = ""           # inspection | audit | sampling | ""
    jurisdiction: str = ""     # GB/T 2260 code: the division and everything below it
    text: str = ""             # in the finding, requirement, source reference or enterprise name
    enterprise_id: str = ""


_COLUMNS = (R.id, R.enterprise_id, Enterprise.name, Enterprise.division_code, R.source_type,
            R.source_ref, R.finding, R.requirement, R.deadline, R.owner, R.status,
            R.requires_retest, R.look_back_on, R.closed_by)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _jurisdiction(code: str) -> Any:
    prefix = division_prefix(code)
    return and_(Enterprise.division_code >= prefix, Enterprise.division_code < prefix + "\uffff")


def _row(r: Any, today: date, overdue_states: tuple[str, ...]) -> ItemRow:
    """An :class:`ItemRow` from a row of ``_COLUMNS`` (unpacked by position: fast)."""
    (id_, ent, name, division, source, ref, finding, requirement, deadline, owner, status,
     retest, look_back_on, closed_by) = r
    late = (today - deadline).days if status in overdue_states else 0
    return ItemRow(id_, ent, name, division, source, ref, finding, requirement, deadline, owner,
                   status, bool(retest), look_back_on, late > 0, max(late, 0), closed_by)


def _conditions(f: ItemFilter, today: date) -> tuple[list[Any], bool]:
    """The WHERE conditions of ``f`` and whether they need the enterprise joined."""
    rules = load_rectification_rules()
    conds: list[Any] = [R.deleted_at.is_(None)]
    if f.overdue_only or f.status == FILTER_OVERDUE:
        conds += [R.status.in_(rules.overdue_states), R.deadline < today]
    elif f.status:
        conds.append(R.status == f.status)
    if f.source:
        conds.append(R.source_type == f.source)
    if f.enterprise_id:
        conds.append(R.enterprise_id == f.enterprise_id)
    join = False
    if f.jurisdiction:
        conds.append(R.enterprise_id.in_(select(Enterprise.id).where(
            _jurisdiction(f.jurisdiction))))
    text = f.text.strip()
    if text:
        pattern = f"%{_like(text)}%"
        conds.append(or_(*(c.like(pattern, escape="\\") for c in (
            R.finding, R.requirement, R.source_ref, Enterprise.name))))
        join = True
    return conds, join


def search_ids(session: Session, f: ItemFilter, today: date) -> list[str]:
    """Ids of the items matching ``f``: the overdue first (most overdue first), then the rest by
    deadline. Only ids travel (sorted by SQLite); :func:`fetch_items` reads a page of rows."""
    overdue_states = load_rectification_rules().overdue_states
    conds, join = _conditions(f, today)
    stmt = select(R.id).where(*conds)
    if join:
        stmt = stmt.join(Enterprise, Enterprise.id == R.enterprise_id)
    if not (f.overdue_only or f.status == FILTER_OVERDUE):
        late = case((and_(R.status.in_(overdue_states), R.deadline < today), 0), else_=1)
        stmt = stmt.order_by(late)
    return list(session.scalars(stmt.order_by(R.deadline, R.id)))


def fetch_items(session: Session, ids: list[str], today: date) -> list[ItemRow]:
    """The rows of ``ids`` (a page), in the order of ``ids``."""
    overdue_states = load_rectification_rules().overdue_states
    found: dict[str, ItemRow] = {}
    for start in range(0, len(ids), 900):
        stmt = (select(*_COLUMNS).join(Enterprise, Enterprise.id == R.enterprise_id)
                .where(R.id.in_(ids[start:start + 900])))
        found.update((r[0], _row(r, today, overdue_states)) for r in session.execute(stmt))
    return [found[i] for i in ids if i in found]


def search_items(session: Session, f: ItemFilter, today: date, *,
                 limit: int = 0) -> tuple[list[ItemRow], int]:
    """The first ``limit`` rows (all when 0) matching ``f`` and how many match in all."""
    ids = search_ids(session, f, today)
    return fetch_items(session, ids[:limit] if limit > 0 else ids, today), len(ids)


def overdue_items(session: Session, today: date, jurisdiction: str = "",
                  limit: int = 0) -> list[ItemRow]:
    """Items past their deadline and not closed, most overdue first, with the enterprise's
    name and division, days overdue and the source."""
    rows, _ = search_items(session, ItemFilter(overdue_only=True, jurisdiction=jurisdiction),
                           today, limit=limit)
    return rows


def look_back_items(session: Session, today: date, jurisdiction: str = "") -> list[ItemRow]:
    """回头看: closed items still to be looked at again, the earliest date first (an item whose
    ``look_back_on`` is today or earlier is due now)."""
    rules = load_rectification_rules()
    conds: list[Any] = [R.deleted_at.is_(None), R.look_back_on.is_not(None)]
    if jurisdiction:
        conds.append(_jurisdiction(jurisdiction))
    stmt = (select(*_COLUMNS).join(Enterprise, Enterprise.id == R.enterprise_id).where(*conds)
            .order_by(R.look_back_on, R.id))
    return [_row(r, today, rules.overdue_states) for r in session.execute(stmt)]


@dataclass(frozen=True)
class RateRow:
    jurisdiction: str          # the division-code prefix (2, 4 or 6 digits)
    due: int
    on_time: int
    closed: int

    @property
    def rectification_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def closure_rate(self) -> float | None:
        return self.closed / self.due if self.due else None


def _local_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().date()


def rectification_rates(session: Session, start: date, end: date, *, jurisdiction: str = "",
                        digits: int = 6) -> list[RateRow]:
    """Rates (module doc) per division-code prefix of ``digits`` digits (2 province, 4
    prefecture, 6 county) inside ``jurisdiction``, for items due in [start, end]."""
    closed_state = load_rectification_rules().final
    conds: list[Any] = [R.deleted_at.is_(None), R.deadline >= start, R.deadline <= end]
    if jurisdiction:
        conds.append(_jurisdiction(jurisdiction))
    prefix = func.substr(Enterprise.division_code, 1, digits)
    # "on or before the deadline" compares the local day of closed_at (stored in UTC)
    stmt = (select(prefix.label("p"), R.deadline, R.status, R.closed_at)
            .join(Enterprise, Enterprise.id == R.enterprise_id).where(*conds))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for p, deadline, status, closed_at in session.execute(stmt):
        c = counts[p]
        c[0] += 1
        if status in closed_state:
            c[2] += 1
            day = _local_day(closed_at)
            if day is not None and day <= deadline:
                c[1] += 1
    return [RateRow(p, *counts[p]) for p in sorted(counts)]


def list_rectification(session: Session, *, include_deleted: bool = False,
                       limit: int = 0) -> list[dict[str, Any]]:
    """``ohinspect list rectification``: the items as plain dicts, overdue first (deleted items
    are never listed: items are closed, not deleted)."""
    from dataclasses import asdict

    from ohinspect.services.inspection_helpers import local_today
    from ohinspect.store.serialize import to_jsonable

    rows, _ = search_items(session, ItemFilter(), local_today(), limit=limit)
    return [{k: to_jsonable(v) for k, v in asdict(r).items()} for r in rows]
