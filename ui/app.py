"""Composition root: settings, language, the store (opened off the GUI thread), the window."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ohinspect.demo import DEMO_USER
from ohinspect.i18n import LANGUAGES, set_language
from ohinspect.paths import resolve_data_dir
from ohinspect.settings import Settings, load_settings, save_settings
from ohinspect.store.database import Store
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

DEMO_SUBDIR = "demo"
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
                "WenQuanYi Micro Hei", "Droid Sans Fallback")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ohinspect-gui")
    parser.add_argument("--data-dir")
    parser.add_argument("--demo", action="store_true", help="open (creating if needed) the demo store")
    parser.add_argument("--lang", choices=sorted(LANGUAGES))
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def choose_font(app: QApplication) -> None:
    """Prefer a CJK UI font so Chinese, mg/m³, ℃ and dB(A) render in one consistent face."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            font = QFont(family, app.font().pointSize())
            app.setFont(font)
            return


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
        root = resolve_data_dir(args.data_dir)
        self.demo = bool(args.demo)
        self.data_dir = root / DEMO_SUBDIR if self.demo and not args.data_dir else root
        self.settings: Settings = load_settings(self.data_dir)
        if args.lang:
            self.settings.language = args.lang
        set_language(self.settings.language)
        self.runner = TaskRunner()
        self.ctx: AppContext | None = None
        self.window = self._new_window()

    def _new_window(self) -> MainWindow:
        window = MainWindow(demo=self.demo)
        window.sig_language_requested.connect(self.switch_language)
        return window

    def start(self) -> None:
        self.window.show()
        self.runner.run(open_store, self.data_dir, self.demo, on_done=self._attach,
                        on_error=self.window.show_open_failure)

    def _attach(self, store: Store) -> None:
        user = self.settings.user_name or (DEMO_USER if self.demo else getpass.getuser())
        self.ctx = AppContext(store, self.settings, self.runner, store.actor(user))
        self.window.attach(self.ctx)

    def switch_language(self, language: str) -> None:
        self.settings.language = language
        save_settings(self.data_dir, self.settings)
        set_language(language)
        old = self.window
        self.window = self._new_window()
        self.window.setGeometry(old.geometry())
        if self.ctx is not None:
            self.window.attach(self.ctx)
        self.window.show()
        old.close()
        old.deleteLater()

    def shutdown(self) -> None:
        self.runner.wait_idle()
        if self.ctx is not None:
            self.ctx.store.close()


def run_gui(argv: Sequence[str]) -> int:
    logging.basicConfig(level=logging.INFO)
    args = parse_args(argv)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("OHInspect")
    choose_font(qt_app)  # type: ignore[arg-type]
    app = Application(args)
    app.start()
    code = qt_app.exec()
    app.shutdown()
    return code
