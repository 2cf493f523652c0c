"""The editor's input widgets, one per ``EnterpriseInput`` field, with get/set by field name."""

from __future__ import annotations

from dataclasses import fields as dc_fields
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ohinspect.i18n import tr
from ohinspect.services.enterprise_rules import EnterpriseInput
from ui.enterprises import choices
from ui.enterprises.hazard_picker import HazardPicker
from ui.enterprises.widgets import SearchableCombo

FIELD_NAMES = tuple(f.name for f in dc_fields(EnterpriseInput))
#: form order = tab order; hazard_codes sits in the right-hand panel
FORM_ORDER = ("name", "uscc", "uscc_override_reason", "division_code", "address",
              "legal_representative", "contact_person", "contact_phone", "industry_code", "scale",
              "workforce", "exposed_count", "risk_rule_set", "risk_class", "notes")
REQUIRED = ("name", "uscc", "division_code")
MAX_PEOPLE = 9_999_999


def _line(max_length: int | None = None, placeholder_key: str | None = None) -> QLineEdit:
    edit = QLineEdit()
    if max_length:
        edit.setMaxLength(max_length)
    if placeholder_key:
        edit.setPlaceholderText(tr(placeholder_key))
    edit.setClearButtonEnabled(True)
    return edit


def _combo(items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(tr("ent_ui.editor.none"), "")
    for code, label in items:
        combo.addItem(label, code)
    return combo


class NotesEdit(QPlainTextEdit):
    """Multi-line notes that ask for four lines (not Qt's default 192 px) and Tab out."""

    LINES = 4

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 12)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * self.LINES + 12)


class EnterpriseFields:
    """Builds the widgets; ``collect()`` → draft/``EnterpriseInput`` values, ``fill(values)``."""

    def __init__(self) -> None:
        self.name = _line(200)
        self.uscc = _line(24, "ent_ui.editor.uscc_placeholder")
        self.uscc_override_reason = _line(None, "ent_ui.editor.reason_placeholder")
        self.division_code = SearchableCombo(free_text=True)
        self.division_code.set_choices(choices.division_choices())
        self.division_code.lineEdit().setPlaceholderText(tr("ent_ui.editor.division_placeholder"))
        self.division_code.set_code("", announce=False)
        self.address = _line(300)
        self.legal_representative = _line(60)
        self.contact_person = _line(60)
        self.contact_phone = _line(40)
        self.industry_code = SearchableCombo(free_text=True)
        self.industry_code.set_choices(choices.industry_choices(), tr("ent_ui.editor.none"))
        self.industry_code.lineEdit().setPlaceholderText(tr("ent_ui.editor.industry_placeholder"))
        self.scale = _combo(choices.scale_choices())
        self.workforce = _line(7, "ent_ui.editor.people_placeholder")
        self.exposed_count = _line(7, "ent_ui.editor.people_placeholder")
        for edit in (self.workforce, self.exposed_count):
            edit.setValidator(QIntValidator(0, MAX_PEOPLE, edit))
        self.risk_rule_set = QComboBox()
        for code, label in choices.rule_set_choices():
            self.risk_rule_set.addItem(label, code)
        self.risk_class = QComboBox()
        self.risk_rule_set.currentIndexChanged.connect(lambda _i: self._fill_classes())
        self.notes = NotesEdit()
        self.hazard_codes = HazardPicker()
        self.stored_rule_set = ""
        self.risk_rule_set.setCurrentIndex(
            max(0, self.risk_rule_set.findData(choices.default_rule_set())))
        self._fill_classes()

    def widget(self, name: str) -> QWidget:
        return getattr(self, name)

    def _fill_classes(self) -> None:
        current = self.risk_class.currentData() or ""
        self.risk_class.blockSignals(True)
        self.risk_class.clear()
        self.risk_class.addItem(tr("ent_ui.filter.unclassified"), "")
        for code, label in choices.risk_class_choices(self.risk_rule_set.currentData() or ""):
            self.risk_class.addItem(label, code)
        self.risk_class.setCurrentIndex(max(0, self.risk_class.findData(current)))
        self.risk_class.blockSignals(False)

    # -- values ----------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        """What the form holds, as JSON-ready values (numbers stay text: the service checks)."""
        risk_class = str(self.risk_class.currentData() or "")
        return {
            "name": self.name.text(),
            "uscc": self.uscc.text(),
            "uscc_override_reason": self.uscc_override_reason.text(),
            "division_code": self.division_code.code(),
            "address": self.address.text(),
            "legal_representative": self.legal_representative.text(),
            "contact_person": self.contact_person.text(),
            "contact_phone": self.contact_phone.text(),
            "industry_code": self.industry_code.code(),
            "scale": str(self.scale.currentData() or ""),
            "workforce": self.workforce.text().strip(),
            "exposed_count": self.exposed_count.text().strip(),
            "hazard_codes": self.hazard_codes.codes(),
            # a rule set means something only with a class: without one keep what is stored
            "risk_rule_set": str(self.risk_rule_set.currentData() or "") if risk_class
            else self.stored_rule_set,
            "risk_class": risk_class,
            "notes": self.notes.toPlainText(),
        }

    def to_input(self) -> EnterpriseInput:
        values = self.collect()
        for key in ("workforce", "exposed_count"):
            values[key] = values[key] or None
        return EnterpriseInput(**values)

    def fill(self, values: dict[str, Any]) -> None:
        """Show ``values`` (a record's or a draft's); unknown keys are ignored."""
        v = {k: values.get(k) for k in FIELD_NAMES}
        for key in ("name", "uscc", "uscc_override_reason", "address", "legal_representative",
                    "contact_person", "contact_phone", "workforce", "exposed_count"):
            self.widget(key).setText("" if v[key] is None else str(v[key]))  # type: ignore[attr-defined]
        self.division_code.set_code(str(v["division_code"] or ""), announce=False)
        self.industry_code.set_code(str(v["industry_code"] or ""), announce=False)
        self.scale.setCurrentIndex(max(0, self.scale.findData(v["scale"] or "")))
        rule_set = str(v["risk_rule_set"] or "") or choices.default_rule_set()
        self.risk_rule_set.setCurrentIndex(max(0, self.risk_rule_set.findData(rule_set)))
        self._fill_classes()
        self.risk_class.setCurrentIndex(max(0, self.risk_class.findData(v["risk_class"] or "")))
        self.notes.setPlainText(str(v["notes"] or ""))
        self.hazard_codes.set_codes(list(v["hazard_codes"] or []))
