"""Search text (debounced), division, risk class and current stage filters of the project list."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ohinspect.i18n import tr
from ohinspect.services.project_queries import ProjectFilter
from ui.projects import choices
from ui.widgets.choices import division_choices
from ui.widgets.combos import SearchableCombo, code_combo
from ui.widgets.filter_bar import DebouncedFilterBar


class ProjectFilterBar(DebouncedFilterBar):
    """``sig_filter_changed`` fires once the user pauses typing, or at once for the combos."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("prj_search", "prj_ui.filter.search_placeholder", 180, parent)
        self.division = SearchableCombo()
        self.division.setObjectName("prj_division_filter")
        self.division.set_choices(division_choices(), tr("ent_ui.filter.all"))
        self.risk = code_combo(choices.risk_filter_choices(), tr("ent_ui.filter.all"))
        self.risk.setObjectName("prj_risk_filter")
        self.stage = code_combo(choices.stage_choices(), tr("ent_ui.filter.all"))
        self.stage.setObjectName("prj_stage_filter")
        self._lay_out((("prj_ui.filter.division", self.division, 3),
                       ("prj_ui.filter.risk", self.risk, 0),
                       ("prj_ui.filter.stage", self.stage, 0)))
        self._apply_at_once(self.division.sig_code_changed, self.risk.currentIndexChanged,
                            self.stage.currentIndexChanged)

    def current_filter(self) -> ProjectFilter:
        return ProjectFilter(
            text=self.search.text().strip(),
            division=self.division.code(),
            risk_class=str(self.risk.currentData() or ""),
            stage=str(self.stage.currentData() or ""),
        )
