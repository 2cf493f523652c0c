"""The 双随机 draw: how many projects and which seed (empty = a random one), then the drawn
projects and inspectors with the seed that reproduces them; the service writes all of it to the
audit log."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ohinspect.errors import ValidationError
from ohinspect.i18n import tr
from ohinspect.services.coverage import DrawResult, random_draw
from ui.context import AppContext
from ui.coverage.queries import DrawDetails, draw_details
from ui.projects.choices import risk_label
from ui.tasks import if_alive
from ui.widgets.choices import division_name
from ui.widgets.dialogs import fit_to_screen
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE, MessageLabel

MAX_SEED_DIGITS = 20   # seeds are unsigned 64-bit numbers


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class DrawDialog(QDialog):
    """``sig_drawn(DrawResult)`` after each draw; ``sig_open_project(project_id)``."""

    sig_drawn = Signal(object)
    sig_open_project = Signal(str)

    def __init__(self, ctx: AppContext, jurisdiction: str, year: int, default_count: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draw_dialog")
        self.ctx, self.jurisdiction, self.year = ctx, jurisdiction, year
        self.drawing = False
        self.details: DrawDetails | None = None
        self.setWindowTitle(tr("cov_ui.draw.window_title"))
        where = division_name(jurisdiction) if jurisdiction else tr("cov_ui.all_divisions")
        scope = QLabel(tr("cov_ui.draw.scope", division=where, year=year))
        scope.setWordWrap(True)
        self.count = QSpinBox()
        self.count.setObjectName("draw_count")
        self.count.setRange(0, 9999)
        self.count.setValue(default_count)
        self.count.setToolTip(tr("cov_ui.draw.count_hint"))
        self.seed = QLineEdit()
        self.seed.setObjectName("draw_seed")
        self.seed.setPlaceholderText(tr("cov_ui.draw.seed_placeholder"))
        self.seed.setValidator(QRegularExpressionValidator(
            QRegularExpression(f"[0-9]{{0,{MAX_SEED_DIGITS}}}"), self.seed))
        self.seed.setClearButtonEnabled(True)
        self.count_error = MessageLabel()
        self.seed_error = MessageLabel()
        self.draw_button = QPushButton(tr("cov_ui.draw.run"))
        self.draw_button.setObjectName("btn_run_draw")
        self.draw_button.setAutoDefault(False)
        self.draw_button.clicked.connect(self.run_draw)
        form = QFormLayout()
        for key, widget, error in (("cov_ui.draw.count", self.count, self.count_error),
                                   ("cov_ui.draw.seed", self.seed, self.seed_error)):
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            label = QLabel(tr(key))
            label.setBuddy(widget)
            form.addRow(label, cell)
        params = QGroupBox(tr("cov_ui.draw.params"))
        params_layout = QVBoxLayout(params)
        params_layout.addWidget(scope)
        row = QHBoxLayout()
        row.addLayout(form, 1)
        row.addWidget(self.draw_button, 0, Qt.AlignmentFlag.AlignBottom)
        params_layout.addLayout(row)

        self.message = MessageLabel()
        self.seed_label = QLabel()
        self.seed_label.setObjectName("draw_seed_used")
        self.seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.seed_label.setWordWrap(True)
        self.projects = _table([tr("prj_ui.col.name"), tr("prj_ui.col.enterprise"),
                                tr("prj_ui.col.risk")])
        self.projects.setObjectName("draw_projects")
        self.projects.doubleClicked.connect(lambda _i: self.open_selected())
        self.inspectors = _table([tr("cov_ui.draw.inspector_name"), tr("cov_ui.draw.id_no"),
                                  tr("cov_ui.draw.unit")])
        self.inspectors.setObjectName("draw_inspectors")
        self.inspectors.setMaximumHeight(self.inspectors.verticalHeader().defaultSectionSize() * 3
                                         + self.inspectors.horizontalHeader().sizeHint().height())
        self.audit_note = QLabel(tr("cov_ui.draw.audited"))
        self.audit_note.setObjectName("draw_audit_note")
        self.audit_note.setWordWrap(True)
        self.audit_note.setStyleSheet(OK_STYLE)
        self.result_box = QGroupBox(tr("cov_ui.draw.result"))
        result = QVBoxLayout(self.result_box)
        result.addWidget(self.seed_label)
        result.addWidget(QLabel(tr("cov_ui.draw.projects")))
        result.addWidget(self.projects, 1)
        result.addWidget(QLabel(tr("cov_ui.draw.inspectors")))
        result.addWidget(self.inspectors)
        result.addWidget(self.audit_note)
        self.result_box.hide()

        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(tr("cov_ui.draw.open_project"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAutoDefault(False)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        close = buttons.addButton(tr("prj_ui.dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        self.projects.itemSelectionChanged.connect(
            lambda: self.open_button.setEnabled(self.projects.currentRow() >= 0))
        layout = QVBoxLayout(self)
        layout.addWidget(params)
        layout.addWidget(self.message)
        layout.addWidget(self.result_box, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 560)

    # -- drawing ---------------------------------------------------------------------------
    def run_draw(self) -> None:
        if self.drawing:
            return
        text = self.seed.text().strip()
        seed = int(text) if text else None
        if seed is not None and seed >= 2**64:
            self.seed_error.show_messages([tr("cov_ui.draw.seed_too_large")])
            return
        for label in (self.count_error, self.seed_error, self.message):
            label.show_messages([])
        self.drawing = True
        self.draw_button.setEnabled(False)
        self.message.show_messages([tr("cov_ui.draw.running")], NOTE_STYLE)
        # the draw is a write (its audit entry) that changes no record: it runs on the serial
        # write pool like ctx.perform, and hands back a DrawResult instead of an OpResult
        self.ctx.runner.run(random_draw, self.ctx.store, self.ctx.actor, self.jurisdiction,
                            self.year, count=self.count.value(), seed=seed, write=True,
                            on_done=self._drawn, on_error=self._failed)

    @if_alive
    def _drawn(self, result: DrawResult) -> None:
        self.sig_drawn.emit(result)
        self.ctx.read(draw_details, result, self.jurisdiction, on_done=self._show)

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.drawing = False
        self.draw_button.setEnabled(True)
        self.message.show_messages([])
        if isinstance(exc, ValidationError):
            targets = {"count": self.count_error, "seed": self.seed_error}
            general = []
            for p in exc.problems:
                if p.field in targets:
                    targets[p.field].show_messages([p.message], ERROR_STYLE)
                else:
                    general.append(p.message)
            if general:
                self.message.show_messages(general, ERROR_STYLE)
        else:
            self.message.show_messages([tr("cov_ui.draw.failed")], ERROR_STYLE)
            self.ctx.runner.report_error(exc, self)

    @if_alive
    def _show(self, details: DrawDetails) -> None:
        self.drawing = False
        self.draw_button.setEnabled(True)
        self.details = details
        result = details.result
        self.seed_label.setText(tr("cov_ui.draw.seed_used", seed=result.seed))
        self.projects.setRowCount(len(details.projects))
        for i, row in enumerate(details.projects):
            for column, text in enumerate((row.name, row.enterprise_name,
                                           risk_label(row.risk_class))):
                self.projects.setItem(i, column, QTableWidgetItem(text))
        self.inspectors.setRowCount(len(details.inspectors))
        for i, person in enumerate(details.inspectors):
            for column, text in enumerate((person.name, person.id_no, person.unit)):
                self.inspectors.setItem(i, column, QTableWidgetItem(text))
        if not details.projects and not self.count.value():
            self.message.show_messages([tr("cov_ui.draw.zero_count")], NOTE_STYLE)
        elif not details.projects:
            self.message.show_messages([tr("cov_ui.draw.no_projects")], NOTE_STYLE)
        else:
            self.message.show_messages([tr("cov_ui.draw.drawn", count=len(details.projects))],
                                       OK_STYLE)
        self.result_box.show()

    def drawn_names(self) -> list[str]:
        return [self.projects.item(r, 0).text() for r in range(self.projects.rowCount())]

    def drawn_inspectors(self) -> list[str]:
        return [self.inspectors.item(r, 0).text() for r in range(self.inspectors.rowCount())]

    def open_selected(self) -> None:
        row = self.projects.currentRow()
        if self.details is None or not 0 <= row < len(self.details.projects):
            return
        self.sig_open_project.emit(self.details.projects[row].id)
        self.accept()
