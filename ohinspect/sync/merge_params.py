"""Bind processors for the merge's ``executemany`` (ohinspect/sync/merge_bulk.py).

SQLAlchemy turns a timestamp into SQLite's text through two generic layers (the UTC type, then
a ``%``-format of a dict of its fields), a few microseconds for each of the four or five
timestamps of every received record. A timestamp or a date already validated as such has the
same text from ``isoformat`` in one C call. The short form is used only if it writes exactly
what SQLAlchemy's own processor writes for a set of probe values (checked once per column type
and dialect), so a different storage format silently keeps SQLAlchemy's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Date
from sqlalchemy.engine import Dialect

from ohinspect.store.base import UtcDateTime

Processor = Callable[[Any], Any]

_PROBES = [datetime(2026, 11, 23, 16, 30, 35, 123456, tzinfo=timezone.utc),
           datetime(999, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
           datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8))),
           datetime(999, 12, 31, 23, 59, 59, 1, tzinfo=timezone(timedelta(hours=-5))),
           datetime(2024, 2, 29, 12, 0, 0, 500000, tzinfo=timezone.utc), None]


_UTC = timezone.utc
#: the "+00:00" ``isoformat`` writes after a UTC time
_OFFSET = len("+00:00")


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is _UTC:  # a received timestamp (ohinspect/sync/local.py makes it UTC)
        return value.isoformat(" ", "microseconds")[:-_OFFSET]
    if value.tzinfo is None:
        raise ValueError("naive datetime given for a UTC column")
    return value.astimezone(_UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _date_processor(fallback: Processor) -> Processor:
    def process(value: Any) -> Any:
        return value.isoformat() if type(value) is date else fallback(value)
    return process


def bind_processor(column: Any, dialect: Dialect) -> Processor | None:
    """What turns a value of ``column`` into the driver's parameter (None: the value itself)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    if isinstance(column.type, UtcDateTime):
        if all(process(v) == _utc_text(v) for v in _PROBES):
            return _utc_text
    elif isinstance(column.type, Date):
        days = [v.date() for v in _PROBES if v is not None]
        if all(process(v) == v.isoformat() for v in days):
            return _date_processor(process)
    return process
