"""Returned to me: return decisions that came back by sync (or a batch) about records this
user made, with "Start correction" — an amendment of the locked inspection or sampling task,
or the returned rectification closure reopened for 复查, with the reviewer's comments as the
reason — and "Open correction" on the screen that edits it (ui/review/corrections.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QVBoxLayout, QWidget)

from ohinspect.errors import ValidationError
from ohinspect.i18n import tr
from ohinspect.services.review import ReturnedItem, returned_to_me, start_correction
from ohinspect.services.review_rules import CLOSURE_KIND
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.review.corrections import open_correction
from ui.review.table_rows import fill_rows
from ui.tasks import if_alive, user_message
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE, MessageLabel

COLUMNS = ("day", "kind", "title", "reviewer", "comments", "correction")
#: a long title (a closure's finding) is cut here, whole in its tooltip, so that the state of
#: the correction stays in view
TITLE_WIDTH = 320


def correction_label(item: ReturnedItem) -> str:
    if item.correction_id:
        return tr("rev_ui.returned.reopened" if item.kind == CLOSURE_KIND
                  else "rev_ui.returned.started")
    return tr("rev_ui.returned.not_started" if item.correctable else "rev_ui.returned.manual")


class ReturnedTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.items: list[ReturnedItem] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(f"rev_ui.col.{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = QLabel(tr("rev_ui.returned.none"))
        self.start_button = QPushButton(tr("rev_ui.returned.start"))
        self.start_button.clicked.connect(self.start)
        self.open_button = QPushButton(tr("rev_ui.returned.open"))
        self.open_button.clicked.connect(self.open_correction)
        self.message = MessageLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._selected()

    def refresh(self) -> None:
        self.ctx.read(returned_to_me, self.ctx.actor.user, on_done=self._rows,
                      latest=f"review.returned.{id(self)}")

    @if_alive
    def _rows(self, items: list[ReturnedItem], note: str = "") -> None:
        self.items = items
        self.empty.setVisible(not items)
        fill_rows(self.table, [(i.decision.decided_at.astimezone().strftime("%Y-%m-%d"),
                                tr(f"review.kind.{i.kind}"), i.title, i.decision.reviewer,
                                i.decision.comments, correction_label(i)) for i in items])
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), TITLE_WIDTH))
        if items:
            self.table.selectRow(max(0, min(self.table.currentRow(), len(items) - 1)))
        self._selected()
        if note:
            self.message.show_messages([note], OK_STYLE)

    def current(self) -> ReturnedItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _selected(self) -> None:
        item = self.current()
        self.start_button.setEnabled(item is not None and item.correction_id is None)
        self.open_button.setEnabled(item is not None and item.correction_id is not None)
        if item is not None and not item.correctable:
            self.message.show_messages([tr("review.error.no_amendment", comments=item.decision
                                           .comments, kind=tr(f"review.kind.{item.kind}"))],
                                       NOTE_STYLE)
        else:
            self.message.show_messages([])

    def start(self) -> None:
        item = self.current()
        if item is not None:
            self.ctx.perform(start_correction, item.decision.id, role=self.ctx.settings.role,
                             on_done=lambda r, it=item: self._started(r, it),
                             on_error=self._failed)

    @if_alive
    def _started(self, result: OpResult, item: ReturnedItem) -> None:
        done = tr("rev_ui.returned.reopened" if item.kind == CLOSURE_KIND
                  else "rev_ui.returned.started")
        self.ctx.read(returned_to_me, self.ctx.actor.user,
                      on_done=lambda items: self._rows(items, done),
                      latest=f"review.returned.{id(self)}")
        open_correction(self.ctx, item, str(result.record_id), self)

    def open_correction(self) -> None:
        item = self.current()
        if item is not None and item.correction_id:
            open_correction(self.ctx, item, item.correction_id, self)

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        messages = ([p.message for p in exc.problems] if isinstance(exc, ValidationError)
                    else [user_message(exc)])
        self.message.show_messages(messages, ERROR_STYLE)
