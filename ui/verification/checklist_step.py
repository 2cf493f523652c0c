"""Step 1: the checklist, item by item — the list with each item's state on the left, the
current item on the right. Keys: 1/2/3… answer, PgDn/PgUp next/previous item."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ohinspect.checklists.model import ChecklistItem
from ohinspect.i18n import tr
from ui.context import AppContext
from ui.verification.change_grade import ask_grade_change
from ui.verification.data import is_finding, option_label, options_for
from ui.verification.model import FlowModel
from ui.verification.photos import PhotoStrip
from ui.widgets.inputs import NotesEdit
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE, MessageLabel
from ui.widgets.wrap_layout import WrapLayout

COLOURS = {"open": "#bdbdbd", "ok": "#2e7d32", "finding": "#c62828", "na": "#78909c",
           "photo": "#ef6c00"}
BUTTON_STYLE = """
QPushButton {{ padding: 6px 14px; min-width: 88px; }}
QPushButton:checked {{ background: {colour}; color: white; border: 1px solid {colour};
                      border-radius: 3px; }}
"""


def _state_icon(state: str, colour: str) -> QIcon:
    """The item's state as a shape as well as a colour, so it reads in high contrast and for
    colour-blind users: open ○, ok ✓, finding ✗, not applicable –, photo missing !."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(colour), 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    if state == "open":
        painter.drawEllipse(3, 3, 10, 10)
    elif state == "ok":
        painter.drawPolyline([QPointF(2.5, 8.5), QPointF(6.5, 12.5), QPointF(13.5, 3.5)])
    elif state == "finding":
        painter.drawLine(QPointF(3.5, 3.5), QPointF(12.5, 12.5))
        painter.drawLine(QPointF(12.5, 3.5), QPointF(3.5, 12.5))
    elif state == "na":
        painter.drawLine(QPointF(3, 8), QPointF(13, 8))
    else:  # photo missing
        painter.drawLine(QPointF(8, 2.5), QPointF(8, 9.5))
        painter.drawPoint(QPointF(8, 13.5))
    painter.end()
    return QIcon(pixmap)


class ChecklistStep(QWidget):
    sig_all_answered = Signal()

    def __init__(self, ctx: AppContext, model: FlowModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_checklist")
        self.ctx, self.model = ctx, model
        self.current_id = ""
        self.read_only = False
        self.messages: dict[str, str] = {}
        self.answer_buttons: dict[str, QPushButton] = {}
        self._filling = False
        self._icons = {k: _state_icon(k, c) for k, c in COLOURS.items()}
        self._build()
        self._shortcuts()
        model.sig_answer_changed.connect(self._answer_changed)
        model.sig_item_message.connect(self._item_message)
        model.sig_photos_changed.connect(self._refresh_photos)
        model.sig_view_changed.connect(self._view_changed)
        model.sig_change_requested.connect(lambda i, g: ask_grade_change(self, model, i, g))
        self.fill_list()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setObjectName("item_list")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # elide
        self.list.setMinimumWidth(280)
        self.list.currentRowChanged.connect(self._row_changed)
        self.progress = QLabel()
        self.progress.setObjectName("progress")
        self.next_open_button = QPushButton(tr("ver_ui.item.next_open"))
        self.next_open_button.setObjectName("btn_next_open")
        self.next_open_button.setAutoDefault(False)
        self.next_open_button.clicked.connect(self.go_next_unanswered)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.next_open_button)
        left_box.addLayout(row)
        left_box.addWidget(self.list, 1)

        self.position = QLabel()
        self.position.setObjectName("item_position")
        self.position.setStyleSheet(NOTE_STYLE)
        self.position.setWordWrap(True)
        self.text = QLabel()
        self.text.setObjectName("item_text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.text.setFont(font)
        self.basis = QLabel()
        self.basis.setObjectName("item_basis")
        self.basis.setWordWrap(True)
        self.basis.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.basis.setStyleSheet(NOTE_STYLE)
        self.answer_row = WrapLayout()   # wraps on a narrow window rather than clipping labels
        self.answer_row.setContentsMargins(0, 0, 0, 0)
        self.answer_group = QButtonGroup(self)
        self.answer_group.setExclusive(True)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved_state")
        answers = QHBoxLayout()
        answers.addLayout(self.answer_row, 1)
        answers.addWidget(self.saved_label)
        self.message = MessageLabel()
        self.message.setObjectName("item_message")
        self.note_label = QLabel(tr("ver_ui.item.note"))
        self.note = NotesEdit()
        self.note.setObjectName("item_note")
        self.note.setPlaceholderText(tr("ver_ui.item.note_placeholder"))
        self.note_label.setBuddy(self.note)
        self.note.textChanged.connect(self._note_typed)
        self.note.installEventFilter(self)
        self.photos = PhotoStrip(self.ctx)
        self.photos.sig_add_files.connect(lambda paths: self.model.add_photos(self.current_id, paths))
        self.prev_button = QPushButton(tr("ver_ui.item.prev"))
        self.prev_button.setObjectName("btn_prev_item")
        self.next_button = QPushButton(tr("ver_ui.item.next"))
        self.next_button.setObjectName("btn_next_item")
        for b in (self.prev_button, self.next_button):
            b.setAutoDefault(False)
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.auto_advance = QCheckBox(tr("ver_ui.item.auto_advance"))
        self.auto_advance.setObjectName("auto_advance")
        self.auto_advance.setChecked(True)
        self.keys_hint = QLabel(tr("ver_ui.item.keys_hint"))
        self.keys_hint.setStyleSheet(NOTE_STYLE)
        self.keys_hint.setWordWrap(True)   # a long hint must not widen the window
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        nav.addWidget(self.auto_advance)
        nav.addWidget(self.keys_hint, 1, Qt.AlignmentFlag.AlignRight)

        detail = QWidget()
        box = QVBoxLayout(detail)
        box.setContentsMargins(12, 4, 12, 4)
        box.setSpacing(6)
        box.addWidget(self.position)
        box.addWidget(self.text)
        box.addWidget(self.basis)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        box.addWidget(line)
        box.addLayout(answers)
        box.addWidget(self.message)
        box.addWidget(self.note_label)
        box.addWidget(self.note)
        box.addWidget(self.photos)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(detail)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(scroll, 1)
        right_box.addLayout(nav)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 900])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _shortcuts(self) -> None:
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.answer_shortcuts = []
        for n in range(1, 10):
            for key in (QKeySequence(str(n)), QKeySequence(Qt.KeyboardModifier.KeypadModifier
                                                           | Qt.Key(Qt.Key.Key_0 + n))):
                shortcut = QShortcut(key, self, context=ctx)
                shortcut.activated.connect(lambda n=n: self.answer_nth(n))
                self.answer_shortcuts.append(shortcut)
        for key, delta in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_PageUp, -1)):
            shortcut = QShortcut(QKeySequence(key), self, context=ctx)
            shortcut.activated.connect(lambda d=delta: self.go(d))

    # -- list --------------------------------------------------------------------------------
    def fill_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for n, item in enumerate(self.model.items(), start=1):
            entry = QListWidgetItem(f"{n}. {item.text()}")
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.list.addItem(entry)
            self._decorate(n - 1)
        self.list.blockSignals(False)
        self._update_progress()

    def _decorate(self, row: int) -> None:
        entry = self.list.item(row)
        item = self.model.items()[row]
        answer = self.model.answers.get(item.id, "")
        if not answer:
            state = "open"
        elif is_finding(self.model.view, item, answer):
            state = "finding"
        elif "applicable" in answer:
            state = "na"
        else:
            state = "ok"
        missing = self.model.photo_missing(item)
        shown = "photo" if missing else state
        entry.setIcon(self._icons[shown])
        label = next((option_label(o) for o in options_for(self.model.view, item)
                      if o.code == answer), "")
        text = tr("ver_ui.item.list_photo_missing", text=item.text()) if missing else item.text()
        entry.setText(f"{row + 1}. {text}")   # the flag first: long texts are elided
        tip = [item.section(), item.text()]
        if label:
            tip.append(tr("ver_ui.item.answer_is", answer=label))
        entry.setToolTip("\n".join(tip))
        entry.setData(Qt.ItemDataRole.AccessibleTextRole,   # screen readers: state in words
                      f"{row + 1}. {tr(f'ver_ui.item.state.{shown}')}: {text}")

    def _row_of(self, item_id: str) -> int:
        for row, item in enumerate(self.model.items()):
            if item.id == item_id:
                return row
        return -1

    def _update_progress(self) -> None:
        total = len(self.model.items())
        done = len(self.model.answered())
        self.progress.setText(tr("ver_ui.item.progress", done=done, total=total))
        self.next_open_button.setEnabled(done < total)

    # -- showing an item ---------------------------------------------------------------------
    def current_item(self) -> ChecklistItem | None:
        row = self._row_of(self.current_id)
        return self.model.items()[row] if row >= 0 else None

    def show_item(self, item_id: str) -> None:
        row = self._row_of(item_id)
        if row < 0:
            return
        if self.list.currentRow() != row:
            self.list.setCurrentRow(row)   # → _row_changed → _show
        else:
            self._show(item_id)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        item_id = self.list.item(row).data(Qt.ItemDataRole.UserRole)
        if item_id != self.current_id:
            self.model.flush_note()
        self._show(item_id)

    def _show(self, item_id: str) -> None:
        self.current_id = item_id
        item = self.current_item()
        if item is None:
            return
        row = self._row_of(item_id)
        total = len(self.model.items())
        self.position.setText(tr("ver_ui.item.position", n=row + 1, total=total,
                                 section=item.section()))
        self.text.setText(item.text())
        self.basis.setText(tr("ver_ui.item.basis", basis=item.legal_basis) if item.legal_basis
                           else "")
        self.basis.setVisible(bool(item.legal_basis))
        self._build_answers(item)
        self._filling = True
        self.note.setPlainText(self.model.notes.get(item_id, ""))
        self._filling = False
        self._refresh_item_state()
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < total - 1)

    def _build_answers(self, item: ChecklistItem) -> None:
        for button in self.answer_group.buttons():
            self.answer_group.removeButton(button)
            self.answer_row.removeWidget(button)
            button.deleteLater()
        self.answer_buttons = {}
        for n, option in enumerate(options_for(self.model.view, item), start=1):
            button = QPushButton(tr("ver_ui.item.answer_button", n=n, label=option_label(option)))
            button.setObjectName(f"answer_{option.code}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setToolTip(tr("ver_ui.shortcut_hint", keys=str(n)))
            colour = COLOURS["finding"] if option.finding else (
                COLOURS["na"] if "applicable" in option.code else COLOURS["ok"])
            button.setStyleSheet(BUTTON_STYLE.format(colour=colour))
            button.setEnabled(not self.read_only)
            button.clicked.connect(lambda _c=False, code=option.code: self.answer(code))
            self.answer_group.addButton(button)
            self.answer_row.addWidget(button)
            self.answer_buttons[option.code] = button

    def _refresh_item_state(self) -> None:
        item = self.current_item()
        if item is None:
            return
        answer = self.model.answers.get(item.id, "")
        for code, button in self.answer_buttons.items():
            button.setChecked(code == answer)
        if not answer:
            self.answer_group.setExclusive(False)
            for button in self.answer_buttons.values():
                button.setChecked(False)
            self.answer_group.setExclusive(True)
        if self.read_only:
            self.saved_label.setText("")
        elif not answer:
            self.saved_label.setText(tr("ver_ui.item.unanswered"))
            self.saved_label.setStyleSheet(NOTE_STYLE)
        elif self.model.is_saved(item.id):
            self.saved_label.setText(tr("ver_ui.item.saved"))
            self.saved_label.setStyleSheet(OK_STYLE)
        else:
            self.saved_label.setText(tr("ver_ui.item.saving"))
            self.saved_label.setStyleSheet(NOTE_STYLE)
        self.photos.show_photos(self.model.photos(item.id), self.model.needs_photo(item))
        message = self.messages.get(item.id, "")
        self.message.show_messages([message] if message else [], ERROR_STYLE)

    # -- actions -----------------------------------------------------------------------------
    def answer(self, code: str) -> None:
        item = self.current_item()
        if item is None or self.read_only:
            return
        self.model.answer(item.id, code)
        finding = is_finding(self.model.view, item, code)
        if self.auto_advance.isChecked() and not finding and not self.model.photo_missing(item):
            self.advance_after_answer()
        elif finding:
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)   # say what was found

    def advance_after_answer(self) -> None:
        row = self._row_of(self.current_id)
        if row < len(self.model.items()) - 1:
            self.show_item(self.model.items()[row + 1].id)
        elif len(self.model.answered()) == len(self.model.items()):
            self.sig_all_answered.emit()

    def answer_nth(self, n: int) -> None:
        codes = list(self.answer_buttons)
        if 1 <= n <= len(codes) and not self.read_only:
            self.answer(codes[n - 1])

    def go(self, delta: int) -> None:
        row = self._row_of(self.current_id) + delta
        items = self.model.items()
        if 0 <= row < len(items):
            self.show_item(items[row].id)

    def go_next_unanswered(self) -> None:
        items = self.model.items()
        start = max(0, self._row_of(self.current_id))
        for item in items[start + 1:] + items[:start + 1]:
            if not self.model.answers.get(item.id):
                self.show_item(item.id)
                return

    def focus_item(self, item_id: str, message: str = "") -> None:
        """Jump to an item and show why (e.g. "unanswered" after a refused signing)."""
        if message:
            self.messages[item_id] = message
        self.show_item(item_id)
        self._refresh_item_state()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _note_typed(self) -> None:
        if self._filling or self.read_only or not self.current_id:
            return
        self.model.set_note(self.current_id, self.note.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note:
            if event.type() == QEvent.Type.FocusOut:
                self.model.flush_note()
            elif event.type() == QEvent.Type.KeyPress and event.key() in (  # type: ignore[attr-defined]
                    Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.go(1 if event.key() == Qt.Key.Key_PageDown else -1)  # type: ignore[attr-defined]
                return True
        return super().eventFilter(watched, event)

    # -- model signals -----------------------------------------------------------------------
    def _answer_changed(self, item_id: str) -> None:
        row = self._row_of(item_id)
        if row >= 0:
            self._decorate(row)
        if item_id == self.current_id:
            self._refresh_item_state()
        self._update_progress()

    def _item_message(self, item_id: str, message: str) -> None:
        if message:
            self.messages[item_id] = message
        else:
            self.messages.pop(item_id, None)
        if item_id == self.current_id:
            self.message.show_messages([message] if message else [], ERROR_STYLE)

    def _refresh_photos(self) -> None:
        for row in range(self.list.count()):
            self._decorate(row)
        self._refresh_item_state()

    def _view_changed(self) -> None:
        if [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())] \
                != [i.id for i in self.model.items()]:
            self.fill_list()
        else:
            for row in range(self.list.count()):
                self._decorate(row)
            self._update_progress()
        if self.current_id:
            self._refresh_item_state()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for button in self.answer_buttons.values():
            button.setEnabled(not read_only)
        self.note.setReadOnly(read_only)
        self.note.setEnabled(not read_only)
        self.note.setPlaceholderText("" if read_only else tr("ver_ui.item.note_placeholder"))
        self.keys_hint.setVisible(not read_only)
        self.auto_advance.setVisible(not read_only)
        self.photos.set_editable(not read_only)
        self.auto_advance.setEnabled(not read_only)
        for shortcut in self.answer_shortcuts:
            shortcut.setEnabled(not read_only)
