"""The main window: navigation on the left, one page per area, menus and a status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ohinspect import __version__
from ohinspect.i18n import LANGUAGES, current_language, tr
from ohinspect.services.stats import store_stats
from ohinspect.store.backup import backup_store
from ohinspect.store.changes import Changes
from ohinspect.store.integrity import check_store
from ui.context import AppContext
from ui.pages import PageSpec, PlaceholderPage, page_specs
from ui.tasks import user_message


class MainWindow(QMainWindow):
    sig_language_requested = Signal(str)

    def __init__(self, *, demo: bool = False) -> None:
        super().__init__()
        self.demo = demo
        self.ctx: AppContext | None = None
        self.pages: dict[str, QWidget] = {}   # built pages (an area is built when first shown)
        self._specs: list[PageSpec] = []
        title = tr("app.title")
        self.setWindowTitle(f"{title} — {tr('app.demo_marker')}" if demo else title)
        self.resize(1280, 760)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setMaximumWidth(200)
        self.stack = QStackedWidget()
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 10_000])
        self.setCentralWidget(splitter)
        self.loading = QLabel(tr("ui.opening_store"))
        self.stack.addWidget(self.loading)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        self.nav.currentRowChanged.connect(self._show_page)

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("menu.file"))
        self.backup_action = QAction(tr("menu.backup"), self)
        self.backup_action.triggered.connect(self.backup)
        self.check_action = QAction(tr("menu.check"), self)
        self.check_action.triggered.connect(self.check)
        quit_action = QAction(tr("menu.quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for a in (self.backup_action, self.check_action):
            a.setEnabled(False)
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu(tr("menu.edit"))
        self.undo_action = QAction(tr("menu.undo"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        edit_menu.addAction(self.undo_action)

        settings_menu = self.menuBar().addMenu(tr("menu.settings"))
        lang_menu = settings_menu.addMenu(tr("menu.language"))
        for code, name in LANGUAGES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _=False, c=code: self.sig_language_requested.emit(c))
            lang_menu.addAction(action)

        help_menu = self.menuBar().addMenu(tr("menu.help"))
        about = QAction(tr("menu.about"), self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, tr("menu.about"), tr("app.about", version=__version__)))
        help_menu.addAction(about)

    # -- store -------------------------------------------------------------------------------
    def attach(self, ctx: AppContext, specs: list[PageSpec] | None = None) -> None:
        """List the areas once the store is open; each page is built when first shown, so
        start-up pays only for the first one."""
        self.ctx = ctx
        self.nav.clear()
        self._specs = list(specs or page_specs())
        for spec in self._specs:
            self.stack.addWidget(QStackedWidget())  # a slot that receives the page later
            self.nav.addItem(tr(spec.title_key))
        ctx.sig_changed.connect(self._on_changes)
        ctx.sig_undo_changed.connect(self._on_undo_changed)
        ctx.runner.sig_error.connect(lambda msg: self.statusBar().showMessage(msg, 10_000))
        self.undo_action.triggered.connect(ctx.undo)
        self.backup_action.setEnabled(True)
        self.check_action.setEnabled(True)
        self.nav.setCurrentRow(0)
        self.refresh_status()

    def show_open_failure(self, exc: BaseException) -> None:
        message = user_message(exc)
        self.loading.setText(tr("ui.open_failed", message=message))
        self.loading.setWordWrap(True)

    def page(self, page_id: str) -> QWidget:
        """The page of an area, built now if it was not shown yet."""
        row = next(i for i, spec in enumerate(self._specs) if spec.page_id == page_id)
        widget = self.pages.get(page_id)
        if widget is None:
            assert self.ctx is not None
            spec = self._specs[row]
            widget = spec.factory(self.ctx) if spec.factory else PlaceholderPage(tr(spec.title_key))
            widget.setObjectName(f"page_{spec.page_id}")
            slot = self.stack.widget(row + 1)  # index 0 is the loading label
            assert isinstance(slot, QStackedWidget)
            slot.addWidget(widget)
            self.pages[page_id] = widget
        return widget

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self._specs):
            self.page(self._specs[row].page_id)
            self.stack.setCurrentIndex(row + 1)

    def _on_undo_changed(self, label: str) -> None:
        self.undo_action.setEnabled(bool(label))
        self.undo_action.setText(tr("menu.undo_named", label=label) if label else tr("menu.undo"))

    def _on_changes(self, _changes: Changes) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        if self.ctx is None:
            return
        ctx = self.ctx
        ctx.runner.run(store_stats, ctx.store, on_done=self._show_stats)

    def _show_stats(self, stats: dict[str, object]) -> None:
        records = stats["records"]["enterprise"]  # type: ignore[index]
        outbox = stats["outbox"]["records"]  # type: ignore[index]
        self.status_label.setText(tr(
            "ui.status", user=self.ctx.actor.user if self.ctx else "", enterprises=records["live"],
            outbox=outbox, path=stats["data_dir"]))

    # -- file actions ------------------------------------------------------------------------
    def backup(self) -> None:
        assert self.ctx is not None
        name, _ = QFileDialog.getSaveFileName(self, tr("menu.backup"), "ohinspect-backup.sqlite3",
                                              "SQLite (*.sqlite3)")
        if name:
            self.ctx.runner.run(backup_store, self.ctx.store.path, Path(name),
                                on_done=lambda p: self.statusBar().showMessage(
                                    tr("cli.backup_done", path=p), 10_000))

    def check(self) -> None:
        assert self.ctx is not None

        def done(report) -> None:  # type: ignore[no-untyped-def]
            text = tr("check.ok") if report.ok else "\n".join(
                [tr("check.failed", count=len(report.problems))] + report.problems[:20])
            QMessageBox.information(self, tr("menu.check"), text)

        self.ctx.runner.run(check_store, self.ctx.store, on_done=done)
