"""The main window as a user meets it: areas, language switch, a store that cannot be opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QListWidget

from ohinspect.i18n import current_language
from ui.app import Application, parse_args
from tests.demo_store import demo_copy

AREAS_ZH = ["用人单位", "三同时项目", "现场采样", "检查与审核", "整改跟踪", "数据同步", "批次审核", "统计"]


def _nav_titles(app: Application) -> list[str]:
    nav = app.window.findChild(QListWidget, "nav")
    return [nav.item(i).text() for i in range(nav.count())]


def _start(qtbot, *argv: str) -> Application:  # type: ignore[no-untyped-def]
    app = Application(parse_args(list(argv)))
    qtbot.addWidget(app.window)
    app.start()
    return app


def test_opens_demo_store_in_chinese_with_every_area(qtbot, tmp_path: Path) -> None:
    demo_copy(tmp_path)   # what --demo builds, built once per session
    app = _start(qtbot, "--data-dir", str(tmp_path), "--demo")
    try:
        qtbot.waitUntil(lambda: app.ctx is not None, timeout=30_000)
        assert _nav_titles(app) == AREAS_ZH
        assert set(app.window.pages) == {"enterprises"}  # the others are built when first shown
        assert "演示数据" in app.window.windowTitle()
        review = app.window.page("review")
        assert type(review).__name__ == "ReviewPage"
        assert [review.tabs.tabText(i) for i in range(review.tabs.count())] == ["待审核", "退回给我"]
        qtbot.waitUntil(lambda: "单位：53" in app.window.status_label.text(), timeout=10_000)
    finally:
        app.shutdown()


def test_language_switch_rebuilds_the_window_in_english(qtbot, tmp_path: Path) -> None:
    app = _start(qtbot, "--data-dir", str(tmp_path))
    try:
        qtbot.waitUntil(lambda: app.ctx is not None, timeout=30_000)
        app.switch_language("en")
        qtbot.addWidget(app.window)
        assert current_language() == "en"
        assert _nav_titles(app)[0] == "Enterprises"
        assert app.window.menuBar().actions()[0].text() == "&File"
        # the choice is remembered for the next start
        assert '"language": "en"' in (tmp_path / "settings.json").read_text(encoding="utf-8")
    finally:
        app.shutdown()


def test_unopenable_store_is_explained_in_the_window(qtbot, tmp_path: Path) -> None:
    (tmp_path / "ohinspect.sqlite3").write_bytes(b"PK\x03\x04 a zip file, not a store")
    app = _start(qtbot, "--data-dir", str(tmp_path))
    try:
        qtbot.waitUntil(lambda: "无法打开数据文件" in app.window.loading.text(), timeout=30_000)
        assert "不是 OHInspect 数据文件" in app.window.loading.text()
        assert "Traceback" not in app.window.loading.text()
        assert app.ctx is None
        assert (tmp_path / "ohinspect.sqlite3").read_bytes().startswith(b"PK")
    finally:
        app.shutdown()


def test_starting_a_stage_with_an_open_draft_resumes_it(qtbot, tmp_path: Path) -> None:
    from ohinspect.services.inspection_queries import list_inspections
    from ui.pages import open_stage_verification
    from ui.verification import StartVerificationDialog, VerificationFlow

    demo_copy(tmp_path)   # what --demo builds, built once per session
    app = _start(qtbot, "--data-dir", str(tmp_path), "--demo")
    try:
        qtbot.waitUntil(lambda: app.ctx is not None, timeout=30_000)
        ctx = app.ctx
        with ctx.store.read() as session:
            inspections = list_inspections(session)
        stages = [i for i in inspections if i.project_id]   # 三同时 verifications, not audits
        draft = next(i for i in stages if i.locked_at is None)
        signed = next(i for i in stages if i.locked_at is not None)
        open_stage_verification(ctx, draft.project_id, draft.stage, app.window)
        qtbot.waitUntil(lambda: any(isinstance(w, VerificationFlow) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=10_000)
        # a stage whose verification is signed starts a new one: the header dialog comes up
        open_stage_verification(ctx, signed.project_id, "design" if signed.stage != "design"
                                else "pre_assessment", app.window)
        qtbot.waitUntil(lambda: any(isinstance(w, StartVerificationDialog) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=10_000)
        assert _nav_titles(app)[1] == "三同时项目"
        assert not isinstance(app.window.page("projects"), type(app.window.page("audits")))
    finally:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, (VerificationFlow, StartVerificationDialog)):
                w.close()
        app.shutdown()


def test_auto_sync_starts_with_the_app_when_a_server_is_set(qtbot, tmp_path: Path) -> None:
    """With a platform address and auto-sync on, the Sync area (which owns the reachability
    probe) is built shortly after start — the user does not have to open it first."""
    from ohinspect.settings import Settings, save_settings

    save_settings(tmp_path, Settings(user_name="检查员甲", jurisdiction="621024",
                                     sync_server_url="http://127.0.0.1:9", auto_sync=True))
    app = _start(qtbot, "--data-dir", str(tmp_path))
    try:
        qtbot.waitUntil(lambda: app.ctx is not None, timeout=30_000)
        assert "sync" not in app.window.pages
        qtbot.waitUntil(lambda: "sync" in app.window.pages, timeout=15_000)
        auto = app.window.pages["sync"].auto
        qtbot.waitUntil(lambda: auto.probing or auto.reachable is not None, timeout=15_000)
        qtbot.waitUntil(lambda: auto.reachable is False, timeout=15_000)  # nothing on port 9
    finally:
        app.shutdown()


def test_no_auto_sync_without_a_server_address(qtbot, tmp_path: Path) -> None:
    from ohinspect.settings import Settings, save_settings

    save_settings(tmp_path, Settings(user_name="检查员甲", jurisdiction="621024", auto_sync=True))
    app = _start(qtbot, "--data-dir", str(tmp_path))
    try:
        qtbot.waitUntil(lambda: app.ctx is not None, timeout=30_000)
        qtbot.wait(4_000)
        assert "sync" not in app.window.pages
    finally:
        app.shutdown()
