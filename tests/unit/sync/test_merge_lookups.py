"""The merge's lookups (ohinspect/sync/merge_bulk.py, ohinspect/batches/versions.py) find
rows through indexes — a scan of the outbox or of batch_version per page grows with the store
— and still find exactly the right rows; its short bind processors write what SQLAlchemy's
write (ohinspect/sync/merge_params.py)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event
from sqlalchemy.dialects import sqlite

from ohinspect.batches import versions
from ohinspect.store.base import UtcDateTime, new_id, utcnow
from ohinspect.store.database import Store
from ohinspect.store.models import RECORD_TYPES, OutboxEntry, SyncPending
from ohinspect.sync import merge_bulk
from ohinspect.sync.merge_params import bind_processor

ENT, INSP = "enterprise", "inspection"


def _fill(store: Store) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """Keys of two record types; a third of them with a change in the outbox, a third
    remembered from a batch, a third waiting for a parent."""
    keys = [(t, new_id()) for t in (ENT, INSP) for _ in range(30)]
    pending = set(keys[::3])
    with store.write_sessionmaker() as s, s.begin():
        for n, (t, i) in enumerate(keys):
            if (t, i) in pending:
                s.add(OutboxEntry(record_type=t, record_id=i, change_seq=n, operation="upsert",
                                  payload="{}", payload_hash="0" * 64, created_at=utcnow()))
        versions.remember(s, "device-a", {k: n for n, k in enumerate(keys[1::3])})
        s.add_all(SyncPending(record_type=t, record_id=i, hash="0" * 64, payload="{}",
                              server_seq=0) for t, i in keys[2::3])
    return keys, pending


def test_lookups_search_indexes_and_find_exactly_their_rows(store: Store) -> None:
    keys, pending = _fill(store)
    asked = keys + [(ENT, new_id()), (INSP, new_id())]  # and two that are nowhere
    statements: list[tuple[str, tuple]] = []
    event.listen(store.write_engine, "before_cursor_execute",
                 lambda conn, cursor, sql, params, *_: statements.append((sql, params)))
    with store.write_sessionmaker() as s, s.begin():
        assert merge_bulk.pending_keys(s, asked) == pending
        assert versions.known_versions(s, asked) == {
            k: ("device-a", n) for n, k in enumerate(keys[1::3])}
        assert merge_bulk.current_rows(s, asked) == {}
        versions.drop_waiting(s, asked)
        lookups = [(q, p) for q, p in statements if q.lstrip().upper().startswith(("SELECT",
                                                                                  "DELETE"))]
        assert s.query(SyncPending).count() == 0
        assert len(lookups) >= 4
        for sql, params in lookups:
            plan = [r[3] for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql,
                                                                  tuple(params))]
            assert any(step.startswith("SEARCH") for step in plan), (sql, plan)
            # only the JSON array of keys is read whole, never a table
            assert all("VIRTUAL TABLE" in step for step in plan if step.startswith("SCAN")), (
                sql, plan)


@pytest.fixture
def dialect() -> sqlite.dialect:
    return sqlite.dialect()


def test_short_bind_processors_write_what_sqlalchemy_writes(dialect: sqlite.dialect) -> None:
    rng = random.Random(5)
    # timezone.utc itself: what a received timestamp holds (the processor's short path)
    zones = [timezone.utc] + [timezone(timedelta(minutes=m)) for m in (0, 480, -300, 345, -720,
                                                                        840)]
    moments = [datetime(rng.randrange(1, 9999), rng.randrange(1, 13), rng.randrange(1, 29),
                        rng.randrange(24), rng.randrange(60), rng.randrange(60),
                        rng.choice([0, 1, 999999, rng.randrange(10**6)]), tzinfo=rng.choice(zones))
               for _ in range(500)]
    moments = [m for m in moments if datetime.min.replace(tzinfo=timezone.utc) + timedelta(days=1)
               < m < datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=1)]
    checked = set()
    for model in RECORD_TYPES.values():
        for column in model.__table__.columns:
            reference = column.type.dialect_impl(dialect).bind_processor(dialect)
            short = bind_processor(column, dialect)
            if isinstance(column.type, UtcDateTime):
                values = [*moments, None]
            elif column.type.python_type is date:
                values = [*(m.date() for m in moments), None, moments[0]]  # a datetime too
            else:
                continue
            checked.add(type(column.type).__name__)
            assert short is not reference  # the short form is in use
            assert [short(v) for v in values] == [reference(v) for v in values]
    assert checked == {"UtcDateTime", "Date"}
    naive = datetime(2026, 1, 1)
    processor = bind_processor(RECORD_TYPES[ENT].__table__.c.created_at, dialect)
    with pytest.raises(ValueError):
        processor(naive)
