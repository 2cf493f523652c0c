"""``ohinspect results import`` and ``ohinspect list sampling`` end to end, as a user runs them
(a real process, a real store): a good file is imported, a bad file lists every bad line on
stderr with its number, exits 1 and writes nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ohinspect.store.base import new_id
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Sample, SamplingPost, SamplingTask
from tests.integration.cli_run import run_cli

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 16, 8, 0, tzinfo=timezone(timedelta(hours=8)))




def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, data_dir=data_dir, user="化验员")


def _store_with_samples(data_dir: Path) -> None:
    store = Store.open(data_dir)
    try:
        ent = Enterprise(id=new_id(), name="合水县示例化工有限公司", uscc="91621024MA71BC0001",
                         division_code="621024")
        task = SamplingTask(id=new_id(), enterprise_id=ent.id, task_number="CJ-2026-0007",
                            monitoring_type="routine", planned_on=START.date())
        post = SamplingPost(id=new_id(), task_id=task.id, workshop="配料车间", post="配料工",
                            hazard_codes=["chem.benzene"], exposure_hours_per_day=8,
                            days_per_week=5)
        rows = [Sample(id=new_id(), task_id=task.id, post_id=post.id, sample_number=f"S-000{i}",
                       kind="personal", hazard_code="chem.benzene", started_at=START,
                       ended_at=START + timedelta(hours=8), representative_hours=8,
                       volume_l=480.0) for i in (1, 2)]
        rows.append(Sample(id=new_id(), task_id=task.id, sample_number="S-0003", kind="blank",
                           hazard_code="chem.benzene"))
        with store.unit_of_work(store.actor("采样员")) as uow:
            for obj in (ent, task, post, *rows):
                uow.record(obj, "test.create")
                uow.session.flush()
            uow.commit()
    finally:
        store.close()


def _results(data_dir: Path) -> list[tuple]:
    conn = sqlite3.connect(data_dir / "ohinspect.sqlite3")
    try:
        return conn.execute("SELECT analyte, value, unit, source, source_file, source_line, author "
                            "FROM lab_result ORDER BY source_line").fetchall()
    finally:
        conn.close()


def _outbox(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / "ohinspect.sqlite3")
    try:
        return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        conn.close()


def test_good_file_is_imported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store_with_samples(data)
    csv_file = tmp_path / "结果.csv"
    csv_file.write_text("sample_number,analyte,result,unit,lod\n"
                        "S-0001,苯,0.82,mg/m³,0.05\n"
                        "S-0002,chem.benzene,<0.05,mg/m³,\n"
                        "S-0003,苯,0.2,ug,0.1\n", encoding="utf-8-sig")
    done = run("results", "import", str(csv_file), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "已从 结果.csv 导入 3 条检测结果" in done.stdout and done.stderr == ""
    assert _results(data) == [
        ("chem.benzene", 0.82, "mg/m³", "csv", "结果.csv", 2, "化验员"),
        ("chem.benzene", None, "mg/m³", "csv", "结果.csv", 3, "化验员"),
        ("chem.benzene", 0.2, "ug", "csv", "结果.csv", 4, "化验员"),
    ]
    listed = run("list", "sampling", "--json", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    (task,) = json.loads(listed.stdout)
    assert (task["task_number"], task["enterprise_name"], task["monitoring_type"],
            task["status"]) == ("CJ-2026-0007", "合水县示例化工有限公司", "routine", "draft")
    assert (task["posts"], task["samples"], task["blanks"], task["noise"], task["results"]) == (
        1, 2, 1, 0, 3)
    table = run("list", "采样任务", data_dir=data)
    assert table.returncode == 0 and "CJ-2026-0007" in table.stdout
    # the same file again changes nothing
    again = run("results", "import", str(csv_file), data_dir=data)
    assert again.returncode == 0 and "导入 0 条" in again.stdout and len(_results(data)) == 3


def test_bad_file_lists_lines_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store_with_samples(data)
    before = _outbox(data)
    csv_file = tmp_path / "bad.csv"
    csv_file.write_bytes(("样品编号,检测项目,结果,单位\n"
                          "S-0001,苯,0.82,mg/m3\n"
                          "S-0099,苯,0.82,mg/m3\n"
                          "S-0002,笨,0.82,mg/m3\n"
                          "S-0002,苯,abc,mg/m3\n"
                          "S-0001,苯,0.9,mg/m3\n").encode("gb18030"))
    bad = run("results", "import", str(csv_file), data_dir=data)
    assert bad.returncode == 1
    lines = bad.stderr.strip().splitlines()
    assert lines[0] == "第 3 行：样品编号“S-0099”不存在。"
    assert lines[1].startswith("第 4 行：检测项目：未知的检测项目“笨”")
    assert lines[2] == "第 5 行：检测结果：“abc”不是有效的数值。"
    assert lines[3] == "第 6 行：与第 2 行重复（同一样品、同一检测项目）。"
    assert lines[4] == "ohinspect: 有 4 行有误，未导入任何数据。"
    assert len(lines) == 5 and "Traceback" not in bad.stderr and bad.stdout == ""
    assert _results(data) == [] and _outbox(data) == before


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store_with_samples(data)
    missing = run("results", "import", str(tmp_path / "nope.csv"), data_dir=data)
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "nope.csv" in missing.stderr
    assert "Traceback" not in missing.stderr
