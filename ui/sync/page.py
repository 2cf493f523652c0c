"""The Sync screen. Everything that touches the network or the store runs through the task
runner (never on the GUI thread); the sync itself runs on the read pool so edits made meanwhile
are not queued behind it (each sync step takes the writer only for its own short commits)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QCheckBox, QDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from ohinspect.i18n import tr
from ohinspect.progress import Cancelled, Reporter
from ohinspect.settings import save_settings
from ohinspect.store.changes import Changes
from ohinspect.store.database import Store
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.errors import AuthError
from ohinspect.sync.session import SyncReport, enroll, normalise_url, run_sync
from ohinspect.sync.status import SyncStatus, sync_status
from ui.context import AppContext
from ui.sync.auto import AutoSync
from ui.sync.conflicts_view import ConflictsView
from ui.sync.enrol_dialog import EnrolDialog
from ui.tasks import if_alive, user_message
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE, WARNING_STYLE

POLL_MS = 150


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext, creds: CredentialStore | None = None, *,
                 auto_start: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.creds: CredentialStore | None = None
        self._auto_run = False
        self.status: SyncStatus | None = None
        self.reporter: Reporter | None = None
        self.last_report: SyncReport | None = None

        self.server = QLineEdit(ctx.settings.sync_server_url)
        self.server.setPlaceholderText("https://")
        self.server.editingFinished.connect(self._server_edited)
        self.enrol_button = QPushButton(tr("sync_ui.enrol"))
        self.enrol_button.clicked.connect(lambda: self.ask_enrolment(then_sync=False))
        self.enrolled = QLabel()
        self.keyring = QLabel()
        self.keyring.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("sync_ui.server")))
        row.addWidget(self.server, 1)
        row.addWidget(self.enrol_button)
        self.auto_box = QCheckBox(tr("sync_ui.auto"))
        self.auto_box.setChecked(ctx.settings.auto_sync)
        self.auto_box.toggled.connect(self._auto_toggled)
        platform_box = QGroupBox(tr("sync_ui.platform"))
        pl = QVBoxLayout(platform_box)
        pl.addLayout(row)
        pl.addWidget(self.enrolled)
        pl.addWidget(self.keyring)
        pl.addWidget(self.auto_box)

        self.last = QLabel()
        self.waiting = QLabel()
        self.sync_button = QPushButton(tr("sync_ui.sync_now"))
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button = QPushButton(tr("ui.cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress_text = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.sync_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.progress, 1)
        state_box = QGroupBox(tr("sync_ui.state"))
        sl = QVBoxLayout(state_box)
        sl.addWidget(self.last)
        sl.addWidget(self.waiting)
        sl.addLayout(actions)
        sl.addWidget(self.progress_text)
        sl.addWidget(self.message)

        self.conflicts = ConflictsView(ctx)
        self.conflicts.sig_resolved.connect(self.refresh)
        conflicts_box = QGroupBox(tr("sync_ui.conflicts_title"))
        QVBoxLayout(conflicts_box).addWidget(self.conflicts)

        layout = QVBoxLayout(self)
        layout.addWidget(platform_box)
        layout.addWidget(state_box)
        layout.addWidget(conflicts_box, 1)

        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._show_progress)
        self.auto = AutoSync(ctx.runner, self.server_url, lambda: ctx.settings.auto_sync,
                             self.busy, self._has_waiting, lambda: self.start_sync(auto=True),
                             self)
        ctx.sig_changed.connect(self._on_changes)
        self._set_running(False)
        self.refresh()
        self.auto_start = auto_start
        #: enrolment asked for before the credentials were read (then_sync), else None
        self.enrol_when_ready: bool | None = None
        creds = creds if creds is not None else ctx.credentials
        if creds is not None:
            self._creds_ready(creds)
        else:  # finding the keyring may talk to the desktop's secret service: not here
            ctx.runner.run(CredentialStore, on_done=self._creds_ready)

    @if_alive
    def _creds_ready(self, creds: CredentialStore) -> None:
        self.creds = self.ctx.credentials = creds
        self.keyring.setText(tr("sync_ui.keyring_ok") if creds.persistent
                             else tr("sync_ui.keyring_none"))
        self.keyring.setStyleSheet(NOTE_STYLE if creds.persistent else WARNING_STYLE)
        self.sync_button.setEnabled(not self.busy())
        self.enrol_button.setEnabled(not self.busy())
        if self.enrol_when_ready is not None:
            self.ask_enrolment(then_sync=self.enrol_when_ready)
            self.enrol_when_ready = None
        elif self.auto_start:
            self.auto.start()

    # --- state ----------------------------------------------------------------------------
    def server_url(self) -> str:
        return normalise_url(self.server.text())

    def busy(self) -> bool:
        return self.reporter is not None or self.creds is None

    def _has_waiting(self) -> bool:
        return self.status is not None and (self.status.records > 0 or self.status.photos > 0)

    def refresh(self) -> None:
        self.ctx.read(sync_status, on_done=self._status_loaded)
        self.conflicts.refresh()

    @if_alive
    def _status_loaded(self, status: SyncStatus) -> None:
        self.status = status
        if not self.server.text() and status.server_url:
            self.server.setText(status.server_url)
        self.enrolled.setText(tr("sync_ui.enrolled", user=status.user, role=status.role,
                                 jurisdiction=status.jurisdiction) if status.user
                              else tr("sync_ui.not_enrolled"))
        self.last.setText(tr("sync_ui.last", at=status.last_success_at.replace("T", " ")[:19])
                          if status.last_success_at else tr("sync_ui.never"))
        self.waiting.setText(tr("sync_ui.waiting", records=status.records, photos=status.photos,
                                size=_size(status.bytes)))

    def _on_changes(self, changes: Changes) -> None:
        if not self.busy():
            self.ctx.read(sync_status, on_done=self._status_loaded)

    def _server_edited(self) -> None:
        url = self.server_url()
        if url != self.ctx.settings.sync_server_url:
            self.ctx.settings.sync_server_url = url
            self._save_settings()

    def _auto_toggled(self, on: bool) -> None:
        self.ctx.settings.auto_sync = on
        self._save_settings()
        if on:
            self.auto.start()

    def _save_settings(self) -> None:
        self.ctx.runner.run(save_settings, self.ctx.store.data_dir, self.ctx.settings,
                            on_error=lambda exc: self._say(user_message(exc), ERROR_STYLE))

    # --- enrolment ------------------------------------------------------------------------
    def ask_enrolment(self, then_sync: bool) -> None:
        url = self.server_url()
        if not url:
            self._say(tr("sync.error.no_server"), ERROR_STYLE)
            return
        if self.creds is None:  # still being read off the GUI thread: ask once it is ready
            self.enrol_when_ready = then_sync
            return
        note = "" if self.creds.persistent else tr("sync_ui.keyring_none")
        user = self.status.user if self.status is not None else ""
        dialog = EnrolDialog(url, user, note, self)
        self.enrol_dialog = dialog

        def chosen(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                return
            self._say(tr("sync_ui.enrolling"), NOTE_STYLE)
            self.ctx.runner.run(enroll, self.ctx.store, self.creds, url,
                                dialog.user.text().strip(), dialog.password.text(),
                                on_done=lambda _e: self._enrolled(then_sync),
                                on_error=lambda exc: self._say(user_message(exc), ERROR_STYLE))

        dialog.finished.connect(chosen)
        dialog.open()

    @if_alive
    def _enrolled(self, then_sync: bool) -> None:
        self._say(tr("sync_ui.enrolled_ok"), OK_STYLE)
        self.refresh()
        if self.auto_start:
            self.auto.start()  # (again): it waited for the enrolment asked for at first run
        if then_sync:
            self.start_sync()

    # --- syncing --------------------------------------------------------------------------
    def start_sync(self, auto: bool = False) -> None:
        url = self.server_url()
        if self.busy():
            return
        if not url:
            if not auto:
                self._say(tr("sync.error.no_server"), ERROR_STYLE)
            return
        self._auto_run = auto
        self.reporter = Reporter()
        self._set_running(True)
        self._say(tr("sync_ui.running"), NOTE_STYLE)
        self.ctx.runner.run(_run, self.ctx.store, self.creds, url, self.reporter,
                            on_done=self._finished, on_error=self._failed)

    def cancel(self) -> None:
        if self.reporter is not None:
            self.reporter.cancel()
            self.progress_text.setText(tr("sync_ui.cancelling"))

    def _show_progress(self) -> None:
        r = self.reporter
        if r is None:
            return
        self.progress.setMaximum(r.total or 0)
        self.progress.setValue(min(r.done, r.total) if r.total else 0)
        self.progress_text.setText(r.message)

    @if_alive
    def _finished(self, report: SyncReport | None) -> None:
        self._set_running(False)
        if report is None:
            self._say(tr("sync_ui.cancelled"), WARNING_STYLE)
            self.refresh()
            return
        self.last_report = report
        self._say("\n".join(report.lines()), OK_STYLE if report.fully_done else WARNING_STYLE)
        if report.changes.record_types:
            self.ctx.announce(report.changes)
        self.refresh()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self._set_running(False)
        self.refresh()
        if isinstance(exc, AuthError) and exc.code == "not_enrolled" and not self._auto_run:
            self._say("", NOTE_STYLE)
            self.ask_enrolment(then_sync=True)  # the password, then the sync the user asked for
            return
        self._say(user_message(exc), ERROR_STYLE)

    def _set_running(self, running: bool) -> None:
        if not running:
            self.reporter = None
            self.poll.stop()
            self.progress_text.clear()
        else:
            self.poll.start()
        self.sync_button.setEnabled(not self.busy())
        self.enrol_button.setEnabled(not self.busy())
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)

    def _say(self, text: str, style: str) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KB"
    return f"{n} B"


def _run(store: Store, creds: CredentialStore, url: str, reporter: Reporter) -> SyncReport | None:
    """The session in the background; a cancel ends it quietly (None): what was committed
    stays, the next sync resumes from there."""
    try:
        return run_sync(store, creds, url, reporter)
    except Cancelled:
        return None
