"""A small add/edit dialog: labelled fields (text or a choice list), the message of each field
under it, and OK running the write in the background (``ctx.perform``); a refusal shows each
problem under its field and keeps the dialog open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ohinspect.errors import ValidationError
from ohinspect.i18n import tr
from ui.context import AppContext
from ui.tasks import if_alive, user_message
from ui.widgets.combos import code_combo, select_code
from ui.widgets.dialogs import fit_to_screen, ok_cancel_buttons
from ui.widgets.messages import MessageLabel

#: what OK runs: values → (operation, positional args after store and actor, keyword args)
Submit = Callable[[dict[str, str]], tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class FieldSpec:
    name: str                                   # the input's field name (problems name it)
    label_key: str
    choices: tuple[tuple[str, str], ...] | None = None   # (code, label); None = free text
    value: str = ""
    placeholder_key: str = ""


class RecordDialog(QDialog):
    def __init__(self, ctx: AppContext, title: str, specs: list[FieldSpec], submit: Submit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.submit = ctx, submit
        self.setWindowTitle(title)
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, MessageLabel] = {}
        form = QFormLayout()
        for spec in specs:
            widget: QLineEdit | QComboBox
            if spec.choices is not None:
                widget = code_combo(list(spec.choices))
                select_code(widget, spec.value)
            else:
                widget = QLineEdit(spec.value)
                if spec.placeholder_key:
                    widget.setPlaceholderText(tr(spec.placeholder_key))
            widget.setObjectName(f"inst_field_{spec.name}")
            self.inputs[spec.name] = widget
            self.errors[spec.name] = MessageLabel()
            form.addRow(tr(spec.label_key), widget)
            form.addRow("", self.errors[spec.name])
        self.general = MessageLabel()
        buttons, self.ok, _cancel = ok_cancel_buttons(tr("inst_ui.save"), self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        fit_to_screen(self, 460)

    def values(self) -> dict[str, str]:
        return {name: (str(w.currentData() or "") if isinstance(w, QComboBox) else w.text())
                for name, w in self.inputs.items()}

    def save(self) -> None:
        for label in (*self.errors.values(), self.general):
            label.show_messages([])
        op, args, kwargs = self.submit(self.values())
        self.ok.setEnabled(False)
        self.ctx.perform(op, *args, on_done=self._done, on_error=self._failed, **kwargs)

    @if_alive
    def _done(self, _result: object) -> None:
        self.accept()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, ValidationError):
            general = []
            for p in exc.problems:
                if p.field in self.errors:
                    self.errors[p.field].show_messages([p.message])
                else:
                    general.append(p.message)
            self.general.show_messages(general)
        else:
            self.general.show_messages([user_message(exc)])
