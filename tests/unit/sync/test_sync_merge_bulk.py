"""The set-wise merge (ohinspect/sync/merge.py + merge_bulk.py) against the rules applied one
record at a time: a page mixing every case — new, same, fast-forward, no-op, pending change,
locked, refused by a lock trigger or a unique constraint, child before parent, two versions of
one record, waiting for a parent — leaves exactly the store the record-by-record merge leaves;
and a page costs a few statements, not a few per record."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError

from ohinspect.store.base import new_id, utcnow
from ohinspect.store.database import Store
from ohinspect.store.integrity import check_store
from ohinspect.store.models import (RECORD_TYPES, Enterprise, Inspection, InspectionAnswer,
                                    SyncPending)
from ohinspect.store.serialize import canonical_json, content_hash
from ohinspect.store.uow import UnitOfWork
from ohinspect.sync import local, merge, merge_bulk
from ohinspect.sync.merge import MergeStats, merge_page
from ohinspect.sync.protocol import Change

ENT, INSP, ANS = "enterprise", "inspection", "inspection_answer"


def _payload(model: Any, **values: Any) -> dict[str, Any]:
    obj = model(id=new_id(), author="李四", device_id=new_id(), **values)
    obj.apply_defaults()
    return obj.sync_payload()  # type: ignore[no-any-return]


def _enterprise(n: int, **over: Any) -> dict[str, Any]:
    return {**_payload(Enterprise, name=f"合水县示例企业{n}有限公司", uscc=f"91621024MA{n:07d}X",
                       division_code="621024", workforce=120, hazard_codes=["dust.cement"]),
            **over}


def _inspection(eid: str, **over: Any) -> dict[str, Any]:
    return {**_payload(Inspection, kind="three_simultaneities", enterprise_id=eid,
                       template_id="t", template_version=1, template_snapshot={},
                       started_at=utcnow()), **over}


def _answer(iid: str, item: str, **over: Any) -> dict[str, Any]:
    return {**_payload(InspectionAnswer, inspection_id=iid, item_id=item, answer="yes"), **over}


def _locked(p: dict[str, Any]) -> dict[str, Any]:
    return {**p, "status": "signed", "locked_at": "2026-11-01T08:00:00Z"}


def _change(record_type: str, payload: dict[str, Any], seq: int) -> Change:
    return Change(record_type, payload["id"], content_hash(payload), payload, seq, "平台", "")


def _old_merge_page(uow: UnitOfWork, items: list[Change], stats: MergeStats) -> None:
    """The rules record by record, as the merge applied them before it worked set-wise."""
    s = uow.session
    s.execute(text("PRAGMA defer_foreign_keys = ON"))
    waiting = [Change(p.record_type, p.record_id, p.hash, json.loads(p.payload), p.server_seq,
                      "", "") for p in s.scalars(select(SyncPending)
                                                 .order_by(SyncPending.server_seq))]
    newest: dict[tuple[str, str], Change] = {}
    for c in waiting + items:
        if (c.record_type, c.id) not in newest or newest[(c.record_type, c.id)].server_seq < c.server_seq:
            newest[(c.record_type, c.id)] = c
    queue = list(newest.values())
    for p in s.scalars(select(SyncPending)):
        s.delete(p)
    s.flush()
    ok: set[str] = set()
    while True:
        ready = [c for c in queue if c.id not in ok and all(
            pid in ok or s.get(model, pid) is not None
            for key, model in merge_bulk.foreign_keys(c.record_type)
            for pid in [c.payload.get(key)] if pid)]
        if not ready:
            break
        ok.update(c.id for c in ready)
    for item in merge._ordered([c for c in queue if c.id in ok]):
        obj = s.get(RECORD_TYPES[item.record_type], item.id)
        if obj is not None and local.record_hash(obj) == item.hash:
            local.set_base(s, item.record_type, item.id, item.hash, item.server_seq)
            stats.unchanged += 1
            continue
        applied = False
        if obj is None or not (local.is_locked(obj)
                               or local.has_pending(s, item.record_type, item.id)):
            savepoint = s.begin_nested()
            try:
                local.apply_payload(s, item.record_type, item.payload)
                savepoint.commit()
                applied = True
            except IntegrityError:
                savepoint.rollback()
        if not applied:
            if local.add_conflict(s, item.record_type, item.id,
                                  canonical_json(obj.sync_payload()) if obj is not None else "",
                                  local.record_hash(obj) if obj is not None else "",
                                  canonical_json(item.payload), item.hash, uow.now):
                stats.conflicts += 1
            continue
        local.set_base(s, item.record_type, item.id, item.hash, item.server_seq)
        uow.audit("sync.received", item.record_type, item.id,
                  {"hash": item.hash, "server_seq": item.server_seq, "author": item.author})
        stats.received += 1
        stats.record_types.add(item.record_type)
    later = [c for c in queue if c.id not in ok]
    for item in later:
        s.merge(SyncPending(record_type=item.record_type, record_id=item.id, hash=item.hash,
                            payload=canonical_json(item.payload), server_seq=item.server_seq))
    stats.waiting = len(later)


def _prepare(folder: Path) -> tuple[list[list[Change]], dict[str, str]]:
    """A store with synced records, a pending local change, a locked inspection and a record
    waiting for its parent; and two pages that meet every case of the merge."""
    store = Store.open(folder)
    actor = store.actor("张三")
    same, ff, pend, noop = (_enterprise(n) for n in range(4))
    locked = _locked(_inspection(same["id"]))
    old_answer = _answer(locked["id"], "q1")
    new_ent, second_ent = _enterprise(10), _enterprise(11)
    waited = _inspection(second_ent["id"])  # already waiting for its parent
    with store.unit_of_work(actor) as uow:
        uow.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for record_type, p in ((ENT, same), (ENT, ff), (ENT, pend), (ENT, noop),
                               (ANS, old_answer), (INSP, locked)):  # answer before the lock
            local.apply_payload(uow.session, record_type, p)
            local.set_base(uow.session, record_type, p["id"], content_hash(p), 50)
        uow.session.add(SyncPending(record_type=INSP, record_id=waited["id"],
                                    hash=content_hash(waited), payload=canonical_json(waited),
                                    server_seq=3))
        mine = uow.session.get(Enterprise, pend["id"])
        mine.contact_person = "我改的"
        uow.record(mine, "enterprise.update")
        uow.commit()
    store.close()
    new_insp = _inspection(new_ent["id"])
    locking = _locked(_inspection(new_ent["id"]))
    orphan = _answer(new_id(), "q9")
    first = [
        _change(ANS, _answer(new_insp["id"], "q1"), 20),           # child before its parents
        _change(ANS, _answer(new_insp["id"], "q1", note="同号"), 21),  # unique pair taken
        _change(INSP, new_insp, 19),
        _change(ENT, {**new_ent, "name": "旧名称"}, 11),              # older version of …
        _change(ENT, new_ent, 18),                                 # … this one
        _change(INSP, locking, 22), _change(ANS, _answer(locking["id"], "q2"), 23),
        _change(ENT, same, 12),                                    # same content
        _change(ENT, {**ff, "contact_person": "平台改的"}, 13),       # fast-forward
        _change(ENT, {**pend, "contact_person": "平台改的"}, 14),     # pending → conflict
        _change(ENT, {**noop, "extra": 1}, 15),                    # no column changes
        _change(ENT, _enterprise(12, notes=None), 16),             # the ORM's default
        _change(INSP, {**locked, "summary": "改过"}, 17),            # locked → conflict
        _change(ANS, _answer(locked["id"], "q5"), 24),              # trigger refuses insert
        _change(ANS, {**old_answer, "answer": "no"}, 25),           # trigger refuses update
        _change(ANS, orphan, 26),                                  # parent nowhere: waits
    ]
    second = [_change(ENT, second_ent, 30), _change(ANS, _answer(waited["id"], "q1"), 31),
              _change(INSP, {**_inspection(orphan["inspection_id"]),
                             "id": orphan["inspection_id"], "enterprise_id": new_ent["id"]}, 32)]
    return [first, second], {"pend": pend["id"], "locked": locked["id"]}


def _snapshot(path: Path) -> dict[str, Any]:
    """Every table, with the columns a run stamps with its own clock left out."""
    conn = sqlite3.connect(path / "ohinspect.sqlite3")
    try:
        out: dict[str, Any] = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')
                    if r[1] not in ("at", "entry_hash", "prev_hash", "detected_at",
                                    "resolved_at")]
            order = "seq" if table == "audit_log" else "id" if table == "sync_conflict" else ""
            quoted = ",".join(f'"{c}"' for c in cols)
            rows = conn.execute(f'SELECT {quoted} FROM "{table}"'
                                + (f" ORDER BY {order}" if order else "")).fetchall()
            out[table] = rows if order else sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def _run(folder: Path, pages: list[list[Change]], merge_fn: Any) -> list[MergeStats]:
    store = Store.open(folder)
    stats = []
    try:
        for page in pages:
            with store.unit_of_work(store.actor("张三")) as uow:
                stats.append(MergeStats())
                merge_fn(uow, page, stats[-1])
                uow.commit()
        assert check_store(store).ok
    finally:
        store.close()
    return stats


def test_a_mixed_page_leaves_the_store_the_record_by_record_merge_leaves(tmp_path) -> None:
    pages, ids = _prepare(tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    bulk_stats = _run(tmp_path / "a", pages, merge_page)
    old_stats = _run(tmp_path / "b", pages, _old_merge_page)
    assert bulk_stats == old_stats
    first, second = bulk_stats
    # the page meets every case (else the comparison proves less than it says)
    assert (first.received, first.unchanged, first.conflicts, first.waiting) == (8, 1, 5, 2)
    assert (second.received, second.waiting) == (5, 0)
    snapshot = _snapshot(tmp_path / "a")
    assert snapshot == _snapshot(tmp_path / "b")
    assert {ids["pend"], ids["locked"]} <= {r[2] for r in snapshot["sync_conflict"]}


def test_a_page_costs_a_few_statements_not_a_few_per_record(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    enterprises = [_enterprise(n) for n in range(150)]
    page = [_change(ENT, p, n) for n, p in enumerate(enterprises)]
    page += [_change(INSP, _inspection(p["id"]), 200 + n) for n, p in enumerate(enterprises)]
    statements: list[str] = []
    event.listen(store.write_engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2]))
    stats = MergeStats()
    with store.unit_of_work(actor) as uow:
        merge_page(uow, page, stats)
        uow.commit()
    assert stats.received == 300
    assert len([s for s in statements if not s.startswith("INSERT INTO audit_log")]) < 30
