"""Editor forms: each field in a row with its message right under it, the rows in a scrolling
column, drafts written as the user edits, and a save's problems shown next to their fields
(the first one focused)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ui.widgets.combos import SearchableCombo
from ui.widgets.messages import ERROR_STYLE, WARNING_STYLE, MessageLabel


class FieldSet:
    """An editor's input widgets as attributes named after their fields."""

    def widget(self, name: str) -> QWidget:
        return getattr(self, name)  # type: ignore[no-any-return]


def field_form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setVerticalSpacing(3)
    return form


def add_field_row(form: QFormLayout, label: str, widget: QWidget, message: MessageLabel, *,
                  above: QWidget | None = None, below: QWidget | None = None) -> QWidget:
    """``label`` (its buddy is ``widget``), then ``widget`` with ``message`` right under it (and
    ``above`` / ``below`` it, a hint); returns the row's cell, for ``setRowVisible``."""
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(1)
    box.addWidget(widget)
    if above is not None:
        box.insertWidget(0, above)
    if below is not None:
        box.addWidget(below)
    box.addWidget(message)
    buddy = QLabel(label)
    buddy.setBuddy(widget)
    form.addRow(buddy, cell)
    return cell


def scroll_column(form: QFormLayout) -> QScrollArea:
    """The rows of ``form`` in a frameless area that scrolls when the window is short."""
    column = QWidget()
    column.setLayout(form)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(column)
    return scroll


def form_beside_panel(form: QFormLayout, panel: QWidget) -> QWidget:
    """The form's scrolling column (three fifths of the width) with ``panel`` to its right."""
    body = QWidget()
    layout = QHBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll_column(form), 3)
    layout.addWidget(panel, 2)
    return body


def group_box(title: str, first: QWidget, *rest: QWidget, stretch: int = 0) -> QGroupBox:
    """A titled panel: ``first`` (with ``stretch``) above ``rest``."""
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(first, stretch)
    for widget in rest:
        layout.addWidget(widget)
    return box


def watch_field(widget: QWidget, message: MessageLabel, schedule: Callable[[], None],
                flush: Callable[[], None]) -> None:
    """Editing hides the field's message and writes a draft: ``schedule`` while typing,
    ``flush`` at once when a choice is made or the field is left."""
    hide = lambda *_a: message.hide()  # noqa: E731
    if isinstance(widget, SearchableCombo):
        widget.lineEdit().textEdited.connect(schedule)
        widget.lineEdit().textEdited.connect(hide)
        widget.sig_code_changed.connect(lambda _c: flush())
    elif isinstance(widget, QLineEdit):
        widget.textEdited.connect(schedule)
        widget.textEdited.connect(hide)
        widget.editingFinished.connect(flush)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda _i: flush())
        widget.currentIndexChanged.connect(hide)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(schedule)


class FieldMessages(dict[str, MessageLabel]):
    """One :class:`MessageLabel` per field, in form order."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__((name, MessageLabel()) for name in names)

    def clear_messages(self) -> None:
        for label in self.values():
            label.show_messages([])

    def show_problems(self, problems: Sequence[FieldProblem], *, fallback: str | None = None,
                      texts: Callable[[str, list[str]], list[str]] | None = None
                      ) -> tuple[dict[str, list[FieldProblem]], list[str]]:
        """Clear every message, then show each field's problems under it: amber when a reason
        may override them all, else red (``texts(field, messages)`` may reword them). A problem
        of a field the form lacks goes under ``fallback``; without one it is returned in the
        general list. Returns ``(problems by field, general messages)``."""
        self.clear_messages()
        by_field: dict[str, list[FieldProblem]] = {}
        general: list[str] = []
        for p in problems:
            field = p.field if p.field in self else fallback
            if field is None:
                general.append(p.message)
            else:
                by_field.setdefault(field, []).append(p)
        for name, items in by_field.items():
            style = WARNING_STYLE if all(p.overridable for p in items) else ERROR_STYLE
            messages = [p.message for p in items]
            self[name].show_messages(texts(name, messages) if texts else messages, style)
        return by_field, general

    def first(self, fields: Iterable[str]) -> str | None:
        """The first of ``fields`` in form order."""
        wanted = set(fields)
        return next((name for name in self if name in wanted), None)


def show_summary(summary: MessageLabel, problems: Sequence[FieldProblem], need_reason_key: str,
                 fix_key: str, extra: Sequence[str] = ()) -> bool:
    """The line under the form after a refused save: "give a reason" (amber) when a reason may
    override every problem, else "correct the fields" (red); True in the first case."""
    only_warnings = all(p.overridable for p in problems)
    head = tr(need_reason_key) if only_warnings else tr(fix_key)
    summary.show_messages([head, *extra], WARNING_STYLE if only_warnings else ERROR_STYLE)
    return only_warnings
