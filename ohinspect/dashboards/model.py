"""What a dashboard is made of: a scope (jurisdiction and period), indicators made of figures,
and the drill-down rows behind a figure (fetched lazily, never carried with the figures).

Every indicator function of this package takes a read session and a :class:`Scope` and returns
an :class:`Indicator`; its ``records`` companion takes the same plus a figure key and returns the
:class:`DrillRow` list of the records behind that figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from ohinspect.services.enterprise_queries import division_prefix

#: how a column's numbers are shown: a count, or a share 0.0–1.0 shown as a percentage
COUNT, PERCENT = "count", "percent"
#: a jurisdiction code this short (a province, or "" for everything) is :attr:`Scope.wide`
WIDE_PREFIX = 2


@dataclass(frozen=True)
class Scope:
    """A jurisdiction (GB/T 2260 code; "" = everything) and a period [start, end] (local dates);
    ``today`` decides what is overdue (the end of the period when that is earlier)."""

    jurisdiction: str
    start: date
    end: date
    today: date

    @property
    def as_of(self) -> date:
        return min(self.end, self.today)

    @property
    def prefix(self) -> str:
        return division_prefix(self.jurisdiction) if self.jurisdiction else ""

    @property
    def wide(self) -> bool:
        """A province or everything: so many enterprises that reading a table's rows of the
        period beats going through the enterprises' index (the queries choose their plan)."""
        return len(self.prefix) <= WIDE_PREFIX

    @property
    def group_digits(self) -> int:
        """Figures per division one level below the jurisdiction (a county: itself)."""
        return min(len(self.prefix) + 2, 6) if self.prefix else 2

    def within(self, column: Any) -> Any:
        """``column`` (a division code) lies in the jurisdiction: a range over the index."""
        if not self.prefix:
            return True
        return and_(column >= self.prefix, column < self.prefix + "\uffff")

    def period(self, column: Any) -> Any:
        """``column`` (a date or moment) as the period's conditions compare it: a wide scope
        reads the period from the column's index; a narrow one compares ``+column`` (SQLite's
        no-op that keeps a term off the indexes), so the jurisdiction's enterprises are read
        first and only their records next (the planner has no statistics to choose)."""
        if self.wide:
            return column
        return UnaryExpression(column.expression, operator=custom_op("+"), type_=column.type)

    def group_of(self, column: Any) -> Any:
        return func.substr(column, 1, self.group_digits)


@dataclass(frozen=True)
class Column:
    id: str              # translated as dash.col.<id>
    kind: str = COUNT    # COUNT | PERCENT


@dataclass(frozen=True)
class Figure:
    """One bar: a group key (risk class, division, hazard code, section, inspector), its label
    and its numbers by column id (None: no rate, nothing to divide by)."""

    key: str
    label: str
    values: dict[str, float | int | None]


@dataclass(frozen=True)
class Indicator:
    id: str                       # dash.ind.<id> is its title, dash.def.<id> its definition
    columns: tuple[Column, ...]
    chart: str                    # the column the bars show
    figures: tuple[Figure, ...]
    #: a rate's numerator columns and denominator column ("" for a plain count)
    parts: tuple[str, ...] = field(default=())
    whole: str = ""
    #: the overall figure when it is not a sum of the figures (records counted in several)
    total: int | None = None

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def overall(self) -> float | int | None:
        """The indicator over all its figures: Σ parts ÷ Σ whole for a rate, else Σ chart."""
        def total(col: str) -> int:
            return sum(int(f.values.get(col) or 0) for f in self.figures)

        if self.whole:
            return rate(sum(total(c) for c in self.parts), total(self.whole))
        return self.total if self.total is not None else total(self.chart)

    def has_target(self) -> bool:
        """Whether any figure carries a target (drawn as a dashed line)."""
        return any(isinstance(f.values.get("target"), float) for f in self.figures)

    def chart_column(self) -> Column:
        return next(c for c in self.columns if c.id == self.chart)


@dataclass(frozen=True)
class DrillRow:
    """A record behind a figure: its type and id (to open it) and what the list shows."""

    record_type: str
    record_id: str
    title: str
    detail: str
    day: date | None = None


def distinct_values(column: Any, *conditions: Any) -> Any:
    """The distinct non-null values of the indexed ``column`` (rows matching ``conditions``),
    ascending, as a recursive CTE of one column ``value`` that ends with a NULL: one seek per
    value through the index — SQLite has no skip-scan without statistics, and grouping the rows
    instead would sort all of them."""
    first = (select(func.min(column).label("value")).where(*conditions)
             .cte(f"{column.key}_values", recursive=True))
    following = (select(func.min(column)).where(column > first.c.value, *conditions)
                 .scalar_subquery())
    return first.union_all(select(following).where(first.c.value.is_not(None)))


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def division_label(code: str) -> str:
    """The name of a (possibly shortened) division code: 62 → 620000 → 甘肃省."""
    from ohinspect.i18n import current_language
    from ohinspect.standards.divisions import load_divisions

    row = load_divisions().get(code.ljust(6, "0"))
    if row is None:
        return code
    return row.name if current_language() == "zh_CN" else row.name_en
