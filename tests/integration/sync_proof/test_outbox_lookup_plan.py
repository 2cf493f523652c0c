"""Found by benchmarks/bench_sync_push.py: pushing 10,000 records took 141 s (75 records/s) and
per-record cost grew with the outbox. The client looks up and deletes outbox entries one record
at a time by ``record_type = ? AND record_id = ?``; with only single-column indexes and no
statistics, SQLite picks ``ix_outbox_record_type`` — every entry of that type is scanned for
each record, so a push is quadratic in the number of waiting records of one type. The lookup
must use the record id (or a (record_type, record_id) index)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import delete, select
from sqlalchemy.dialects import sqlite

from ohinspect.store.database import DB_FILE
from ohinspect.store.models import OutboxEntry


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
