"""File → Back up / Restore from backup and Help → Export diagnostics, as a user meets them:
a daily backup at start, a restore that is checked and keeps the replaced data, diagnostics
even when the store does not open."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ohinspect.errors import StoreError
from ohinspect.i18n import tr
from ohinspect.store.backup import create_backup, daily_backups
from ohinspect.store.database import DB_FILE
from ui.app import Application, parse_args
from tests.demo_store import demo_template as built_demo


@pytest.fixture(scope="module")
def demo_template() -> Path:
    """The session's built demo store (tests/demo_store.py); tests copy it."""
    return built_demo()


@pytest.fixture
def quiet_boxes(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    return shown


def _start(data_dir: Path) -> Application:
    """(Not handed to qtbot: a restore replaces the window, which qtbot would close twice.)"""
    app = Application(parse_args(["--data-dir", str(data_dir)]))
    app.start()
    return app


def _stop(app: Application) -> None:
    app.shutdown()
    app.window.close()
    app.window.deleteLater()


def _count(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / DB_FILE)
    try:
        return conn.execute("SELECT count(*) FROM enterprise WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def test_daily_backup_at_start_then_restore_from_the_menu(qtbot, tmp_path: Path, demo_template,
                                                         quiet_boxes, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    archive = create_backup(data, tmp_path / "before.zip")
    conn = sqlite3.connect(data / DB_FILE)
    conn.execute("UPDATE enterprise SET deleted_at = '2026-01-01T00:00:00Z'")  # lose them all
    conn.commit()
    conn.close()
    assert _count(data) == 0
    app = _start(data)
    try:
        qtbot.waitUntil(lambda: app.ctx is not None and len(daily_backups(data)) == 1,
                        timeout=30_000)
        monkeypatch.setattr("ui.main_window.ask_restore_file", lambda *_a: archive)
        monkeypatch.setattr("ui.main_window.confirm_restore", lambda *_a: True)
        first_window = app.window
        first_window.restore_action.trigger()
        qtbot.waitUntil(lambda: app.window is not first_window and app.ctx is not None,
                        timeout=30_000)
        assert _count(data) == _count(demo_template) > 0
        assert any("before.zip" in text and "replaced" in text for text in quiet_boxes)
        aside = list((data / "backups" / "replaced").iterdir())
        assert len(aside) == 1 and (aside[0] / DB_FILE).is_file()
    finally:
        _stop(app)


def test_diagnostics_even_when_the_store_does_not_open(qtbot, tmp_path: Path, quiet_boxes,
                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / DB_FILE).write_bytes(b"this is not a database" * 50)
    app = _start(tmp_path)
    try:
        qtbot.waitUntil(lambda: "ohinspect.sqlite3" in app.window.loading.text(), timeout=10_000)
        out = tmp_path / "diag.zip"
        monkeypatch.setattr("ui.main_window.ask_diagnostics_file", lambda *_a: out)
        app.window.diagnostics_action.trigger()
        qtbot.waitUntil(lambda: out.exists() and bool(quiet_boxes), timeout=20_000)
        with zipfile.ZipFile(out) as zf:
            assert "diagnostics.json" in zf.namelist()
            assert '"qt"' in zf.read("diagnostics.json").decode("utf-8")
        assert app.window.restore_action.isEnabled() and not app.window.backup_action.isEnabled()
    finally:
        _stop(app)


def test_failed_daily_backup_is_said_and_stops_nothing(qtbot, tmp_path: Path, demo_template,
                                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A read-only or full backup folder: the message in the status bar, the app works on."""
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)

    def read_only(*_args):  # type: ignore[no-untyped-def]
        raise StoreError(tr("backup.failed", path=data / "backups", reason="Read-only file system"))

    monkeypatch.setattr("ui.app.daily_backup_if_due", read_only)
    app = _start(data)
    try:
        qtbot.waitUntil(lambda: "Read-only file system" in app.window.statusBar().currentMessage(),
                        timeout=30_000)
        assert app.ctx is not None and app.window.backup_action.isEnabled()
    finally:
        _stop(app)
