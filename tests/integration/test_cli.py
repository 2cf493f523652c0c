"""The ``ohinspect`` command end to end, as a user runs it (a real process, a real store)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.integration.cli_run import run_cli as run
from ohinspect.store.database import Store
from tests.demo_store import demo_copy

ROOT = Path(__file__).resolve().parents[2]




def test_version_from_cli_and_main() -> None:
    from ohinspect import __version__

    assert run("--version").stdout.strip() == f"OHInspect {__version__}"
    main = subprocess.run([sys.executable, "main.py", "--version"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert main.returncode == 0 and main.stdout.strip() == f"OHInspect {__version__}"


def test_demo_is_deterministic_and_idempotent(tmp_path: Path) -> None:
    """``init --demo`` built here equals the session's demo built in the test process (every
    inspection, sampling record, custody transfer and attachment id), and again adds nothing."""
    from tests.unit.test_inspections_demo import _fingerprint as inspections
    from tests.unit.test_sampling_demo import _fingerprint as sampling

    a, b = tmp_path / "a", demo_copy(tmp_path / "b")
    assert run("init", "--demo", data_dir=a).returncode == 0
    stores = [Store.open(a), Store.open(b)]
    try:
        assert inspections(stores[0]) == inspections(stores[1])
        assert sampling(stores[0]) == sampling(stores[1])
    finally:
        for store in stores:
            store.close()
    assert run("init", "--demo", data_dir=a).returncode == 0  # again: nothing new
    list_a = json.loads(run("list", "enterprises", "--json", data_dir=a).stdout)
    list_b = json.loads(run("list", "enterprises", "--json", data_dir=b).stdout)
    # the demo county's 50 employers and 3 institutions (the county CDC, two technical-service)
    assert list_a == list_b and len(list_a) == 53
    assert sum(e["org_kind"] == "employer" for e in list_a) == 50
    stats = json.loads(run("stats", "--json", data_dir=a).stdout)
    stats_b = json.loads(run("stats", "--json", data_dir=b).stdout)
    assert stats["records"]["enterprise"] == {"live": 53, "deleted": 0}
    assert stats["records"] == stats_b["records"] and stats["outbox"] == stats_b["outbox"]
    # every record waits in the outbox; re-running init --demo added nothing
    assert stats["outbox"]["records"] == sum(r["live"] + r["deleted"] for r in stats["records"].values())
    from ohinspect.store.migrations import head_revision

    assert stats["schema_version"] == head_revision()
    # the demo covers dust-, chemical- and noise-heavy industries across several counties
    assert {e["division_code"] for e in list_a} >= {"621024", "621002"}
    assert {e["risk_class"] for e in list_a if e["org_kind"] == "employer"} == {"severe", "general"}


def test_check_passes_then_detects_tampering(tmp_path: Path) -> None:
    demo_copy(tmp_path)
    ok = run("check", data_dir=tmp_path)
    assert ok.returncode == 0, ok.stderr
    conn = sqlite3.connect(tmp_path / "ohinspect.sqlite3")
    conn.execute("UPDATE outbox SET payload = replace(payload, '合水', '伪造') WHERE id = 3")
    conn.commit()
    conn.close()
    bad = run("check", data_dir=tmp_path)
    assert bad.returncode == 3
    assert "outbox entry 3" in bad.stderr


def test_check_detects_a_damaged_attachment(tmp_path: Path) -> None:
    assert run("init", data_dir=tmp_path).returncode == 0
    folder = tmp_path / "attachments" / "ab"
    folder.mkdir(parents=True)
    (folder / ("ab" + "0" * 62)).write_bytes(b"not what the name says")
    bad = run("check", data_dir=tmp_path)
    assert bad.returncode == 3 and "attachment" in bad.stderr


def test_backup_while_a_writer_holds_the_store(tmp_path: Path) -> None:
    demo_copy(tmp_path)
    holder = sqlite3.connect(tmp_path / "ohinspect.sqlite3")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE store_meta SET value = value WHERE key = 'device_id'")
    try:
        out = tmp_path / "copy" / "backup.sqlite3"
        result = run("backup", "--out", str(out), data_dir=tmp_path)
        assert result.returncode == 0, result.stderr
    finally:
        holder.rollback()
        holder.close()
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 53
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "ohinspect.sqlite3").write_text("definitely not a database")
    result = run("stats", data_dir=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "不是 OHInspect 数据文件" in lines[0]
    assert "Traceback" not in result.stderr
    unknown = run("list", "spaceships", data_dir=tmp_path / "fresh")
    assert unknown.returncode == 1 and "spaceships" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_english_messages(tmp_path: Path) -> None:
    (tmp_path / "ohinspect.sqlite3").write_text("nope")
    result = run("--lang", "en", "check", data_dir=tmp_path)
    assert "is not an OHInspect data file" in result.stderr


def test_data_dir_from_environment(tmp_path: Path) -> None:
    env = dict(os.environ, OHINSPECT_DATA_DIR=str(tmp_path / "env-dir"))
    result = subprocess.run([sys.executable, "-m", "ohinspect", "init"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env-dir" / "ohinspect.sqlite3").exists()


def test_list_inspections_shows_the_demo_verifications(tmp_path: Path) -> None:
    demo_copy(tmp_path)
    rows = json.loads(run("list", "inspections", "--json", data_dir=tmp_path).stdout)
    signed = [r for r in rows if r["status"] == "signed"]
    assert len(signed) >= 4 and all(r["record_number"].endswith("号") for r in signed)
    assert any(r["status"] == "draft" for r in rows)


def test_admin_sets_up_roster_and_number_blocks(tmp_path: Path) -> None:
    added = run("--user", "管理员", "inspectors", "add", "--name", "王建国", "--id-no",
                "62102420200001", "--jurisdiction", "621024", data_dir=tmp_path)
    assert added.returncode == 0, added.stderr
    rows = json.loads(run("list", "inspectors", "--json", data_dir=tmp_path).stdout)
    assert [(r["name"], r["id_no"]) for r in rows] == [("王建国", "62102420200001")]
    ok = run("numbers", "reserve", "--type", "inspection_record", "--division", "621024",
             "--year", "2026", "--first", "1", "--last", "500", data_dir=tmp_path)
    assert ok.returncode == 0 and "合卫职查〔2026〕" in ok.stdout
    overlap = run("numbers", "reserve", "--type", "inspection_record", "--division", "621024",
                  "--year", "2026", "--first", "400", "--last", "600", data_dir=tmp_path)
    assert overlap.returncode == 1 and "重叠" in overlap.stderr and "Traceback" not in overlap.stderr
    listed = run("numbers", "list", data_dir=tmp_path).stdout
    assert "1-500" in listed and "剩余 500 个" in listed
    conn = sqlite3.connect(tmp_path / "ohinspect.sqlite3")
    actors = {r[0] for r in conn.execute("SELECT actor FROM audit_log WHERE action != 'store.created'")}
    conn.close()
    assert actors == {"管理员", __import__("getpass").getuser()}
