"""Search text (debounced), division, industry, risk-class and organisation-kind filters,
"show deleted"."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from ohinspect.i18n import tr
from ohinspect.services.enterprise_queries import EnterpriseFilter
from ui.enterprises import choices
from ui.widgets.choices import division_choices, industry_choices
from ui.widgets.combos import SearchableCombo, code_combo
from ui.widgets.filter_bar import DebouncedFilterBar


class FilterBar(DebouncedFilterBar):
    """``sig_filter_changed`` fires once the user pauses typing, or at once for the combos."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ent_search", "ent_ui.filter.search_placeholder", 200, parent)
        self.division = SearchableCombo()
        self.division.setObjectName("ent_division_filter")
        self.division.set_choices(division_choices(), tr("ent_ui.filter.all"))
        self.industry = SearchableCombo()
        self.industry.setObjectName("ent_industry_filter")
        self.industry.set_choices(industry_choices(filter_levels=True),
                                  tr("ent_ui.filter.all"))
        self.risk = code_combo(choices.risk_filter_choices(), tr("ent_ui.filter.all"))
        self.risk.setObjectName("ent_risk_filter")
        self.org_kind = code_combo(choices.org_kind_choices(), tr("ent_ui.filter.all"))
        self.org_kind.setObjectName("ent_org_kind_filter")
        self.show_deleted = QCheckBox(tr("ent_ui.filter.show_deleted"))
        self.show_deleted.setObjectName("ent_show_deleted")
        self._lay_out((("ent_ui.filter.division", self.division, 3),
                       ("ent_ui.filter.industry", self.industry, 2),
                       ("ent_ui.filter.risk", self.risk, 0),
                       ("inst_ui.filter.org_kind", self.org_kind, 0)), self.show_deleted)
        self._apply_at_once(self.division.sig_code_changed, self.industry.sig_code_changed,
                            self.risk.currentIndexChanged, self.org_kind.currentIndexChanged,
                            self.show_deleted.toggled)

    def current_filter(self) -> EnterpriseFilter:
        return EnterpriseFilter(
            text=self.search.text().strip(),
            division=self.division.code(),
            industry=self.industry.code(),
            risk_class=str(self.risk.currentData() or ""),
            show_deleted=self.show_deleted.isChecked(),
            org_kind=str(self.org_kind.currentData() or ""),
        )
