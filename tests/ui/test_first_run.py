"""The first start: the dialog's questions and checks, what its answers save, the remembered
data folder, and the demo clearly marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from ohinspect.data_location import CONFIG_DIR_ENV
from ohinspect.paths import DATA_DIR_ENV, default_data_dir
from ohinspect.settings import load_settings
from ui.app import parse_args
from ui.first_run.dialog import FirstRunDialog, role_ids
from ui.first_run.flow import apply_choice, needs_first_run
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _own_config(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "config"))
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)


def test_roles_come_from_the_data_file(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstRunDialog(tmp_path)
    qtbot.addWidget(dialog)
    assert role_ids() == ["inspector", "sampler", "supervisor", "admin"]
    assert [dialog.role.itemData(i) for i in range(1, dialog.role.count())] == role_ids()
    assert not dialog.enrol.isEnabled()  # nothing to enrol with before a platform is named


def test_start_needs_every_answer_then_saves_them(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "my data"
    dialog = FirstRunDialog(folder)
    qtbot.addWidget(dialog)
    dialog.start_button.click()
    assert dialog.choice is None and dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().count("\n") == 2  # role, jurisdiction, name
    dialog.role.setCurrentIndex(dialog.role.findData("sampler"))
    dialog.jurisdiction.set_code("621024")
    dialog.user_name.setText("  王采样 ")
    dialog.start_button.click()
    choice = dialog.choice
    assert choice is not None and not choice.demo
    assert (choice.role, choice.jurisdiction, choice.user_name) == ("sampler", "621024", "王采样")

    args = parse_args([])
    assert needs_first_run(args, folder)
    started = apply_choice(args, choice)
    assert Path(started.data_dir) == folder and not started.demo
    saved = load_settings(folder)
    assert (saved.role, saved.jurisdiction, saved.user_name) == ("sampler", "621024", "王采样")
    assert not needs_first_run(args, folder)
    assert default_data_dir() == folder  # the next start (and the ohinspect command) finds it


def test_demo_opens_apart_and_saves_nothing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstRunDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.demo_button.click()
    started = apply_choice(parse_args([]), dialog.choice)
    assert started.demo and Path(started.data_dir) == tmp_path / "demo"
    assert not (tmp_path / "settings.json").exists()
    assert default_data_dir() != tmp_path  # nothing remembered


def test_demo_window_says_demo_in_title_and_banner(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    banner = window.findChild(QLabel, "demo_banner")
    assert "演示数据" in window.windowTitle()
    assert banner is not None and "演示数据" in banner.text() and "DEMO" in banner.text()
    plain = MainWindow()
    qtbot.addWidget(plain)
    assert plain.findChild(QLabel, "demo_banner") is None


def test_a_platform_named_at_first_run_is_saved_and_enrolment_asked_once_open(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Optional enrolment: with a platform address and the box ticked, the app opens the Sync
    area and asks for the platform account as soon as the store is open."""
    from ui.app import Application
    from ui.sync.enrol_dialog import EnrolDialog

    folder = tmp_path / "data"
    dialog = FirstRunDialog(folder)
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData("inspector"))
    dialog.jurisdiction.set_code("621024")
    dialog.user_name.setText("李检查")
    dialog.server.setText("http://127.0.0.1:9")
    assert dialog.enrol.isEnabled()
    dialog.enrol.setChecked(True)
    dialog.start_button.click()
    started = apply_choice(parse_args([]), dialog.choice)
    assert started.enrol_now and load_settings(folder).sync_server_url == "http://127.0.0.1:9"

    app = Application(started)
    qtbot.addWidget(app.window)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.ctx is not None, timeout=30_000)
        qtbot.waitUntil(lambda: isinstance(getattr(app.window.pages.get("sync"), "enrol_dialog",
                                                   None), EnrolDialog), timeout=15_000)
        page = app.window.pages["sync"]
        assert page.enrol_dialog.isVisible() and app.window.nav.currentRow() == next(
            i for i, spec in enumerate(app.window._specs) if spec.page_id == "sync")
        page.enrol_dialog.reject()
    finally:
        app.shutdown()
