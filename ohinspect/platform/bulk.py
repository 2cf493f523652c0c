"""Set-based statements for a whole push batch: rows looked up by a list of keys, rows inserted
and updated many at a time — one statement each, whatever the batch size.

On PostgreSQL the rows travel as ONE JSON parameter, turned into rows on the server
(``json_to_recordset(:k) AS k(a TEXT, b BIGINT, …)``): the statement text is the same for every
batch, so it is compiled, parsed and planned once, where a row-value ``IN`` of 250 keys or a
250-row ``VALUES`` list was new text with hundreds of parameters each time (most of the
handler's time, benchmarks/bench_sync_push.py); JSON is encoded and decoded in C on both sides
(psycopg's text arrays escape each element with a regular expression in Python). SQLite (the
one-machine trial) gets the plain forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (JSON, Column, Connection, Row, Table, and_, bindparam, column, func,
                        insert, select, tuple_, update)
from sqlalchemy.sql import FromClause

from ohinspect.platform.db import is_postgres


def _recordset(table: Table, names: Sequence[str], rows: Sequence[Any]) -> FromClause:
    """``json_to_recordset(:k) AS k(c1 TYPE, …)``: ``rows`` (dicts by column name) as a table
    whose columns are typed like ``table``'s."""
    return (func.json_to_recordset(bindparam("k", list(rows), type_=JSON))
            .table_valued(*[column(n, table.c[n].type) for n in names])
            .render_derived(name="k", with_types=True))


def _matches(table: Table, keys: FromClause, names: Sequence[str]) -> Any:
    return and_(*[table.c[n] == keys.c[n] for n in names])


def select_by_keys(conn: Connection, table: Table, key_names: Sequence[str],
                   keys: Sequence[tuple[Any, ...]], columns: Sequence[Column[Any]],
                   lock: bool = False) -> list[Row[Any]]:
    """``columns`` of the rows whose ``key_names`` equal one of ``keys``; ``lock``: locked
    until commit, in key order (two batches cannot deadlock on them)."""
    if not keys:
        return []
    if not is_postgres(conn):
        return list(conn.execute(select(*columns).where(
            tuple_(*[table.c[n] for n in key_names]).in_(sorted(keys)))))
    k = _recordset(table, key_names, [dict(zip(key_names, key)) for key in keys])
    query = select(*columns).join_from(table, k, _matches(table, k, key_names))
    if lock:
        query = query.order_by(*[table.c[n] for n in key_names]).with_for_update(of=table)
    return list(conn.execute(query))


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys)."""
    if not rows:
        return
    if not is_postgres(conn):
        conn.execute(insert(table), rows)
        return
    names = list(rows[0])
    source = _recordset(table, names, rows)
    conn.execute(insert(table).from_select(names, select(*[source.c[n] for n in names])))


def update_rows(conn: Connection, table: Table, key_names: Sequence[str],
                rows: list[dict[str, Any]]) -> None:
    """Set the other columns of ``rows`` on the rows their ``key_names`` name."""
    if not rows:
        return
    names = [n for n in rows[0] if n not in key_names]
    if not is_postgres(conn):
        conn.execute(update(table).where(*[table.c[n] == bindparam(f"k_{n}") for n in key_names])
                     .values({n: bindparam(f"v_{n}") for n in names}),
                     [{**{f"k_{n}": r[n] for n in key_names}, **{f"v_{n}": r[n] for n in names}}
                      for r in rows])
        return
    source = _recordset(table, [*key_names, *names], rows)
    conn.execute(update(table).where(_matches(table, source, key_names))
                 .values({n: source.c[n] for n in names}))
