"""The review queue: filters, the records, and the decision on the selected one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDateEdit,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QTableWidget,
                               QVBoxLayout, QWidget)

from ohinspect.errors import ValidationError
from ohinspect.i18n import tr
from ohinspect.services.review import QueueFilter, ReviewItem, decide, review_queue
from ohinspect.services.review_queue import DECIDED, UNDECIDED
from ohinspect.services.review_rules import CLOSURE_KIND, load_rules
from ohinspect.store.changes import OpResult
from ohinspect.store.models.review import DECISIONS
from ui.context import AppContext
from ui.review.photos import PhotoStrip
from ui.review.records import PDF_KINDS, open_record, render_pdf
from ui.review.table_rows import fill_rows
from ui.tasks import if_alive, user_message
from ui.widgets.inputs import NotesEdit
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE, MessageLabel
from ui.widgets.wrap_layout import WrapLayout, labelled

#: widest a record or unit column grows before its text is elided
TEXT_COLUMN_PX = 220
COLUMNS = ("day", "kind", "title", "enterprise", "division", "author", "decision")


def decision_label(item: ReviewItem) -> str:
    if item.decision is None:
        return tr("rev_ui.undecided")
    label = tr(f"review.decision.{item.decision.decision}")
    return label if item.decided else tr("rev_ui.outdated", decision=label)


def _qdate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class QueueTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.items: list[ReviewItem] = []
        self.jurisdiction = QLineEdit()
        self.jurisdiction.setPlaceholderText("6210")
        self.author = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItem(tr("rev_ui.filter.kind_all"), "")
        rules = load_rules()
        for kind in (*rules.inspection_kinds, "sampling_task", CLOSURE_KIND):
            self.kind.addItem(tr(f"review.kind.{kind}"), kind)
        self.state = QComboBox()
        for key, value in (("state_undecided", UNDECIDED), ("state_all", ""),
                           ("state_decided", DECIDED)):
            self.state.addItem(tr(f"rev_ui.filter.{key}"), value)
        self.use_dates = QCheckBox(tr("rev_ui.filter.dates"))
        today = QDate.currentDate()
        self.since, self.until = QDateEdit(today.addMonths(-3)), QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        apply = QPushButton(tr("rev_ui.filter.apply"))
        apply.clicked.connect(self.refresh)
        for signal in (self.kind.currentIndexChanged, self.state.currentIndexChanged):
            signal.connect(self.refresh)
        for edit in (self.jurisdiction, self.author):
            edit.returnPressed.connect(self.refresh)
        bar = WrapLayout()  # wraps onto a second row on a small screen or in English
        for label, widget in (("jurisdiction", self.jurisdiction), ("author", self.author),
                              ("kind", self.kind), ("state", self.state)):
            bar.addWidget(labelled(tr(f"rev_ui.filter.{label}"), widget))
        bar.addWidget(labelled("", self.use_dates, self.since, QLabel("–"), self.until))
        bar.addWidget(apply)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(f"rev_ui.col.{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda *_: self.open_selected())
        self.count = QLabel()

        self.open_button = QPushButton(tr("rev_ui.open"))
        self.open_button.clicked.connect(self.open_selected)
        self.pdf_button = QPushButton(tr("rev_ui.pdf"))
        self.pdf_button.clicked.connect(self.make_pdf)
        self.radios = QButtonGroup(self)
        decision_box = QGroupBox(tr("rev_ui.decision.box"))
        dl = QVBoxLayout(decision_box)
        row = QVBoxLayout()  # one per line: the side panel stays narrow
        for n, decision in enumerate(DECISIONS):
            radio = QRadioButton(tr(f"review.decision.{decision}"))
            radio.setProperty("decision", decision)
            self.radios.addButton(radio, n)
            row.addWidget(radio)
        self.radios.button(0).setChecked(True)
        dl.addLayout(row)
        dl.addWidget(QLabel(tr("rev_ui.decision.comments")))
        self.comments = NotesEdit()
        dl.addWidget(self.comments)
        self.save_button = QPushButton(tr("rev_ui.decision.save"))
        self.save_button.clicked.connect(self.save_decision)
        dl.addWidget(self.save_button)
        self.message = MessageLabel()
        self.photos = PhotoStrip(ctx)
        side = QVBoxLayout()
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.pdf_button)
        side.addLayout(actions)
        side.addWidget(self.photos, 1)
        side.addWidget(decision_box)
        side.addWidget(self.message)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(body, 1)
        layout.addWidget(self.count)
        self._selected()

    # -- reading ---------------------------------------------------------------------------------
    def filters(self) -> QueueFilter:
        dates = self.use_dates.isChecked()
        return QueueFilter(jurisdiction=self.jurisdiction.text().strip(),
                           author=self.author.text().strip(), kind=self.kind.currentData(),
                           since=_qdate(self.since.date()) if dates else None,
                           until=_qdate(self.until.date()) if dates else None,
                           state=self.state.currentData())

    def refresh(self) -> None:
        self._read("")

    def _read(self, note: str) -> None:
        """Read the queue in the background; only the latest read is shown (a refresh from
        showing the page may finish after the one that follows a decision: its stale list
        would replace the new one and clear the "decision saved" message)."""
        self.ctx.read(review_queue, self.filters(), on_done=lambda items: self._rows(items, note),
                      latest=f"review.queue.{id(self)}")

    @if_alive
    def _rows(self, items: list[ReviewItem], note: str = "") -> None:
        current = self.current()
        self.items = items
        fill_rows(self.table, [(item.day.isoformat(), tr(f"review.kind.{item.kind}"), item.title,
                                item.enterprise, item.division_code, item.author,
                                decision_label(item)) for item in items])
        for c in (2, 3):   # long findings and unit names are elided (full text in the tooltip)
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), TEXT_COLUMN_PX))
        self.count.setText(tr("rev_ui.count", count=len(items)))
        keep = next((r for r, i in enumerate(items) if current is not None
                     and i.record_id == current.record_id), 0 if items else -1)
        if keep >= 0:
            self.table.selectRow(keep)
        self._selected()
        if note:
            self.message.show_messages([note], OK_STYLE)

    def current(self) -> ReviewItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def select(self, record_id: str) -> None:
        row = next(r for r, i in enumerate(self.items) if i.record_id == record_id)
        self.table.selectRow(row)

    def _selected(self) -> None:
        item = self.current()
        for w in (self.open_button, self.save_button, self.comments):
            w.setEnabled(item is not None)
        self.pdf_button.setEnabled(item is not None and item.kind in PDF_KINDS)
        if item is None:
            self.photos.show_nothing()
        elif self.photos.key != (item.record_type, item.record_id):
            self.photos.show_record(item.record_type, item.record_id)
        if item is not None and item.decision is not None and item.decided:
            self.radios.button(DECISIONS.index(item.decision.decision)).setChecked(True)
            self.comments.setPlainText(item.decision.comments)
        elif item is not None:
            self.radios.button(0).setChecked(True)
            self.comments.clear()
        self.message.show_messages([])

    # -- acting ----------------------------------------------------------------------------------
    def open_selected(self) -> None:
        item = self.current()
        if item is not None:
            open_record(self.ctx, item.kind, item.record_id, item.enterprise_id, self)

    def make_pdf(self) -> None:
        item = self.current()
        if item is None:
            return
        self.message.show_messages([tr("rev_ui.pdf_busy")], NOTE_STYLE)
        self.ctx.runner.run(render_pdf, self.ctx.store, item.kind, item.record_id,
                            on_done=self._pdf_done, on_error=self._failed)

    @if_alive
    def _pdf_done(self, path: object) -> None:
        self.message.show_messages([tr("rev_ui.pdf_done", path=path)], OK_STYLE)

    def save_decision(self) -> None:
        item = self.current()
        if item is None:
            self.message.show_messages([tr("rev_ui.select_first")])
            return
        decision = self.radios.checkedButton().property("decision")
        self.ctx.perform(decide, item.record_type, item.record_id, decision,
                         self.comments.toPlainText(), role=self.ctx.settings.role,
                         on_done=lambda r, d=decision: self._decided(r, d),
                         on_error=self._failed)

    @if_alive
    def _decided(self, _result: OpResult, decision: str) -> None:
        self._read(tr("rev_ui.decision.saved", decision=tr(f"review.decision.{decision}")))

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.message.show_messages([p.message for p in exc.problems], ERROR_STYLE)
        else:
            self.message.show_messages([user_message(exc)], ERROR_STYLE)
