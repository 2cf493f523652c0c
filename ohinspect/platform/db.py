"""Engine, schema creation and the two primitives every write needs: a retried transaction
and server sequence numbers that commit in the order they were issued.

Readers page through ``server_seq`` (GET /v1/changes), so a seq must never become visible
after a higher one: writers take a transaction-scoped lock just before drawing seqs and hold it
until commit (PostgreSQL advisory lock; SQLite serialises writers with BEGIN IMMEDIATE).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import (Connection, Engine, create_engine, delete, event, insert, inspect, select,
                        text, update)
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.platform import schema
from ohinspect.platform.blob_files import BlobFiles
from ohinspect.platform.upgrade import upgrade

T = TypeVar("T")

#: PostgreSQL advisory-lock key held from drawing server seqs until commit
SEQ_LOCK_KEY = 0x0815_6AC7
#: a transaction that lost a race (unique key, deadlock, serialisation) is retried this often
WRITE_ATTEMPTS = 8
SCHEMA_KEY, SERVER_ID_KEY = "schema_version", "server_id"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE so that
    concurrent writers queue instead of failing."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA foreign_keys=ON")
            dbapi_conn.execute("PRAGMA synchronous=FULL")

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_size=20, max_overflow=30, pool_pre_ping=True)


def quick_engine(engine: Engine) -> Engine:
    """The engine for the one-statement work every request does (the token check, which blobs
    are missing, a whole blob's row): autocommit, so a statement is one round trip — no BEGIN,
    no ROLLBACK when the connection goes back to the pool, no ping before it (a connection the
    database dropped fails that one statement and is replaced: :func:`run_read`,
    :func:`run_write`) — and commits that do not wait for PostgreSQL's WAL flush, which only
    blob rows need: they are rebuilt from the files (ohinspect/platform/blobs.py). Measured
    on loopback: the token check 6–6.5 → 4–5 ms. SQLite: ``engine`` itself."""
    if engine.dialect.name != "postgresql":
        return engine
    return create_engine(engine.url, pool_size=5, max_overflow=10, isolation_level="AUTOCOMMIT",
                         connect_args={"options": "-c synchronous_commit=off"})


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def init_db(engine: Engine, files: BlobFiles) -> tuple[int, int | None]:
    """Create the tables (idempotent), upgrade a database made by an older server (its blob
    bytes go to ``files``) and record the schema version; refuses a database made by a newer
    server. Returns (version, the version found or None when it was created)."""
    with engine.begin() as conn:
        existing = _stored_version(conn)
        if existing is not None and existing > schema.SCHEMA_VERSION:
            raise OHInspectError(tr("platform.cli.schema_newer", found=existing,
                                    supported=schema.SCHEMA_VERSION))
        schema.metadata.create_all(conn, checkfirst=True)
        if existing is None:
            conn.execute(insert(schema.platform_meta), [
                {"key": SCHEMA_KEY, "value": str(schema.SCHEMA_VERSION)},
                {"key": SERVER_ID_KEY, "value": str(uuid.uuid4())},
            ])
        elif existing < schema.SCHEMA_VERSION:
            upgrade(conn, existing, files)
            conn.execute(update(schema.platform_meta)
                         .where(schema.platform_meta.c.key == SCHEMA_KEY)
                         .values(value=str(schema.SCHEMA_VERSION)))
    return schema.SCHEMA_VERSION, existing


def _stored_version(conn: Connection) -> int | None:
    if not inspect(conn).has_table(schema.platform_meta.name):
        return None
    value = conn.scalar(select(schema.platform_meta.c.value)
                        .where(schema.platform_meta.c.key == SCHEMA_KEY))
    return int(value) if value is not None else None


def check_schema(engine: Engine) -> str:
    """The server id of an initialised database of this version; a clear error otherwise."""
    with engine.connect() as conn:
        version = _stored_version(conn)
        if version is None:
            raise OHInspectError(tr("platform.cli.not_initialised"))
        if version != schema.SCHEMA_VERSION:
            raise OHInspectError(tr("platform.cli.schema_mismatch", found=version,
                                    supported=schema.SCHEMA_VERSION))
        return str(conn.scalar(select(schema.platform_meta.c.value)
                               .where(schema.platform_meta.c.key == SERVER_ID_KEY)))


def run_write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one transaction, retrying when it lost a race with another writer."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            with engine.begin() as conn:
                return work(conn)
        except (IntegrityError, OperationalError, DBAPIError) as exc:
            if attempt == WRITE_ATTEMPTS - 1 or not _retryable(exc):
                raise
    raise AssertionError("unreachable")


def run_read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` on a connection, once more on a fresh one when the database had dropped
    the first (a restart)."""
    try:
        with engine.connect() as conn:
            return work(conn)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    with engine.connect() as conn:
        return work(conn)


def _retryable(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError) or exc.connection_invalidated:
        return True
    code = getattr(exc.orig, "sqlstate", None)
    if code in {"40001", "40P01"}:  # serialization failure, deadlock detected
        return True
    return "database is locked" in str(exc.orig)


def draw_seqs(conn: Connection, count: int) -> list[int]:
    """``count`` new server seqs, ascending; the caller's transaction holds the seq lock until
    it commits, so seqs become visible in order."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEQ_LOCK_KEY})
        rows = conn.execute(text("SELECT nextval('platform_server_seq') "
                                 "FROM generate_series(1, :n)"), {"n": count})
        return sorted(r[0] for r in rows)
    seqs = [conn.execute(insert(schema.sqlite_seq)).inserted_primary_key[0] for _ in range(count)]
    conn.execute(delete(schema.sqlite_seq))  # AUTOINCREMENT never reuses a number
    return seqs


def high_water(conn: Connection) -> int:
    """The highest server seq committed so far (0 on an empty server)."""
    return int(conn.scalar(select(schema.records.c.server_seq)
                           .order_by(schema.records.c.server_seq.desc()).limit(1)) or 0)
