"""The main window: navigation on the left, one page per area, menus and a status bar."""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, Signal, qVersion
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ohinspect import __version__
from ohinspect.diagnostics import export_diagnostics
from ohinspect.i18n import LANGUAGES, current_language, tr
from ohinspect.services.stats import store_stats
from ohinspect.store.backup import BackupManifest, backups_dir, create_backup, verify_backup
from ohinspect.store.changes import Changes
from ohinspect.store.integrity import check_store
from ui.context import AppContext
from ui.pages import PageSpec, PlaceholderPage, page_specs
from ui.tasks import TaskRunner, user_message
from ui.widgets.dialogs import available_area
from ui.widgets.maintenance import (
    ask_backup_file,
    ask_diagnostics_file,
    ask_restore_file,
    confirm_restore,
)


PREFERRED_SIZE = (1280, 760)
STATUS_BAR_RESERVE = 40   # the size grip and the status bar's margins


class MainWindow(QMainWindow):
    sig_language_requested = Signal(str)
    sig_restore_requested = Signal(object)   # Path of a checked backup archive

    def __init__(self, *, demo: bool = False, data_dir: Path | None = None,
                 runner: TaskRunner | None = None) -> None:
        """``data_dir`` and ``runner`` serve what works before (or without) an open store:
        diagnostics and restoring a backup."""
        super().__init__()
        self.demo = demo
        self.data_dir = data_dir
        self.runner = runner or TaskRunner()
        self.ctx: AppContext | None = None
        self.pages: dict[str, QWidget] = {}   # built pages (an area is built when first shown)
        self._specs: list[PageSpec] = []
        title = tr("app.title")
        self.setWindowTitle(f"{title} — {tr('app.demo_marker')}" if demo else title)
        self._fit_to_screen()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setMaximumWidth(200)
        self.stack = QStackedWidget()
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        # a page wider or taller than a small screen (1366×768 at 150 %) scrolls instead of
        # pushing the window past the screen's edge
        self.page_area = QScrollArea()
        self.page_area.setObjectName("page_area")
        self.page_area.setWidgetResizable(True)
        self.page_area.setFrameShape(QFrame.Shape.NoFrame)
        self.page_area.setWidget(self.stack)
        splitter.addWidget(self.page_area)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 10_000])
        if demo:
            central = QWidget()
            column = QVBoxLayout(central)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            column.addWidget(self._demo_banner())
            column.addWidget(splitter, 1)
            self.setCentralWidget(central)
        else:
            self.setCentralWidget(splitter)
        self.loading = QLabel(tr("ui.opening_store"))
        self.stack.addWidget(self.loading)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self._status: dict[str, object] = {}
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        self.nav.currentRowChanged.connect(self._show_page)

    def _fit_to_screen(self) -> None:
        """The preferred size, but never more than the screen's available area (1366×768 at
        150 % scaling leaves about 910×480 device-independent pixels)."""
        area = available_area(self)
        width, height = PREFERRED_SIZE
        if area is not None:
            width, height = min(width, area.width()), min(height, area.height())
        self.resize(width, height)

    @staticmethod
    def _demo_banner() -> QLabel:
        """Says DEMO in words and with a frame, not by colour alone (high contrast themes)."""
        banner = QLabel(tr("ui.maint.demo_banner"))
        banner.setObjectName("demo_banner")
        banner.setWordWrap(True)
        banner.setFrameShape(QFrame.Shape.Box)
        banner.setLineWidth(2)
        font = banner.font()
        font.setBold(True)
        banner.setFont(font)
        banner.setMargin(6)
        return banner

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("menu.file"))
        self.backup_action = QAction(tr("menu.backup"), self)
        self.backup_action.triggered.connect(self.backup)
        self.check_action = QAction(tr("menu.check"), self)
        self.check_action.triggered.connect(self.check)
        self.restore_action = QAction(tr("menu.restore"), self)  # also when the store won't open
        self.restore_action.triggered.connect(self.restore)
        quit_action = QAction(tr("menu.quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for a in (self.backup_action, self.check_action):
            a.setEnabled(False)
            file_menu.addAction(a)
        file_menu.addAction(self.restore_action)
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
        self.diagnostics_action = QAction(tr("menu.diagnostics"), self)
        self.diagnostics_action.triggered.connect(self.export_diagnostics)
        help_menu.addAction(self.diagnostics_action)
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

    def show_page(self, page_id: str) -> None:
        """Switch to an area (the navigation follows)."""
        self.nav.setCurrentRow(next(i for i, spec in enumerate(self._specs)
                                    if spec.page_id == page_id))

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
        self._status = {"user": self.ctx.actor.user if self.ctx else "",
                        "enterprises": records["live"], "outbox": outbox,
                        "path": str(stats["data_dir"])}
        self._fill_status()

    def _fill_status(self) -> None:
        """The data folder's path shortened in the middle to what the window's width leaves
        (a long path would widen the window past a small screen); the full path as tooltip."""
        if not self._status:
            return
        path = str(self._status["path"])
        metrics = self.status_label.fontMetrics()
        room = self.width() - metrics.horizontalAdvance(
            tr("ui.status", **{**self._status, "path": ""})) - STATUS_BAR_RESERVE
        shown = metrics.elidedText(path, Qt.TextElideMode.ElideMiddle,
                                   max(room, metrics.horizontalAdvance("…" * 8)))
        self.status_label.setText(tr("ui.status", **{**self._status, "path": shown}))
        self.status_label.setToolTip(path)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fill_status()

    # -- file actions ------------------------------------------------------------------------
    def _warn(self, title_key: str, exc: BaseException) -> None:
        QMessageBox.warning(self, tr(title_key), user_message(exc))

    def backup(self) -> None:
        """A full backup archive (store, attachments, manifest) where the user chooses."""
        assert self.ctx is not None
        data_dir = self.ctx.store.data_dir
        dest = ask_backup_file(self, backups_dir(data_dir))
        if dest is not None:
            self.runner.run(create_backup, data_dir, dest,
                            on_done=lambda p: self.statusBar().showMessage(
                                tr("maint.backup.done", path=p), 10_000),
                            on_error=lambda exc: self._warn("menu.backup", exc))

    def restore(self) -> None:
        """Check the chosen archive, say what it holds, and on Yes hand it to the application
        (which closes the store, restores, and opens it again)."""
        data_dir = self.ctx.store.data_dir if self.ctx is not None else self.data_dir
        archive = ask_restore_file(self, backups_dir(data_dir) if data_dir else None)
        if archive is not None:
            self.runner.run(verify_backup, archive, on_done=self._confirm_restore,
                            on_error=lambda exc: self._warn("menu.restore", exc))

    def _confirm_restore(self, manifest: BackupManifest) -> None:
        if confirm_restore(self, manifest):
            self.sig_restore_requested.emit(manifest.path)

    def export_diagnostics(self) -> None:
        """Logs, versions and the store's shape for IT; works even when the store did not open."""
        data_dir = self.ctx.store.data_dir if self.ctx is not None else self.data_dir
        dest = ask_diagnostics_file(self)
        if dest is None or data_dir is None:
            return
        versions = {"qt": qVersion(), "PySide6": PySide6.__version__}
        self.runner.run(export_diagnostics, data_dir, dest, extra_versions=versions,
                        on_done=lambda p: QMessageBox.information(
                            self, tr("menu.diagnostics"), tr("maint.diag.done", path=p)),
                        on_error=lambda exc: self._warn("menu.diagnostics", exc))

    def check(self) -> None:
        assert self.ctx is not None

        def done(report) -> None:  # type: ignore[no-untyped-def]
            text = tr("check.ok") if report.ok else "\n".join(
                [tr("check.failed", count=len(report.problems))] + report.problems[:20])
            QMessageBox.information(self, tr("menu.check"), text)

        self.ctx.runner.run(check_store, self.ctx.store, on_done=done)
