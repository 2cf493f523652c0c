"""Found by benchmarks/bench_sync_push.py: pushing 10,000 records took 141 s (75 records/s) and
per-record cost grew with the outbox. The client looks up and deletes outbox entries one record
at a time by ``record_type = ? AND record_id = ?``; with only single-column indexes and no
statistics, SQLite picks ``ix_outbox_record_type`` — every entry of that type is scanned for
each record, so a push is quadratic in the number of waiting records of one type. The lookup
must use the record id (or a (record_type, record_id) index)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.dialects import sqlite

from ohinspect.store.database import DB_FILE, Store
from ohinspect.store.models import OutboxEntry
from ohinspect.sync import push_bulk
from ohinspect.sync.push import waiting_keys
from tests.integration.sync_proof.devices import copy_device


def _plan(folder, statement) -> str:  # type: ignore[no-untyped-def]
    sql = str(statement.compile(dialect=sqlite.dialect()))
    params = ["enterprise", "00000000-0000-0000-0000-000000000000", 1][:sql.count("?")]
    conn = sqlite3.connect(f"file:{folder / DB_FILE}?mode=ro", uri=True)
    try:
        return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    finally:
        conn.close()


def test_outbox_lookups_of_one_record_do_not_scan_its_whole_type(small_template) -> None:  # type: ignore[no-untyped-def]
    by_record = (OutboxEntry.record_type == "enterprise",
                 OutboxEntry.record_id == "00000000-0000-0000-0000-000000000000")
    lookups = {  # the statements of ohinspect/sync/push.py _item and local.drop_outbox
        "_item": select(OutboxEntry).where(*by_record, OutboxEntry.change_seq == 1),
        "drop_outbox": delete(OutboxEntry).where(*by_record, OutboxEntry.change_seq <= 1),
    }
    plans = {name: _plan(small_template, stmt) for name, stmt in lookups.items()}
    for name, plan in plans.items():
        assert "record_id" in plan, f"{name}: {plan}"


def test_push_reads_and_deletes_by_record_through_an_index(small_template: Path,
                                                            tmp_path: Path) -> None:
    """Every statement of a batch's set-wise reads and deletes (ohinspect/sync/push_bulk.py)
    searches an index by record — a row-value ``IN (VALUES …)`` would scan the whole outbox,
    ``ix_outbox_record_type`` a whole type."""
    folder = copy_device(small_template, tmp_path / "device")
    store = Store.open(folder)
    statements: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, sql, params, _context, _many):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith(("SELECT", "DELETE")):
            statements.append((sql, params))

    try:
        with store.read() as session:
            keys = waiting_keys(session, set())
        sent = {(t, i): seq for t, i, seq in keys}
        for engine in (store.read_engine, store.write_engine):
            event.listen(engine, "before_cursor_execute", capture)
        with store.read() as session:
            assert len(push_bulk.outbox_entries(session, keys)) == len(keys)
            push_bulk.base_hashes(session, list(sent))
        with store.unit_of_work(store.actor("t")) as uow:
            assert push_bulk.drop_acknowledged(uow.session, sent) == len(keys)
            uow.commit()
    finally:
        store.close()
    ours = [(sql, params) for sql, params in statements if "outbox" in sql or "sync_record" in sql]
    assert ours
    conn = sqlite3.connect(folder / DB_FILE)
    try:
        for sql, params in ours:
            steps = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
            for step in steps:  # by record (or by row id), never a whole table or type
                assert step.startswith("SEARCH") and ("record_id=" in step or "rowid=" in step), \
                    (sql, steps)
    finally:
        conn.close()


def test_an_acknowledgement_drops_only_entries_up_to_the_sent_change(small_template: Path,
                                                                     tmp_path: Path) -> None:
    """An edit made while its batch was in flight (a newer change_seq) stays in the outbox."""
    store = Store.open(copy_device(small_template, tmp_path / "device"))
    try:
        with store.read() as session:
            first, second = waiting_keys(session, set())[:2]
        with store.unit_of_work(store.actor("t")) as uow:
            dropped = push_bulk.drop_acknowledged(uow.session, {first[:2]: first[2] - 1,
                                                                second[:2]: second[2]})
            uow.commit()
        with store.read() as session:
            left = {(t, i) for t, i, _ in waiting_keys(session, set())}
        assert dropped == 1 and first[:2] in left and second[:2] not in left
    finally:
        store.close()
