"""``ohinspect report inspection|opinion ID --out FILE.pdf`` end to end, in a real process.

The store is built here with the unit tests' ORM helper (a signed inspection with findings,
signatures and photos); ``init --demo`` is used too when the demo has signed inspections.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pypdf import PdfReader

from ohinspect.store.database import Store
from tests.integration.cli_run import run_cli as run
from tests.unit.test_reports import (
    OPINION_NO,
    PARTY,
    RECORD_NO,
    build_signed_inspection,
    flat,
)
from tests.demo_store import demo_copy

ROOT = Path(__file__).resolve().parents[2]




def _built(data_dir: Path, **kw: object) -> str:
    store = Store.open(data_dir)
    try:
        return build_signed_inspection(store, **kw).inspection_id  # type: ignore[arg-type]
    finally:
        store.close()


def _text(path: Path) -> str:
    return flat("\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages))


def test_report_inspection_and_opinion(tmp_path: Path) -> None:
    data = tmp_path / "data"
    inspection_id = _built(data)
    out = tmp_path / "out" / "record.pdf"
    done = run("report", "inspection", inspection_id, "--out", str(out), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and done.stderr == ""
    text = _text(out)
    assert PARTY in text and flat(RECORD_NO) in text and "现场检查笔录" in text

    # by its number, as the user may type it
    opinion = tmp_path / "out" / "opinion.pdf"
    done = run("report", "opinion", OPINION_NO, "--out", str(opinion), data_dir=data)
    assert done.returncode == 0, done.stderr
    text = _text(opinion)
    assert flat(OPINION_NO) in text and "限于2026年03月16日前改正" in text
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["opinion.pdf", "record.pdf"]


def test_refusals_are_one_line_and_leave_no_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    draft = _built(data, locked=False, with_numbers=False)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "kept.pdf").write_bytes(b"older document")
    for document in ("inspection", "opinion"):
        done = run("report", document, draft, "--out", str(out_dir / "kept.pdf"), data_dir=data)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and "尚未签字" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    unknown = run("report", "inspection", "no-such-id", "--out", str(out_dir / "x.pdf"),
                  data_dir=data)
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1
    assert "no-such-id" in unknown.stderr
    # nothing new, the older file untouched, no temp file left behind
    assert [p.name for p in out_dir.iterdir()] == ["kept.pdf"]
    assert (out_dir / "kept.pdf").read_bytes() == b"older document"


def test_no_findings_no_opinion(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clean = _built(data, finding_every=0, n_photos=0)
    done = run("report", "opinion", clean, "--out", str(tmp_path / "o.pdf"), data_dir=data)
    assert done.returncode == 1 and "未发现问题" in done.stderr
    assert not (tmp_path / "o.pdf").exists()


def test_missing_store_is_not_created(tmp_path: Path) -> None:
    done = run("report", "inspection", "x", "--out", str(tmp_path / "r.pdf"),
               data_dir=tmp_path / "nothing")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert not (tmp_path / "nothing").exists()


def test_english_messages(tmp_path: Path) -> None:
    data = tmp_path / "data"
    draft = _built(data, locked=False, with_numbers=False, n_photos=0)
    done = run("--lang", "en", "report", "opinion", draft, "--out", str(tmp_path / "o.pdf"),
               data_dir=data)
    assert done.returncode == 1 and "not signed" in done.stderr


def _demo_signed(data: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(data / "ohinspect.sqlite3")
    try:
        return conn.execute(
            "SELECT id, opinion_number FROM inspection WHERE locked_at IS NOT NULL "
            "AND deleted_at IS NULL ORDER BY record_number").fetchall()
    finally:
        conn.close()


def test_demo_documents(tmp_path: Path) -> None:
    """Every signed demo record and opinion renders: the first through the real command, the
    rest with the renderers the command calls (``ohinspect.cli.REPORTS``), in this process."""
    import importlib

    from ohinspect.cli import REPORTS

    data = tmp_path / "demo"
    demo_copy(data)
    signed = _demo_signed(data)
    assert len(signed) >= 4
    first_id, first_opinion = next((i, o) for i, o in signed if o)
    for document in ("inspection", "opinion"):
        out = tmp_path / f"cli-{document}.pdf"
        done = run("report", document, first_id, "--out", str(out), data_dir=data)
        assert done.returncode == 0, done.stderr
    assert flat(first_opinion) in _text(tmp_path / "cli-opinion.pdf")
    render = {doc: getattr(importlib.import_module(module), name)
              for doc, (module, name) in REPORTS.items()}
    store = Store.open(data)
    try:
        for n, (inspection_id, opinion_number) in enumerate(signed):
            out = render["inspection"](store, inspection_id, tmp_path / f"record-{n}.pdf")
            assert len(PdfReader(str(out)).pages) >= 1
            if opinion_number:
                out = render["opinion"](store, inspection_id, tmp_path / f"opinion-{n}.pdf")
                assert flat(opinion_number) in _text(out)
    finally:
        store.close()
