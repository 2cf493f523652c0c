"""Every write commits record + outbox + audit entry together; the audit log is a hash chain."""

from __future__ import annotations

import json
import sqlite3

import pytest

from ohinspect.store.audit import verify_chain
from ohinspect.store.models import AuditEntry, Enterprise, OutboxEntry, StoreMeta
from ohinspect.store.serialize import sha256_hex


def _enterprise(name: str = "合水县示例建材有限公司") -> Enterprise:
    return Enterprise(name=name, uscc="91621024MA0000000X", division_code="621024")


def test_pragmas_wal_full_foreign_keys(store) -> None:
    with store.write_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_record_outbox_audit_in_one_transaction(store, actor) -> None:
    with store.unit_of_work(actor) as uow:
        ent = _enterprise()
        uow.record(ent, "enterprise.create")
        uow.commit()
    with store.read() as s:
        row = s.get(Enterprise, ent.id)
        assert row is not None and row.author == "测试检查员" and row.device_id == store.device_id
        assert row.change_seq == 1
        out = s.query(OutboxEntry).one()
        assert out.record_id == ent.id and out.operation == "upsert"
        payload = json.loads(out.payload)
        assert payload["name"] == "合水县示例建材有限公司" and "change_seq" not in payload
        assert out.payload_hash == sha256_hex(out.payload)
        actions = [a.action for a in s.query(AuditEntry).order_by(AuditEntry.seq)]
        assert actions == ["store.created", "enterprise.create"]
        assert verify_chain(s) == []


def test_failure_mid_unit_of_work_writes_nothing(store, actor) -> None:
    with pytest.raises(RuntimeError):
        with store.unit_of_work(actor) as uow:
            uow.record(_enterprise(), "enterprise.create")
            uow.session.flush()
            raise RuntimeError("power cut")
    with store.read() as s:
        assert s.query(Enterprise).count() == 0
        assert s.query(OutboxEntry).count() == 0
        assert s.query(AuditEntry).count() == 1  # only store.created
        assert s.get(StoreMeta, "change_seq").value == "0"


def test_change_counter_increases_across_units(store, actor) -> None:
    seqs = []
    for i in range(3):
        with store.unit_of_work(actor) as uow:
            ent = _enterprise(f"单位{i}")
            uow.record(ent, "enterprise.create")
            uow.commit()
            seqs.append(ent.change_seq)
    assert seqs == [1, 2, 3]


def test_audit_log_refuses_update_and_delete(store) -> None:
    conn = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_log SET actor='mallory'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit_log")
    finally:
        conn.close()


def test_tampering_breaks_the_chain(store, actor) -> None:
    for i in range(3):
        with store.unit_of_work(actor) as uow:
            uow.record(_enterprise(f"单位{i}"), "enterprise.create")
            uow.commit()
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor='mallory' WHERE seq=3")
    conn.commit()
    conn.close()
    with store.read() as s:
        breaks = verify_chain(s)
    assert [b.seq for b in breaks] == [3]  # entry 3 no longer matches the hash it was written with
    assert "does not match" in breaks[0].problem


def test_audit_chain_detects_removed_entry(store, actor) -> None:
    for i in range(3):
        with store.unit_of_work(actor) as uow:
            uow.record(_enterprise(f"单位{i}"), "enterprise.create")
            uow.commit()
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq=2")
    conn.commit()
    conn.close()
    with store.read() as s:
        problems = {b.problem.split(":")[0] for b in verify_chain(s)}
    assert "sequence gap" in problems and "previous-hash link broken" in problems
