"""A signed (locked) inspection record cannot be changed by ANY path: not by a service function,
not by raw SQL through sqlite3 (the triggers of migration 0002), not by re-running
``ohinspect init --demo``, not by any command of the CLI. Corrections are amendments."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ohinspect.cli import COMMANDS, build_parser
from ohinspect.errors import LockedRecordError
from ohinspect.services.inspections import (
    FindingInput,
    InspectionHeader,
    SignatureInput,
    add_item_photo,
    add_item_photo_in,
    amend,
    answer_item,
    answer_item_in,
    local_today,
    sign_and_lock,
    sign_and_lock_in,
    update_header,
)
from ohinspect.store.database import DB_FILE, Store
from ohinspect.store.models import Inspection
from tests.integration.cli_run import Forker, cli_argv, cli_env, run_cli as run
from tests.demo_store import demo_copy

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "locked record"
CHILDREN = ("inspection_answer", "signature")
#: commands the CLI test runs as real ``python -m ohinspect`` processes; the others run in
#: children forked from one pre-imported Python (cli_run.Forker: the same ``main(argv)``,
#: without ≈ 2 s of start-up each)
REAL_PROCESS = ("init",)




@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture
def demo(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store for each test."""
    folder = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo_master), str(folder)], check=True)
    return folder


def connect(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / DB_FILE, isolation_level=None)


def signed_ids(folder: Path) -> list[str]:
    with connect(folder) as conn:
        return [r[0] for r in conn.execute(
            "SELECT id FROM inspection WHERE locked_at IS NOT NULL ORDER BY id")]


def draft_id(folder: Path) -> str:
    with connect(folder) as conn:
        return conn.execute("SELECT id FROM inspection WHERE locked_at IS NULL").fetchone()[0]


def frozen(folder: Path) -> dict[str, Any]:
    """Everything a signed record consists of, byte for byte: its rows, its children, the rows
    and files of its photos and signature images, its numbers and its rectification items."""
    ids = signed_ids(folder)
    marks = ",".join("?" * len(ids))
    conn = connect(folder)
    try:
        state: dict[str, Any] = {"ids": ids}
        state["inspection"] = conn.execute(
            f"SELECT * FROM inspection WHERE id IN ({marks}) ORDER BY id", ids).fetchall()
        for child in CHILDREN:
            state[child] = conn.execute(f"SELECT * FROM {child} WHERE inspection_id IN ({marks}) "
                                        "ORDER BY id", ids).fetchall()
        owners = [r[0] for child in CHILDREN for r in conn.execute(
            f"SELECT id FROM {child} WHERE inspection_id IN ({marks})", ids)]
        state["attachment"] = conn.execute(
            f"SELECT * FROM attachment WHERE owner_id IN ({','.join('?' * len(owners))}) "
            "ORDER BY id", owners).fetchall()
        state["rectification_item"] = conn.execute(
            f"SELECT * FROM rectification_item WHERE source_id IN ({marks}) ORDER BY id",
            ids).fetchall()
        state["issued_number"] = conn.execute(
            f"SELECT number, series, sequence, record_type, record_id, issued_at FROM "
            f"issued_number WHERE record_id IN ({marks}) ORDER BY number", ids).fetchall()
        shas = sorted({r[0] for r in conn.execute(
            f"SELECT sha256 FROM attachment WHERE owner_id IN ({','.join('?' * len(owners))})",
            owners)})
    finally:
        conn.close()
    state["files"] = {sha: hashlib.sha256(
        (folder / "attachments" / sha[:2] / sha).read_bytes()).hexdigest() for sha in shas}
    assert all(sha == digest for sha, digest in state["files"].items())
    return state


@pytest.fixture
def store(demo: Path) -> Iterator[Store]:
    s = Store.open(demo)
    yield s
    s.close()


def _png() -> bytes:
    from ohinspect.demo.projects import signature_png

    return signature_png("李振华")


# --------------------------------------------------------------------------- services


def test_every_service_function_refuses_a_locked_record(demo: Path, store: Store) -> None:
    actor = store.actor("检查员")
    before = frozen(demo)
    item = "ac.organised"
    signatures = [SignatureInput("inspector", "李振华", "62102420190011", _png()),
                  SignatureInput("party", "郑梅", image_png=_png())]
    findings = [FindingInput(item, "整改", local_today())]
    calls: list[Callable[[str], object]] = [
        lambda i: update_header(store, actor, i, InspectionHeader(place="篡改")),
        lambda i: answer_item(store, actor, i, item, "not_conform", "篡改"),
        lambda i: add_item_photo(store, actor, i, item, _png(), "image/png"),
        lambda i: sign_and_lock(store, actor, i, signatures, findings),
    ]

    def inside(fn: Callable[[Any, Inspection], object]) -> Callable[[str], object]:
        def call(i: str) -> object:
            with store.unit_of_work(actor) as uow:
                return fn(uow, uow.session.get(Inspection, i))
        return call

    calls += [inside(lambda uow, insp: answer_item_in(uow, insp, item, "conform")),
              inside(lambda uow, insp: add_item_photo_in(uow, insp, item, _png(), "image/png")),
              inside(lambda uow, insp: sign_and_lock_in(uow, insp, signatures, findings))]
    for inspection_id in before["ids"]:
        for call in calls:
            with pytest.raises(LockedRecordError) as err:
                call(inspection_id)
            assert "更正" in err.value.user_message()
    assert frozen(demo) == before


def test_an_amendment_leaves_the_original_untouched(demo: Path, store: Store) -> None:
    actor = store.actor("检查员")
    before = frozen(demo)
    new_id = amend(store, actor, before["ids"][0], "记录有误").record_id
    with connect(demo) as conn:
        assert conn.execute("SELECT amends_id FROM inspection WHERE id = ?",
                            (new_id,)).fetchone()[0] == before["ids"][0]
    after = frozen(demo)
    assert after == before


# --------------------------------------------------------------------------- raw SQL


def _row(conn: sqlite3.Connection, table: str, where: str, *args: object) -> tuple[list[str], list[Any]]:
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    return cols, list(conn.execute(f"SELECT * FROM {table} WHERE {where} LIMIT 1", args).fetchone())


def _insert(conn: sqlite3.Connection, verb: str, table: str, cols: list[str], values: list[Any]) -> None:
    conn.execute(f"{verb} INTO {table} ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                 values)


def _raw_attempts(conn: sqlite3.Connection, locked: str, draft: str) -> dict[str, Callable[[], object]]:
    attempts: dict[str, Callable[[], object]] = {
        "update inspection": lambda: conn.execute(
            "UPDATE inspection SET place = '篡改' WHERE id = ?", (locked,)),
        "unlock inspection": lambda: conn.execute(
            "UPDATE inspection SET locked_at = NULL, status = 'draft' WHERE id = ?", (locked,)),
        "soft-delete inspection": lambda: conn.execute(
            "UPDATE inspection SET deleted_at = '2026-07-01 00:00:00' WHERE id = ?", (locked,)),
        "delete inspection": lambda: conn.execute("DELETE FROM inspection WHERE id = ?", (locked,)),
    }
    cols, row = _row(conn, "inspection", "id = ?", locked)
    unlocked = list(row)
    unlocked[cols.index("locked_at")] = None
    unlocked[cols.index("place")] = "篡改"
    for verb in ("INSERT", "INSERT OR REPLACE", "REPLACE"):
        attempts[f"{verb.lower()} inspection"] = (
            lambda verb=verb: _insert(conn, verb, "inspection", cols, unlocked))
    attempts["upsert inspection"] = lambda: conn.execute(
        f"INSERT INTO inspection ({','.join(cols)}) VALUES ({','.join('?' * len(cols))}) "
        "ON CONFLICT(id) DO UPDATE SET place = '篡改'", unlocked)
    for child in CHILDREN:
        field = "answer" if child == "inspection_answer" else "signer_name"
        ccols, crow = _row(conn, child, "inspection_id = ?", locked)
        attempts[f"update {child}"] = lambda child=child, field=field: conn.execute(
            f"UPDATE {child} SET {field} = 'x' WHERE inspection_id = ?", (locked,))
        attempts[f"delete {child}"] = lambda child=child: conn.execute(
            f"DELETE FROM {child} WHERE inspection_id = ?", (locked,))
        added = list(crow)
        added[ccols.index("id")] = "00000000-0000-4000-8000-000000000001"
        if child == "inspection_answer":
            added[ccols.index("item_id")] = "extra.item"
        attempts[f"insert {child}"] = (
            lambda child=child, ccols=ccols, added=added: _insert(conn, "INSERT", child, ccols, added))
        replaced = list(crow)
        replaced[ccols.index(field)] = "x"
        attempts[f"replace {child}"] = (
            lambda child=child, ccols=ccols, replaced=replaced: _insert(conn, "REPLACE", child, ccols,
                                                                        replaced))
        moved_out = list(crow)  # the same row id, now claimed by a draft: REPLACE would delete it
        moved_out[ccols.index("inspection_id")] = draft
        if child == "inspection_answer":
            moved_out[ccols.index("item_id")] = "moved.item"
        attempts[f"replace {child} into a draft"] = (
            lambda child=child, ccols=ccols, moved_out=moved_out: _insert(conn, "REPLACE", child,
                                                                          ccols, moved_out))
        attempts[f"move a draft's {child} into the locked record"] = (
            lambda child=child: conn.execute(
                f"UPDATE {child} SET inspection_id = ? WHERE id = (SELECT id FROM {child} "
                f"WHERE inspection_id = ? LIMIT 1)", (locked, draft)))
    return attempts


def test_triggers_refuse_raw_sql_on_locked_records(demo: Path) -> None:
    before = frozen(demo)
    locked, draft = before["ids"][0], draft_id(demo)
    with connect(demo) as conn:  # a draft needs a signature row for the "move" attempt
        cols, row = _row(conn, "signature", "inspection_id = ?", locked)
        row[cols.index("id")] = "00000000-0000-4000-8000-0000000000d1"
        row[cols.index("inspection_id")] = draft
        _insert(conn, "INSERT", "signature", cols, row)
        before = frozen(demo)
    conn = connect(demo)
    try:
        for name, attempt in _raw_attempts(conn, locked, draft).items():
            conn.execute("BEGIN")
            try:
                with pytest.raises(sqlite3.IntegrityError, match=LOCKED):
                    attempt()
            except BaseException as exc:
                raise AssertionError(f"raw SQL not refused: {name}") from exc
            finally:
                conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert frozen(demo) == before


def test_drafts_stay_writable_through_raw_sql(demo: Path) -> None:
    """The triggers touch only locked records (the draft demo verification is editable)."""
    with connect(demo) as conn:
        conn.execute("UPDATE inspection SET place = place || '' WHERE locked_at IS NULL")
        conn.execute("UPDATE inspection_answer SET note = note WHERE inspection_id IN "
                     "(SELECT id FROM inspection WHERE locked_at IS NULL)")


# --------------------------------------------------------------------------- re-running and the CLI


def test_init_demo_again_leaves_signed_records_byte_identical(demo: Path) -> None:
    before = frozen(demo)
    assert len(before["ids"]) >= 4 and before["signature"] and before["attachment"]
    for _ in range(2):
        done = run("init", "--demo", data_dir=demo)
        assert done.returncode == 0, done.stderr
        assert frozen(demo) == before


#: arguments to try for every command of the CLI (a new command must be added here)
def _cli_invocations(demo: Path, tmp: Path, inspection_id: str) -> dict[str, list[list[str]]]:
    from ohinspect.services.listing import LISTINGS

    results_csv = tmp / "results.csv"
    results_csv.write_text("sample_number,analyte,result,unit\nS-0001,苯,0.5,mg/m³\n",
                           encoding="utf-8")
    return {
        "init": [[], ["--demo"]],
        "stats": [[], ["--json"]],
        "list": [[kind, "--json", "--include-deleted"] for kind in sorted(LISTINGS)],
        "check": [[]],
        "backup": [["--out", str(tmp / "backup.sqlite3")]],
        "report": [["inspection", inspection_id, "--out", str(tmp / "record.pdf")],
                   ["opinion", inspection_id, "--out", str(tmp / "opinion.pdf")]],
        "results": [["import", str(results_csv)]],
        "inspectors": [["add", "--name", "王五", "--id-no", "62102400099", "--jurisdiction",
                        "621024"]],
        "numbers": [["list"]],
        "diagnostics": [["--out", str(tmp / "diagnostics.zip")]],
        "restore": [[str(tmp / "missing-backup.zip")]],
        "enroll": [["--server", "http://127.0.0.1:9", "--user", "x", "--password-stdin"]],
        "sync": [["status"], ["--server", "http://127.0.0.1:9"]],
        "platform": [["init-db", "--db", f"sqlite:///{tmp / 'platform.sqlite3'}"]],
        "batch": [["export", "--out", str(tmp / "b.ohbatch")],
                  ["import", str(tmp / "b.ohbatch"), "--allow-outside-jurisdiction"],
                  ["export-key", "--out", str(tmp / "device.key")],
                  ["fetch", "--server", "http://127.0.0.1:9"]],
        "rectification": [["list", "--json"]],
        "due": [["list", "--json"]],
        "dashboard": [["--jurisdiction", "621024", "--from", "2026-01-01", "--to", "2026-12-31",
                       "--xlsx", str(tmp / "dash.xlsx"), "--pdf", str(tmp / "dash.pdf")]],
    }


def test_no_cli_command_changes_a_signed_record(demo: Path, tmp_path: Path) -> None:
    before = frozen(demo)
    with connect(demo) as conn:
        with_opinion = conn.execute("SELECT id FROM inspection WHERE opinion_number != '' "
                                    "LIMIT 1").fetchone()[0]
    invocations = _cli_invocations(demo, tmp_path, with_opinion)
    build_parser()  # the sub-command modules register their commands in COMMANDS here
    missing = sorted(set(COMMANDS) - set(invocations))
    assert not missing, f"add the new CLI command(s) {missing} to this test"
    logs = tmp_path / "logs"
    logs.mkdir()
    with Forker(cli_env()) as forker:
        for command in COMMANDS:
            for n, args in enumerate(invocations[command]):
                # success or a clean refusal (exit 1, one line): either is fine here
                if command in REAL_PROCESS:
                    done = run(command, *args, data_dir=demo)
                    status, output = done.returncode, done.stdout + done.stderr
                else:
                    status, output = forker.call(cli_argv(command, *args, data_dir=demo),
                                                 logs / f"{command}-{n}")
                assert status in (0, 1) and "Traceback" not in output, (command, args, output)
                assert frozen(demo) == before, \
                    f"ohinspect {command} {' '.join(args)} changed a signed record"
