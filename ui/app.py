"""Composition root: settings, language, the store (opened off the GUI thread), the window."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from ohinspect import __version__
from ohinspect.demo import DEMO_USER
from ohinspect.errors import OHInspectError
from ohinspect.i18n import LANGUAGES, set_language, tr
from ohinspect.instance_lock import InstanceLock, InstanceLockedError
from ohinspect.logs import setup_logging
from ohinspect.paths import resolve_data_dir, resources_dir
from ohinspect.reports.fonts import font_candidates
from ohinspect.settings import Settings, load_settings, save_settings
from ohinspect.store.backup import backup_config, daily_backup_if_due
from ohinspect.store.database import Store
from ohinspect.store.restore import restore_backup
from ui.context import AppContext
from ui.first_run.flow import DEMO_SUBDIR, needs_first_run, run_first_run
from ui.main_window import MainWindow
from ui.single_instance import FrontServer, ask_first_to_front
from ui.tasks import TaskRunner, user_message

log = logging.getLogger(__name__)
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
                "WenQuanYi Micro Hei", "Droid Sans Fallback")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ohinspect-gui")
    parser.add_argument("--data-dir")
    parser.add_argument("--demo", action="store_true", help="open (creating if needed) the demo store")
    parser.add_argument("--lang", choices=sorted(LANGUAGES))
    parser.add_argument("--smoke", action="store_true",
                        help="open the store, show and paint the window, print 'ready', exit")
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def choose_font(app: QApplication) -> None:
    """Prefer a CJK UI font so Chinese, mg/m³, ℃ and dB(A) render in one consistent face; a
    machine without one uses the font the bundle ships for PDFs (resources/fonts/)."""
    families = set(QFontDatabase.families())
    if not families.intersection(CJK_FAMILIES):
        for candidate in font_candidates():
            if candidate.path.is_file() and candidate.path.is_relative_to(resources_dir()):
                font_id = QFontDatabase.addApplicationFont(str(candidate.path))
                families.update(QFontDatabase.applicationFontFamilies(font_id))
    for family in CJK_FAMILIES:
        if family in families:
            font = QFont(family, app.font().pointSize())
            app.setFont(font)
            return


def data_dir_for(args: argparse.Namespace) -> Path:
    """``--data-dir`` (or the default folder; its ``demo/`` with ``--demo`` alone)."""
    root = resolve_data_dir(args.data_dir)
    return root / DEMO_SUBDIR if args.demo and not args.data_dir else root


def settings_for(args: argparse.Namespace, data_dir: Path) -> Settings:
    """The folder's settings with ``--lang`` applied, and the language switched to them."""
    settings = load_settings(data_dir)
    if args.lang:
        settings.language = args.lang
    set_language(settings.language)
    return settings


def open_store(data_dir: Path, demo: bool) -> Store:
    store = Store.open(data_dir)
    if demo:
        from ohinspect.demo import build_demo

        build_demo(store)
    return store


class Application:
    """Holds what outlives a window (the store, the context), so a language switch can rebuild
    the window without closing the store."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.demo = bool(args.demo)
        self.smoke = bool(args.smoke)
        #: the first-run dialog asked to enrol with the platform once the store is open
        self.enrol_now = bool(getattr(args, "enrol_now", False))
        self.data_dir = data_dir_for(args)
        self.settings: Settings = settings_for(args, self.data_dir)
        self.runner = TaskRunner()
        self.ctx: AppContext | None = None
        self.window = self._new_window()

    def _new_window(self) -> MainWindow:
        window = MainWindow(demo=self.demo, data_dir=self.data_dir, runner=self.runner)
        window.sig_language_requested.connect(self.switch_language)
        window.sig_restore_requested.connect(self.restore)
        return window

    def start(self) -> None:
        self.window.show()
        self._open()

    def _open(self) -> None:
        self.runner.run(open_store, self.data_dir, self.demo, on_done=self._attach,
                        on_error=self._open_failed)

    def _attach(self, store: Store) -> None:
        user = self.settings.user_name or (DEMO_USER if self.demo else getpass.getuser())
        self.ctx = AppContext(store, self.settings, self.runner, store.actor(user))
        self.window.attach(self.ctx)
        if self.smoke:
            self.window.repaint()  # painted now, not at the next event-loop turn
            print("ready", flush=True)
            QApplication.quit()
        elif self.enrol_now:
            self.enrol_now = False
            self.window.show_page("sync")
            page = self.window.page("sync")
            page.ask_enrolment(then_sync=True)  # type: ignore[attr-defined]
        else:
            self._start_auto_sync()
        if not self.smoke and not self.demo:
            keep = min(max(1, self.settings.backup_keep_daily),
                       int(backup_config()["keep_daily_max"]))
            self.runner.run(daily_backup_if_due, self.data_dir, keep,
                            on_done=self._daily_backup_done, on_error=self._daily_backup_failed)

    def _start_auto_sync(self) -> None:
        """Auto-sync runs from the app's start, not from the first visit to the Sync area: the
        Sync page (which owns the reachability probe) is built once the window has settled."""
        if self.settings.auto_sync and self.settings.sync_server_url:
            from ohinspect.sync.protocol import limits

            QTimer.singleShot(int(limits().probe_start_delay_s * 1000),
                              lambda: self.window.page("sync"))

    def _daily_backup_done(self, made: Path | None) -> None:
        if made is not None:
            log.info("daily backup %s", made.name)
            self.window.statusBar().showMessage(tr("maint.backup.done", path=made), 10_000)

    def _daily_backup_failed(self, exc: BaseException) -> None:
        """Not fatal (a full disk, a read-only folder): said in the status bar and the log."""
        message = user_message(exc)
        log.warning("daily backup failed: %s", message)
        self.window.statusBar().showMessage(message, 30_000)

    def restore(self, archive: Path) -> None:
        """Close the store, restore ``archive`` over it (checked first; the live store is kept
        aside), then open whichever store is there now in a fresh window."""
        self.runner.wait_idle()
        if self.ctx is not None:
            self.ctx.store.close()
            self.ctx = None
        self._replace_window()
        self.runner.run(restore_backup, archive, self.data_dir,
                        on_done=lambda result: self._after_restore(tr(
                            "maint.restore.done", path=archive,
                            made_at=result.manifest.made_at, aside=result.aside)),
                        on_error=lambda exc: self._after_restore(user_message(exc)))

    def _after_restore(self, message: str) -> None:
        log.info("restore: %s", message)
        QMessageBox.information(self.window, tr("menu.restore"), message)
        self._open()

    def _open_failed(self, exc: BaseException) -> None:
        self.window.show_open_failure(exc)
        if self.smoke:
            print(user_message(exc), file=sys.stderr, flush=True)
            QApplication.exit(1)

    def switch_language(self, language: str) -> None:
        self.settings.language = language
        save_settings(self.data_dir, self.settings)
        set_language(language)
        self._replace_window()

    def _replace_window(self) -> None:
        """A new window in place of the old one (attached to the store when one is open)."""
        old = self.window
        self.window = self._new_window()
        self.window.setGeometry(old.geometry())
        if self.ctx is not None:
            self.window.attach(self.ctx)
        self.window.show()
        old.close()
        old.deleteLater()

    def bring_to_front(self) -> None:
        """A second start on this folder asked for this window."""
        if self.window.isMinimized():
            self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def shutdown(self) -> None:
        self.runner.wait_idle()
        if self.ctx is not None:
            self.ctx.store.close()


def refuse_start(exc: OHInspectError, data_dir: Path, smoke: bool) -> int:
    """The folder is held by another program (which is asked to come to the front) or cannot
    be written: say so and exit 1."""
    message = exc.user_message()
    if isinstance(exc, InstanceLockedError) and ask_first_to_front(data_dir):
        message += "\n" + tr("ui.maint.brought_to_front")
    log.warning("start refused: %s", message)
    if smoke:
        print(message, file=sys.stderr, flush=True)
    else:
        QMessageBox.warning(None, tr("app.title"), message)
    return 1


def run_gui(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("OHInspect")
    choose_font(qt_app)  # type: ignore[arg-type]
    data_dir = data_dir_for(args)
    settings_for(args, data_dir)  # the language of a refusal message or the first-run dialog
    if needs_first_run(args, data_dir):
        chosen = run_first_run(args, data_dir)
        if chosen is None:
            return 0
        args, data_dir = chosen, data_dir_for(chosen)
    lock = InstanceLock(data_dir)
    try:
        lock.acquire()
    except OHInspectError as exc:
        return refuse_start(exc, data_dir, args.smoke)
    try:
        setup_logging(data_dir, console_level=logging.WARNING)
        log.info("OHInspect %s starts on %s", __version__, data_dir)
        app = Application(args)
        front = FrontServer(data_dir)
        front.sig_raise.connect(app.bring_to_front)
        app.start()
        code = qt_app.exec()
        app.shutdown()
        front.close()
        return code
    finally:
        lock.release()
