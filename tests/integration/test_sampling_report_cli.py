"""``ohinspect report sampling ID --out FILE.pdf`` end to end on the demo store, in a real
process: the four sampling documents in one PDF; a task in the field is refused in one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pypdf import PdfReader

from tests.integration.test_report_cli import _text, run
from tests.demo_store import demo_copy


def _tasks(data: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(data / "ohinspect.sqlite3")
    try:
        return conn.execute("SELECT id, task_number, status FROM sampling_task "
                            "ORDER BY task_number").fetchall()
    finally:
        conn.close()


def test_report_sampling(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    demo_copy(data)
    tasks = _tasks(data)
    signed = [t for t in tasks if t[2] == "signed"]
    draft = [t for t in tasks if t[2] == "draft"]
    assert len(signed) == 3 and len(draft) == 1
    task_id, number, _ = signed[0]
    out = tmp_path / "out" / "sampling.pdf"
    done = run("report", "sampling", task_id, "--out", str(out), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and done.stderr == ""
    text = _text(out)
    assert number in text and "采样记录" in text and "样品交接单" in text and "评价表" in text
    assert len(PdfReader(str(out)).pages) >= 4

    by_number = tmp_path / "out" / "by-number.pdf"
    done = run("report", "sampling", signed[1][1], "--out", str(by_number), data_dir=data)
    assert done.returncode == 0, done.stderr

    refused = tmp_path / "out" / "draft.pdf"
    done = run("report", "sampling", draft[0][0], "--out", str(refused), data_dir=data)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "尚未签字" in done.stderr
    assert not refused.exists()
