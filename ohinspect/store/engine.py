"""SQLite engines with the pragmas the store relies on.

- WAL journal, ``synchronous=FULL`` (a committed write survives a power cut), foreign keys on.
- The *writer* engine has one connection and starts every transaction with ``BEGIN IMMEDIATE``:
  writes are serial, so the audit chain and change counter never race.
- The *reader* engine serves queries from any thread with deferred transactions (WAL lets
  them run while a write is in progress). Its connections keep a larger page cache and read the
  file through a memory map (``READ_PRAGMAS``): the dashboards' aggregates over a million-record
  store read tens of megabytes of index pages, and SQLite's default 2 MB cache made every open
  read them again (benchmarks/bench_dashboard.py: about a quarter of the time).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000
#: per read connection: page cache up to 32 MiB (allocated as used), file mapped up to 1 GiB
#: (address space, shared by the connections through the OS cache)
READ_PRAGMAS = ("PRAGMA cache_size=-32768", "PRAGMA mmap_size=1073741824")


def _configure(dbapi_conn: sqlite3.Connection, foreign_keys: bool, writer: bool) -> None:
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _begin)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    for pragma in () if writer else READ_PRAGMAS:
        cur.execute(pragma)
    cur.close()


def make_engine(path: Path, *, writer: bool, foreign_keys: bool = True) -> Engine:
    """An engine on the store file; ``writer`` selects the serial, BEGIN IMMEDIATE engine."""
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}}
    if writer:
        kwargs.update(pool_size=1, max_overflow=0, pool_timeout=60)
    else:
        kwargs.update(pool_size=4, max_overflow=4)
    engine = create_engine(f"sqlite:///{path}", **kwargs)
    begin_sql = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        _configure(dbapi_conn, foreign_keys, writer)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin_sql)

    return engine
