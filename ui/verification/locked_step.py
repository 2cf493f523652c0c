"""Step 5 (signed records): what was signed (for an audit its overall result), the documents
generated in the background (a verification's record and opinion, an audit's record), a notice
issued from the findings (ui.notices), and the way to correct a signed record — an amendment,
a new draft that references it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ohinspect.errors import OHInspectError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspections import amend
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.verification.data import document_file, document_kinds, is_audit, render_document
from ui.verification.model import FlowModel
from ui.widgets.dialogs import fit_to_screen, ok_cancel_buttons
from ui.widgets.inputs import NotesEdit
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE, MessageLabel

KINDS = ("record", "opinion", "audit")
GENERATE_KEYS = {"record": "ver_ui.locked.generate_record",
                 "opinion": "ver_ui.locked.generate_opinion",
                 "audit": "aud_ui.locked.generate_audit"}


class AmendDialog(QDialog):
    """Asks why the signed record is corrected; ``sig_amended(new_id)`` once the draft exists."""

    sig_amended = Signal(str)

    def __init__(self, ctx: AppContext, inspection_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amend_dialog")
        self.ctx, self.inspection_id = ctx, inspection_id
        self.setWindowTitle(tr("ver_ui.amend.title"))
        intro = QLabel(tr("ver_ui.amend.intro"))
        intro.setWordWrap(True)
        self.reason = NotesEdit()
        self.reason.setObjectName("amend_reason")
        self.reason.setPlaceholderText(tr("ver_ui.amend.placeholder"))
        self.error = MessageLabel()
        buttons, self.ok_button, _cancel = ok_cancel_buttons(tr("ver_ui.amend.ok"), self.submit,
                                                             self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        label = QLabel(tr("ver_ui.amend.reason"))
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, 260)

    def submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.ctx.perform(amend, self.inspection_id, self.reason.toPlainText(),
                         on_done=self._done, on_error=self._failed)

    def _done(self, result: OpResult) -> None:
        self.sig_amended.emit(result.record_id or "")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.error.show_messages([p.message for p in exc.problems])
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
        elif isinstance(exc, OHInspectError):
            self.error.show_messages([exc.user_message()])
        else:
            self.error.show_messages([tr("ver_ui.amend.failed")])
            self.ctx.runner.report_error(exc, self)


class LockedStep(QWidget):
    sig_open_inspection = Signal(str)      # an amendment to show

    def __init__(self, ctx: AppContext, model: FlowModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_locked")
        self.ctx, self.model = ctx, model
        self.amend_dialog: AmendDialog | None = None
        self.files: dict[str, Path] = {}
        self.busy: set[str] = set()
        self.heading = QLabel()
        self.heading.setObjectName("locked_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.facts = QFormLayout()
        self.facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fact_labels: dict[str, QLabel] = {}
        for key in ("record_number", "opinion_number", "overall_result", "locked_at", "findings",
                    "amends"):
            value = QLabel()
            value.setObjectName(f"fact_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[key] = value
            self.facts.addRow(tr("aud_ui.locked.overall_result") if key == "overall_result"
                              else tr(f"ver_ui.locked.{key}"), value)

        docs = QGroupBox(tr("ver_ui.locked.documents"))
        docs_box = QVBoxLayout(docs)
        self.generate_buttons: dict[str, QPushButton] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        self.doc_status: dict[str, QLabel] = {}
        self.doc_rows: dict[str, QWidget] = {}
        for kind in KINDS:
            generate = QPushButton(tr(GENERATE_KEYS[kind]))
            generate.setObjectName(f"btn_generate_{kind}")
            generate.setAutoDefault(False)
            generate.clicked.connect(lambda _c=False, k=kind: self.generate(k))
            status = QLabel()
            status.setObjectName(f"doc_status_{kind}")
            status.setWordWrap(True)
            status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            open_button = QPushButton(tr("ver_ui.locked.open_pdf"))
            open_button.setObjectName(f"btn_open_{kind}")
            open_button.setAutoDefault(False)
            open_button.clicked.connect(lambda _c=False, k=kind: self.open_file(k))
            open_button.hide()
            row_widget = QWidget()
            row = QHBoxLayout(row_widget)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(generate)
            row.addWidget(status, 1)
            row.addWidget(open_button)
            docs_box.addWidget(row_widget)
            self.generate_buttons[kind], self.doc_status[kind] = generate, status
            self.open_buttons[kind], self.doc_rows[kind] = open_button, row_widget
        self.notice_button = QPushButton(tr("aud_ui.locked.issue_notice"))
        self.notice_button.setObjectName("btn_issue_notice")
        self.notice_button.setAutoDefault(False)
        self.notice_button.setToolTip(tr("aud_ui.locked.issue_notice_hint"))
        self.notice_button.clicked.connect(self.issue_notice)
        self.notice_dialog: QDialog | None = None
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice_button)
        notice_row.addStretch(1)
        docs_box.addLayout(notice_row)

        corr = QGroupBox(tr("ver_ui.locked.correction"))
        corr_box = QHBoxLayout(corr)
        self.amend_button = QPushButton(tr("ver_ui.locked.amend"))
        self.amend_button.setObjectName("btn_amend")
        self.amend_button.setAutoDefault(False)
        self.amend_button.clicked.connect(self.start_amendment)
        self.amend_hint = QLabel(tr("ver_ui.locked.amend_hint"))
        self.amend_hint.setWordWrap(True)
        self.amend_hint.setStyleSheet(NOTE_STYLE)
        self.amendments_box = QVBoxLayout()
        corr_box.addWidget(self.amend_button)
        corr_box.addWidget(self.amend_hint, 1)
        corr_box.addLayout(self.amendments_box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addLayout(self.facts)
        layout.addWidget(docs)
        layout.addWidget(corr)
        layout.addStretch(1)

    def refresh(self) -> None:
        view = self.model.view
        ins = view.inspection
        self.heading.setText(tr("ver_ui.locked.heading"))
        self.fact_labels["record_number"].setText(ins.record_number or "—")
        self.fact_labels["opinion_number"].setText(ins.opinion_number or
                                                   tr("ver_ui.locked.no_opinion"))
        locked_at = ins.locked_at.astimezone().strftime("%Y-%m-%d %H:%M") if ins.locked_at else "—"
        self.fact_labels["locked_at"].setText(locked_at)
        self.fact_labels["findings"].setText(tr("ver_ui.locked.findings_count",
                                                count=len(view.findings)))
        audit = is_audit(view)
        self.fact_labels["overall_result"].setText(
            tr(f"audit.result.{ins.overall_result}") if ins.overall_result else "—")
        self.facts.setRowVisible(self.fact_labels["overall_result"], audit)
        self.facts.setRowVisible(self.fact_labels["opinion_number"], not audit)
        for kind, row in self.doc_rows.items():
            row.setVisible(kind in document_kinds(view))
        self.notice_button.setEnabled(bool(view.findings))
        amends = tr("ver_ui.locked.amends_text", reason=ins.amendment_reason) \
            if ins.amends_id else ""
        self.fact_labels["amends"].setText(amends)
        self.facts.setRowVisible(self.fact_labels["amends"], bool(amends))
        self.generate_buttons["opinion"].setEnabled(bool(ins.opinion_number)
                                                    and "opinion" not in self.busy)
        if not ins.opinion_number:
            self.doc_status["opinion"].setText(tr("ver_ui.locked.no_opinion"))
        while self.amendments_box.count():
            widget = self.amendments_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for n, other in enumerate(view.amendments, start=1):
            button = QPushButton(tr("ver_ui.locked.open_amendment", n=n,
                                    state=tr(f"ver_ui.state.{'locked' if other.locked_at else 'draft'}")))
            button.setObjectName(f"btn_open_amendment_{n}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, i=other.id: self.sig_open_inspection.emit(i))
            self.amendments_box.addWidget(button)
        open_draft = any(a.locked_at is None for a in view.amendments)
        self.amend_button.setEnabled(not open_draft)

    # -- documents ---------------------------------------------------------------------------
    def generate(self, kind: str) -> None:
        if kind in self.busy:
            return
        self.busy.add(kind)
        out = document_file(self.ctx.store, self.model.view, kind)
        self.generate_buttons[kind].setEnabled(False)
        self.open_buttons[kind].hide()
        self.doc_status[kind].setStyleSheet(NOTE_STYLE)
        self.doc_status[kind].setText(tr("ver_ui.locked.generating"))
        self.ctx.runner.run(render_document, self.ctx.store, kind, self.model.inspection_id, out,
                            on_done=lambda path, k=kind: self._generated(k, path),
                            on_error=lambda exc, k=kind: self._failed(k, exc))

    def _generated(self, kind: str, path: Path) -> None:
        self.busy.discard(kind)
        self.files[kind] = Path(path)
        self.generate_buttons[kind].setEnabled(True)
        self.doc_status[kind].setStyleSheet(OK_STYLE)
        self.doc_status[kind].setText(tr("ver_ui.locked.generated", path=str(path)))
        self.open_buttons[kind].show()
        self.open_buttons[kind].setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, kind: str, exc: BaseException) -> None:
        self.busy.discard(kind)
        self.generate_buttons[kind].setEnabled(True)
        message = exc.user_message() if isinstance(exc, OHInspectError) else \
            tr("ui.unexpected_error", error=f"{type(exc).__name__}: {exc}")
        self.doc_status[kind].setStyleSheet(ERROR_STYLE)
        self.doc_status[kind].setText(tr("ver_ui.locked.generate_failed", error=message))
        if not isinstance(exc, OHInspectError):
            self.ctx.runner.report_error(exc, self)

    def open_file(self, kind: str) -> None:
        path = self.files.get(kind)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- notice ------------------------------------------------------------------------------
    def issue_notice(self) -> None:
        """责令改正通知书 / 卫生监督意见书 from the findings (slice I's dialog)."""
        from ui.notices.dialog import IssueNoticeDialog

        if self.notice_dialog is not None:
            self.notice_dialog.raise_()
            return
        view = self.model.view
        dialog = IssueNoticeDialog(self.ctx, view.enterprise.id, view.inspection.id, self)
        dialog.setObjectName("issue_notice_dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._notice_closed)
        self.notice_dialog = dialog
        dialog.open()

    def _notice_closed(self, _result: int) -> None:
        self.notice_dialog = None

    # -- amendment ---------------------------------------------------------------------------
    def start_amendment(self) -> None:
        if self.amend_dialog is not None:
            self.amend_dialog.raise_()
            return
        dialog = AmendDialog(self.ctx, self.model.inspection_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_amended.connect(self.sig_open_inspection)
        dialog.finished.connect(self._amend_closed)
        self.amend_dialog = dialog
        dialog.open()

    def _amend_closed(self, _result: int) -> None:
        self.amend_dialog = None
