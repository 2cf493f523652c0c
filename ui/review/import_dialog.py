"""Import batches…: many files (file dialog or drag-and-drop), or "Fetch from platform" (the
batches the platform accepted in this user's jurisdiction), imported in the background with a
progress bar and Cancel, then a summary per file or platform batch — new / already present /
conflict, or the refusal with its message (the same lines as ``ohinspect batch import`` and
``ohinspect batch fetch``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QPlainTextEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from ohinspect.batches.fetch import FetchReport, fetch_from_platform
from ohinspect.batches.importer import OUTCOMES
from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.services.review_import import (CANCELLED, IMPORTED, REFUSED, FileOutcome,
                                              FilesReporter, changes_of, import_batches)
from ohinspect.store.database import Store
from ohinspect.store.uow import Actor
from ohinspect.sync.credentials import CredentialStore
from ui.context import AppContext
from ui.tasks import if_alive, user_message
from ui.widgets.dialogs import fit_to_screen

POLL_MS = 100
MIN_LINES = 4


def dropped_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local files of a drag (folders and remote URLs are left out)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls()
            if u.isLocalFile() and Path(u.toLocalFile()).is_file()]


def fetch_job(store: Store, actor: Actor, creds: CredentialStore | None,
              reporter: Reporter) -> FetchReport:
    """Fetch from the platform this device enrolled with (runs in the background: reading the
    keyring may take a while too). ``creds``: the app's shared credential store if the Sync page
    read it already (with no keyring it holds the password typed this session)."""
    return fetch_from_platform(store, actor, creds or CredentialStore(), None, reporter)


def summary_lines(outcome: FileOutcome) -> list[str]:
    name = outcome.path.name
    if outcome.outcome == REFUSED:
        return [tr("batch.cli.refused", file=name, reason=outcome.message)]
    if outcome.outcome == CANCELLED or outcome.summary is None:
        return [tr("rev_ui.import.cancelled", file=name)]
    s = outcome.summary
    lines = [tr("batch.cli.imported", file=name, author=s.author, blobs=s.blobs_new,
                **{o: s.total(o) for o in OUTCOMES})]
    lines += ["  " + tr("batch.cli.type_line", record_type=t, **counts)
              for t, counts in sorted(s.counts.items())]
    if s.outside:
        lines.append("  " + tr("batch.cli.outside_allowed", count=s.outside))
    return lines


class ImportBatchesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 files: list[Path] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.files: list[Path] = []
        self.reporter: FilesReporter | None = None
        self.outcomes: list[FileOutcome] = []
        self.setWindowTitle(tr("rev_ui.import.title"))
        self.setAcceptDrops(True)
        self.list = QListWidget()
        add = QPushButton(tr("rev_ui.import.add"))
        add.clicked.connect(self.choose_files)
        self.clear_button = QPushButton(tr("rev_ui.import.clear"))
        self.clear_button.clicked.connect(lambda: self.set_files([]))
        self.allow_outside = QCheckBox(tr("rev_ui.import.allow_outside"))
        self.start_button = QPushButton(tr("rev_ui.import.start"))
        self.start_button.clicked.connect(self.start)
        self.fetch_button = QPushButton(tr("rev_ui.import.fetch"))
        self.fetch_button.setToolTip(tr("rev_ui.import.fetch_tip"))
        self.fetch_button.clicked.connect(self.fetch)
        self.cancel_button = QPushButton(tr("rev_ui.import.cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(tr("rev_ui.import.close"))
        self.progress = QProgressBar()
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        files_row = QHBoxLayout()
        files_row.addWidget(add)
        files_row.addWidget(self.clear_button)
        files_row.addStretch(1)
        buttons = QDialogButtonBox()
        for b in (self.start_button, self.fetch_button, self.cancel_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        for w in (self.list, self.summary):   # room for both on a 768-pixel-high screen
            w.setMinimumHeight(w.fontMetrics().lineSpacing() * MIN_LINES)
        layout = QVBoxLayout(self)
        hint = QLabel(tr("rev_ui.import.hint"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(files_row)
        layout.addWidget(self.allow_outside)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 2)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 600)
        self.set_files(files or [])
        self._busy(False)

    # -- files -----------------------------------------------------------------------------------
    def set_files(self, files: list[Path]) -> None:
        self.files = list(dict.fromkeys(files))   # each file once, in the order given
        self.list.clear()
        self.list.addItems([str(f) for f in self.files])
        self.start_button.setEnabled(bool(self.files) and self.reporter is None)

    def add_files(self, files: list[Path]) -> None:
        self.set_files(self.files + files)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("rev_ui.import.title"), "",
                                                tr("rev_ui.import.filter"))
        self.add_files([Path(p) for p in paths])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event) and self.reporter is None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_files(dropped_files(event))
        event.acceptProposedAction()

    # -- importing -------------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)
        self.start_button.setEnabled(not busy and bool(self.files))
        self.fetch_button.setEnabled(not busy)
        self.clear_button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def start(self) -> None:
        if self.files:
            self._run(import_batches, self.ctx.store, self.ctx.actor, list(self.files),
                      allow_outside=self.allow_outside.isChecked(), on_done=self._done)

    def fetch(self) -> None:
        """Fetch from the platform: the same progress, Cancel and summary as files."""
        self._run(fetch_job, self.ctx.store, self.ctx.actor, self.ctx.credentials,
                  on_done=self._fetched)

    def _run(self, job: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
             **kwargs: Any) -> None:
        """Start ``job`` in the background with a fresh reporter (progress and Cancel)."""
        if self.reporter is not None:
            return
        self.reporter = FilesReporter()
        self.summary.clear()
        self.progress.setRange(0, 0)
        self._busy(True)
        self.timer.start()
        self.ctx.runner.run(job, *args, reporter=self.reporter, write=True, on_done=on_done,
                            on_error=self._failed, **kwargs)

    def cancel(self) -> None:
        if self.reporter is not None:
            self.reporter.cancel()

    def _poll(self) -> None:
        r = self.reporter
        if r is None:
            return
        if r.total:
            self.progress.setRange(0, r.total)
            self.progress.setValue(min(r.done, r.total))
        if r.file_count:
            self.progress_label.setText(tr("rev_ui.import.progress", index=r.file_index,
                                           count=r.file_count, message=r.message))
        elif r.message:
            self.progress_label.setText(tr("rev_ui.import.fetching", message=r.message))

    def _finish(self) -> None:
        self.timer.stop()
        self.reporter = None
        self._busy(False)

    @if_alive
    def _done(self, outcomes: list[FileOutcome]) -> None:
        self._finish()
        self.outcomes = outcomes
        lines = [line for o in outcomes for line in summary_lines(o)]
        counts = {k: sum(o.outcome == k for o in outcomes) for k in (IMPORTED, REFUSED, CANCELLED)}
        self.progress_label.setText(tr("rev_ui.import.done", **counts))
        self.summary.setPlainText("\n".join(lines))
        self.ctx.announce(changes_of(outcomes))

    @if_alive
    def _fetched(self, report: FetchReport) -> None:
        self._finish()
        self.outcomes = report.outcomes
        lines = [line for o in report.outcomes for line in summary_lines(o)]
        if report.refused:
            lines.append(tr("batch.cli.fetch_stopped"))
        self.progress_label.setText(tr(
            "batch.cli.fetch_done", server=report.server_url, imported=report.count(IMPORTED),
            refused=report.count(REFUSED), cancelled=report.count(CANCELLED), own=report.own))
        self.summary.setPlainText("\n".join(lines))
        self.ctx.announce(changes_of(report.outcomes))

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.summary.setPlainText(user_message(exc))
