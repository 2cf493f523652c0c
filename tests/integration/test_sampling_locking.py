"""A signed sampling task is frozen by every path: each service write refuses it with
LockedRecordError (before touching the database), and raw SQL through sqlite3 is refused by the
triggers of migration 0003 — UPDATE, DELETE and INSERT on sampling_task, sampling_post, sample,
noise_measurement and custody_transfer. Lab results still arrive as their own rows (and are
never UPDATEd). The same statements succeed on a task that is not signed: the triggers key on
the lock, not on the tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from ohinspect.errors import LockedRecordError
from ohinspect.services.sampling import (
    NoiseInput,
    SampleInput,
    TaskInput,
    create_task,
    record_noise,
    record_sample,
    save_post,
    sign_task,
    transfer_custody,
    update_task,
)
from ohinspect.store.database import Store
from tests.unit.test_sampling_service import (
    CRUSHING,
    MIXING,
    at,
    finished_task,
    personal,
    png,
    view,
)

LOCKED = "locked record"
CHILDREN = ("sampling_post", "sample", "noise_measurement")
TABLES = ("sampling_task", *CHILDREN)


@pytest.fixture
def tasks(store: Store, actor) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A signed task and an open one, each with posts, samples, a blank, noise and custody."""
    signed, signed_ids = finished_task(store, actor)
    transfer_custody(store, actor, signed, [signed_ids["a1"], signed_ids["blank"]], "李振华",
                     "孙敏", "庆阳市疾控中心实验室", at(16), "完好")
    sign_task(store, actor, signed, png(), png())
    ent = view(store, signed).enterprise.id
    open_ = str(create_task(store, actor, TaskInput(enterprise_id=ent, monitoring_type="routine",
                                                    samplers=["李振华"], escort_name="郑梅")).record_id)
    post = str(save_post(store, actor, open_, MIXING).record_id)
    sid = str(record_sample(store, actor, open_, personal(post, "张伟", "P-01")).record_id)
    record_noise(store, actor, open_, NoiseInput(post_id=post, point="配料釜旁",
                                                 readings_db=[80, 81, 82]))
    transfer_custody(store, actor, open_, [sid], "李振华", "孙敏", "实验室", at(16), "完好")
    return {"signed": signed, "signed_ids": signed_ids, "open": open_, "open_post": post,
            "open_sample": sid}


def connect(store: Store) -> sqlite3.Connection:
    return sqlite3.connect(store.path, isolation_level=None)


def snapshot(store: Store, task_id: str) -> dict[str, list[tuple[Any, ...]]]:
    conn = connect(store)
    try:
        state = {"sampling_task": conn.execute(
            "SELECT * FROM sampling_task WHERE id = ?", (task_id,)).fetchall()}
        for table in CHILDREN:
            state[table] = conn.execute(
                f"SELECT * FROM {table} WHERE task_id = ? ORDER BY id", (task_id,)).fetchall()
        return state
    finally:
        conn.close()


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def copy_row_sql(conn: sqlite3.Connection, table: str) -> str:
    """INSERT a copy of one row (``?`` = its id) under a new id, unique columns changed."""
    cols = columns(conn, table)
    values = ["lower(hex(randomblob(16)))" if c == "id" else
              "sample_number || '-copy'" if c == "sample_number" else c for c in cols]
    return (f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} "
            f"FROM {table} WHERE id = ?")


def statements(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    where = "id = ?" if table == "sampling_task" else "task_id = ?"
    key = "id" if table == "sampling_task" else "task_id"
    return {
        "update": f"UPDATE {table} SET modified_by = 'raw sql' WHERE {where}",
        "delete": f"DELETE FROM {table} WHERE {where}",
        "insert": copy_row_sql(conn, table).replace("WHERE id = ?", f"WHERE {key} = ? LIMIT 1"),
    }


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("verb", ["update", "delete", "insert"])
def test_raw_sql_is_refused_on_a_signed_task(store: Store, tasks: dict[str, Any], table: str,
                                             verb: str) -> None:
    before = snapshot(store, tasks["signed"])
    conn = connect(store)
    try:
        sql = statements(conn, table)[verb]
        if table == "sampling_task" and verb == "insert":
            # re-inserting the task itself (INSERT OR REPLACE) must not unlock it either
            sql = "INSERT OR REPLACE INTO sampling_task SELECT * FROM sampling_task WHERE id = ?"
        with pytest.raises(sqlite3.DatabaseError, match=LOCKED):
            conn.execute(sql, (tasks["signed"],))
    finally:
        conn.close()
    assert snapshot(store, tasks["signed"]) == before


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("verb", ["update", "insert", "delete"])
def test_the_same_sql_works_on_an_open_task(store: Store, tasks: dict[str, Any], table: str,
                                            verb: str) -> None:
    conn = connect(store)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # deleting a task with children: not the point
        sql = statements(conn, table)[verb]
        if table == "sampling_task" and verb == "insert":
            sql = "INSERT OR REPLACE INTO sampling_task SELECT * FROM sampling_task WHERE id = ?"
        assert conn.execute(sql, (tasks["open"],)).rowcount >= 1
    finally:
        conn.close()


def test_moving_a_row_into_or_out_of_a_signed_task_is_refused(store: Store,
                                                              tasks: dict[str, Any]) -> None:
    conn = connect(store)
    try:
        for table in CHILDREN:
            with pytest.raises(sqlite3.DatabaseError, match=LOCKED):
                conn.execute(f"UPDATE {table} SET task_id = ? WHERE task_id = ?",
                             (tasks["signed"], tasks["open"]))
            with pytest.raises(sqlite3.DatabaseError, match=LOCKED):
                conn.execute(f"UPDATE {table} SET task_id = ? WHERE task_id = ?",
                             (tasks["open"], tasks["signed"]))
        with pytest.raises(sqlite3.DatabaseError, match=LOCKED):
            conn.execute("UPDATE sampling_task SET locked_at = NULL, status = 'draft' WHERE id = ?",
                         (tasks["signed"],))
    finally:
        conn.close()


def test_every_service_write_refuses_a_signed_task(store: Store, actor,  # type: ignore[no-untyped-def]
                                                   tasks: dict[str, Any]) -> None:
    tid, ids = tasks["signed"], tasks["signed_ids"]
    v = view(store, tid)
    post = v.posts[0].id
    before = snapshot(store, tid)
    writes: list[Callable[[], object]] = [
        lambda: update_task(store, actor, tid, TaskInput(enterprise_id=v.enterprise.id,
                                                         monitoring_type="routine")),
        lambda: save_post(store, actor, tid, CRUSHING),
        lambda: save_post(store, actor, tid, MIXING, post_id=post),
        lambda: record_sample(store, actor, tid, personal(post, "新人", "P-09")),
        lambda: record_sample(store, actor, tid, personal(post, "张伟", "P-01", notes="改"),
                              sample_id=ids["a1"]),
        lambda: record_sample(store, actor, tid, SampleInput(kind="blank",
                                                             hazard_code="chem.benzene")),
        lambda: record_noise(store, actor, tid, NoiseInput(point="新测点", readings_db=[80, 81, 82])),
        lambda: record_noise(store, actor, tid, NoiseInput(point="改", readings_db=[80, 81, 82]),
                             measurement_id=ids["noise"]),
        lambda: sign_task(store, actor, tid, png(), png()),
    ]
    for write in writes:
        with pytest.raises(LockedRecordError, match=v.task.task_number):
            write()
    assert snapshot(store, tid) == before


def test_samples_can_be_handed_to_the_lab_after_signing(store: Store, actor,  # type: ignore[no-untyped-def]
                                                        tasks: dict[str, Any]) -> None:
    tid, ids = tasks["signed"], tasks["signed_ids"]
    before = snapshot(store, tid)
    result = transfer_custody(store, actor, tid, [ids["a2"]], "李振华", "孙敏", "实验室", at(17), "完好")
    assert result.record_id and snapshot(store, tid) == before  # the signed sheet is unchanged
    assert ids["a2"] not in {s.id for s in view(store, tid).untransferred()}


def test_lab_results_arrive_after_signing_and_are_never_updated(store: Store, actor,  # type: ignore[no-untyped-def]
                                                                tasks: dict[str, Any]) -> None:
    from ohinspect.store.models import LabResult

    with store.unit_of_work(actor) as uow:
        result = LabResult(sample_id=tasks["signed_ids"]["a1"], analyte="chem.benzene", value=0.8,
                           unit="mg/m³", lab="庆阳市疾控中心实验室")
        uow.record(result, "test.result")
        uow.commit()
    conn = connect(store)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="never edited"):
            conn.execute("UPDATE lab_result SET value = 0.1 WHERE id = ?", (result.id,))
        assert conn.execute("SELECT value FROM lab_result WHERE id = ?",
                            (result.id,)).fetchone() == (0.8,)
    finally:
        conn.close()
    assert [r.value for r in view(store, tasks["signed"]).results[result.sample_id]] == [0.8]

