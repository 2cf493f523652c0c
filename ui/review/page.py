"""The Review screen (issue 7 item 3): the queue of records from field devices with the
supervisor's decisions, what reviewers returned to this user, and "Import batches…" (button or
files dropped on the page)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ohinspect.store.changes import Changes
from ohinspect.store.models import Inspection, RectificationEvent, ReviewDecision, SamplingTask
from ui.context import AppContext
from ui.review.import_dialog import ImportBatchesDialog, dropped_files
from ui.review.queue_tab import QueueTab
from ui.review.returned_tab import ReturnedTab

WATCHED = (ReviewDecision.__record_type__, Inspection.__record_type__,
           SamplingTask.__record_type__, RectificationEvent.__record_type__)


class ReviewPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.import_dialog: ImportBatchesDialog | None = None
        self.setAcceptDrops(True)
        self.import_button = QPushButton(tr("rev_ui.import"))
        self.import_button.clicked.connect(lambda: self.open_import([]))
        hint = QLabel(tr("rev_ui.drop_hint"))
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(hint, 1)
        self.queue = QueueTab(ctx)
        self.returned = ReturnedTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.queue, tr("rev_ui.tab.queue"))
        self.tabs.addTab(self.returned, tr("rev_ui.tab.returned"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        ctx.sig_changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        self.queue.refresh()
        self.returned.refresh()

    def _changed(self, changes: Changes) -> None:
        if any(changes.touches(t) for t in WATCHED):
            self.refresh()

    def open_import(self, files: list[Path]) -> ImportBatchesDialog:
        """The import dialog (one at a time; files dropped later are added to it)."""
        if self.import_dialog is None:
            self.import_dialog = ImportBatchesDialog(self.ctx, self, files)
            self.import_dialog.finished.connect(self._import_closed)
            self.import_dialog.open()
        else:
            self.import_dialog.add_files(files)
            self.import_dialog.raise_()
        return self.import_dialog

    def _import_closed(self) -> None:
        if self.import_dialog is not None:
            self.import_dialog.deleteLater()
        self.import_dialog = None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.open_import(dropped_files(event))
        event.acceptProposedAction()
