"""Issue a 责令改正通知书 or 卫生监督意见书: pick the open findings of the party, the kind and the
deadline; Issue makes and numbers the notice in one write, then renders its PDF in the
background into the data folder's ``documents`` and offers to open it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from ohinspect.i18n import tr
from ohinspect.reports.notice import render_notice
from ohinspect.services.notices import KINDS, create_and_issue, kind_label
from ohinspect.services.rectification import open_items_for
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.tasks import if_alive, user_message
from ui.widgets.combos import code_combo
from ui.widgets.dialogs import fit_to_screen
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE, MessageLabel

DOCUMENTS_DIR = "documents"


class IssueNoticeDialog(QDialog):
    def __init__(self, ctx: AppContext, enterprise_id: str, inspection_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.enterprise_id, self.inspection_id = ctx, enterprise_id, inspection_id
        self.pdf: Path | None = None
        self.notice_id: str | None = None
        self.setWindowTitle(tr("ntc_ui.title"))
        self.items = QListWidget()
        self.items.setObjectName("ntc_items")
        self.items.setWordWrap(True)
        self.kind: QComboBox = code_combo([(k, kind_label(k)) for k in KINDS])
        self.kind.setObjectName("ntc_kind")
        self.deadline = QDateEdit()
        self.deadline.setObjectName("ntc_deadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        today = datetime.now().astimezone().date()
        self.deadline.setDate(QDate(today.year, today.month, today.day))
        self.messages = MessageLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.issue_button = QPushButton(tr("ntc_ui.issue"))
        self.issue_button.setObjectName("ntc_issue")
        self.issue_button.clicked.connect(self.issue)
        self.open_button = QPushButton(tr("ntc_ui.open_pdf"))
        self.open_button.setObjectName("ntc_open")
        self.open_button.clicked.connect(self.open_pdf)
        self.open_button.hide()
        close = QPushButton(tr("ntc_ui.close"))
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("ntc_ui.kind"), self.kind)
        form.addRow(tr("ntc_ui.deadline"), self.deadline)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.open_button, self.issue_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("ntc_ui.pick_findings")))
        layout.addWidget(self.items, 1)
        layout.addLayout(form)
        layout.addWidget(self.messages)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        fit_to_screen(self, 620, 460)
        ctx.read(open_items_for, enterprise_id, on_done=self._show_items)

    @if_alive
    def _show_items(self, rows: list) -> None:  # type: ignore[type-arg]
        self.items.clear()
        latest: date | None = None
        for row in rows:
            text = tr("ntc_ui.item", finding=row.finding, deadline=row.deadline.isoformat(),
                      source=row.source_ref or row.source_type)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if not self.inspection_id
                               or row.source_id == self.inspection_id else Qt.CheckState.Unchecked)
            self.items.addItem(item)
            latest = max(latest, row.deadline) if latest else row.deadline
        if latest is not None and latest > self.deadline.date().toPython():
            self.deadline.setDate(QDate(latest.year, latest.month, latest.day))
        if not rows:
            self.status.setStyleSheet(NOTE_STYLE)
            self.status.setText(tr("ntc_ui.no_open_items"))

    def checked_ids(self) -> list[str]:
        return [str(self.items.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.items.count())
                if self.items.item(i).checkState() == Qt.CheckState.Checked]

    def issue(self) -> None:
        self.messages.show_messages([])
        self.issue_button.setEnabled(False)
        self.status.setStyleSheet(NOTE_STYLE)
        self.status.setText(tr("ntc_ui.issuing"))
        self.ctx.perform(create_and_issue, kind=str(self.kind.currentData()),
                         enterprise_id=self.enterprise_id, inspection_id=self.inspection_id,
                         item_ids=self.checked_ids(), deadline=self.deadline.date().toPython(),
                         on_done=self._issued, on_error=self._failed)

    @if_alive
    def _issued(self, result: OpResult) -> None:
        self.notice_id = str(result.record_id)
        out = self.ctx.store.data_dir / DOCUMENTS_DIR / f"notice-{self.notice_id}.pdf"
        out.parent.mkdir(parents=True, exist_ok=True)
        self.status.setText(tr("ntc_ui.rendering"))
        self.ctx.runner.run(render_notice, self.ctx.store, self.notice_id, out,
                            on_done=self._rendered, on_error=self._failed)

    @if_alive
    def _rendered(self, path: Path) -> None:
        self.pdf = Path(path)
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(tr("ntc_ui.rendered", path=str(path)))
        self.open_button.show()
        self.open_button.setFocus()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.issue_button.setEnabled(self.notice_id is None)
        self.status.setText("")
        self.messages.show_messages([user_message(exc)], ERROR_STYLE)

    def open_pdf(self) -> None:
        if self.pdf is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf)))
