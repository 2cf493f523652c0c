"""The built one-folder app starts outside the source tree, answers --version, opens the demo
store in a fresh data folder, renders a PDF in the bundled CJK font and paints its window.

scripts/test.sh builds dist/OHInspect first when the sources changed (scripts/build.sh
--if-stale); a missing or stale bundle FAILS here, it is never skipped."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from ohinspect import __version__
from bundle_app import BUNDLE, CLI, GUI, run, stale_reason


@pytest.fixture(scope="module")
def built() -> Path:
    reason = stale_reason()
    if reason:
        pytest.fail(f"{reason}: run scripts/build.sh (scripts/test.sh does it when needed)")
    return BUNDLE


@pytest.fixture(scope="module")
def demo_dir(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("bundle-data")
    done = run(GUI, "--cli", "--data-dir", str(data), "init", "--demo", cwd=data)
    assert done.returncode == 0, done.stderr
    return data


def test_version_without_a_display(built: Path, tmp_path: Path) -> None:
    for program in (GUI, CLI):
        done = run(program, "--version", cwd=tmp_path, QT_QPA_PLATFORM="none")
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"OHInspect {__version__}"


def test_bundle_carries_migrations_data_and_font(built: Path) -> None:
    internal = built / "_internal"
    assert list((internal / "db" / "versions").glob("0001_*.py"))
    assert (internal / "resources" / "i18n" / "zh_CN" / "ui.json").is_file()
    fonts = [p for p in (internal / "resources" / "fonts").iterdir() if p.suffix == ".ttc"]
    assert fonts and fonts[0].stat().st_size > 1_000_000


def test_demo_store_renders_a_pdf_in_the_bundled_font(demo_dir: Path) -> None:
    listed = run(CLI, "--data-dir", str(demo_dir), "list", "inspections", "--json", cwd=demo_dir)
    assert listed.returncode == 0, listed.stderr
    signed = next(r for r in json.loads(listed.stdout) if r["status"] == "signed")
    out = demo_dir / "record.pdf"
    done = run(CLI, "--data-dir", str(demo_dir), "report", "inspection", signed["id"],
               "--out", str(out), cwd=demo_dir)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(out)
    assert "现场检查笔录" in reader.pages[0].extract_text()
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("WenQuanYi" in f for f in fonts), fonts


def test_window_opens_the_demo_store_and_paints(demo_dir: Path) -> None:
    done = run(GUI, "--smoke", "--demo", "--data-dir", str(demo_dir), cwd=demo_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "ready"


def test_unusable_store_exits_non_zero(built: Path, tmp_path: Path) -> None:
    (tmp_path / "ohinspect.sqlite3").write_bytes(b"not a database at all" * 100)
    done = run(GUI, "--smoke", "--data-dir", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert str(tmp_path / "ohinspect.sqlite3") in done.stderr


def test_documents_use_the_font_inside_the_bundle(demo_dir: Path, built: Path) -> None:
    """Found before any system font, so a machine without one still makes documents."""
    out = demo_dir / "diag.zip"
    done = run(CLI, "--data-dir", str(demo_dir), "diagnostics", "--out", str(out), cwd=demo_dir)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as zf:
        info = json.loads(zf.read("diagnostics.json"))
    assert info["versions"]["frozen"] == "True"
    font = Path(info["pdf_font"].rpartition("#")[0].replace("~", str(Path.home()), 1))
    assert font.parent == built / "_internal" / "resources" / "fonts", info["pdf_font"]
