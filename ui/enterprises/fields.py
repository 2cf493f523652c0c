"""The editor's input widgets, one per ``EnterpriseInput`` field, with get/set by field name."""

from __future__ import annotations

from dataclasses import fields as dc_fields
from typing import Any

from PySide6.QtGui import QIntValidator

from ohinspect.i18n import tr
from ohinspect.services.enterprise_rules import DEFAULT_ORG_KIND, EnterpriseInput
from ui.enterprises import choices
from ui.widgets.code_fields import RiskClassFields, division_field, industry_field
from ui.widgets.combos import code_combo, select_code
from ui.widgets.hazard_picker import HazardPicker
from ui.widgets.inputs import NotesEdit, line_edit

FIELD_NAMES = tuple(f.name for f in dc_fields(EnterpriseInput))
#: form order = tab order; hazard_codes sits in the right-hand panel
FORM_ORDER = ("name", "uscc", "uscc_override_reason", "division_code", "address",
              "legal_representative", "contact_person", "contact_phone", "industry_code", "scale",
              "workforce", "exposed_count", "risk_rule_set", "risk_class", "org_kind", "notes")
REQUIRED = ("name", "uscc", "division_code")
MAX_PEOPLE = 9_999_999


class EnterpriseFields(RiskClassFields):
    """Builds the widgets; ``collect()`` → draft/``EnterpriseInput`` values, ``fill(values)``."""

    def __init__(self) -> None:
        self.name = line_edit(200)
        self.org_kind = code_combo(choices.org_kind_choices())
        self.uscc = line_edit(24, "ent_ui.editor.uscc_placeholder")
        self.uscc_override_reason = line_edit(None, "ent_ui.editor.reason_placeholder")
        self.division_code = division_field()
        self.address = line_edit(300)
        self.legal_representative = line_edit(60)
        self.contact_person = line_edit(60)
        self.contact_phone = line_edit(40)
        self.industry_code = industry_field()
        self.scale = code_combo(choices.scale_choices(), tr("ent_ui.editor.none"))
        self.workforce = line_edit(7, "ent_ui.editor.people_placeholder")
        self.exposed_count = line_edit(7, "ent_ui.editor.people_placeholder")
        for edit in (self.workforce, self.exposed_count):
            edit.setValidator(QIntValidator(0, MAX_PEOPLE, edit))
        self._make_risk_fields()
        self.notes = NotesEdit()
        self.hazard_codes = HazardPicker()

    # -- values ----------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        """What the form holds, as JSON-ready values (numbers stay text: the service checks)."""
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
            **self.risk_values(),
            "notes": self.notes.toPlainText(),
            "org_kind": str(self.org_kind.currentData() or ""),
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
        select_code(self.scale, v["scale"] or "")
        select_code(self.org_kind, v["org_kind"] or DEFAULT_ORG_KIND)
        self.fill_risk(v["risk_rule_set"], v["risk_class"])
        self.notes.setPlainText(str(v["notes"] or ""))
        self.hazard_codes.set_codes(list(v["hazard_codes"] or []))
