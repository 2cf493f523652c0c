"""Editor fields over the standard code tables: the division and industry searched by typing,
and the risk class with the rule set (分类依据) that defines it."""

from __future__ import annotations

from typing import Any

from ohinspect.i18n import tr
from ui.widgets import choices
from ui.widgets.combos import SearchableCombo, code_combo, refill_combo, select_code
from ui.widgets.field_form import FieldSet


def division_field() -> SearchableCombo:
    """The division (行政区划), required: no empty choice; unknown text is kept as typed."""
    combo = SearchableCombo(free_text=True)
    combo.set_choices(choices.division_choices())
    combo.lineEdit().setPlaceholderText(tr("ent_ui.editor.division_placeholder"))
    combo.set_code("", announce=False)
    return combo


def industry_field() -> SearchableCombo:
    """The industry (国民经济行业分类), optional; unknown text is kept as typed."""
    combo = SearchableCombo(free_text=True)
    combo.set_choices(choices.industry_choices(), tr("ent_ui.editor.none"))
    combo.lineEdit().setPlaceholderText(tr("ent_ui.editor.industry_placeholder"))
    return combo


class RiskClassFields(FieldSet):
    """For an editor's fields: ``risk_rule_set`` and ``risk_class`` combos, the classes following
    the chosen rule set (the default one at first). A rule set means something only with a
    class: without one the record keeps ``stored_rule_set``."""

    def _make_risk_fields(self) -> None:
        self.risk_rule_set = code_combo(choices.rule_set_choices())
        self.risk_class = code_combo([])
        self.stored_rule_set = ""
        select_code(self.risk_rule_set, choices.default_rule_set())
        self.risk_rule_set.currentIndexChanged.connect(lambda _i: self._fill_classes())
        self._fill_classes()

    def _fill_classes(self) -> None:
        refill_combo(self.risk_class, choices.risk_class_choices(
            self.risk_rule_set.currentData() or ""), tr("ent_ui.filter.unclassified"))

    def risk_values(self) -> dict[str, Any]:
        risk_class = str(self.risk_class.currentData() or "")
        rule_set = str(self.risk_rule_set.currentData() or "") if risk_class \
            else self.stored_rule_set
        return {"risk_rule_set": rule_set, "risk_class": risk_class}

    def fill_risk(self, rule_set: object, risk_class: object) -> None:
        select_code(self.risk_rule_set, str(rule_set or "") or choices.default_rule_set())
        self._fill_classes()
        select_code(self.risk_class, risk_class or "")
