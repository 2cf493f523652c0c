"""Search text (debounced), division, risk class and current stage filters of the project list."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from ohinspect.i18n import tr
from ohinspect.services.project_queries import ProjectFilter
from ui.enterprises import choices as ent_choices
from ui.enterprises.widgets import SearchableCombo
from ui.projects import choices

SEARCH_DELAY_MS = 150


class ProjectFilterBar(QWidget):
    """``sig_filter_changed`` fires once the user pauses typing, or at once for the combos."""

    sig_filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("prj_search")
        self.search.setPlaceholderText(tr("prj_ui.filter.search_placeholder"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.division = SearchableCombo()
        self.division.setObjectName("prj_division_filter")
        self.division.set_choices(ent_choices.division_choices(), tr("ent_ui.filter.all"))
        self.risk = QComboBox()
        self.risk.setObjectName("prj_risk_filter")
        self.risk.addItem(tr("ent_ui.filter.all"), "")
        for code, label in choices.risk_filter_choices():
            self.risk.addItem(label, code)
        self.stage = QComboBox()
        self.stage.setObjectName("prj_stage_filter")
        self.stage.addItem(tr("ent_ui.filter.all"), "")
        for code, label in choices.stage_choices():
            self.stage.addItem(label, code)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for key, widget, stretch in (("prj_ui.filter.division", self.division, 3),
                                     ("prj_ui.filter.risk", self.risk, 0),
                                     ("prj_ui.filter.stage", self.stage, 0)):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget, stretch)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.sig_filter_changed)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self.apply_now)
        self.division.sig_code_changed.connect(lambda _c: self.apply_now())
        self.risk.currentIndexChanged.connect(lambda _i: self.apply_now())
        self.stage.currentIndexChanged.connect(lambda _i: self.apply_now())

    def apply_now(self) -> None:
        self.timer.stop()
        self.sig_filter_changed.emit()

    def current_filter(self) -> ProjectFilter:
        return ProjectFilter(
            text=self.search.text().strip(),
            division=self.division.code(),
            risk_class=str(self.risk.currentData() or ""),
            stage=str(self.stage.currentData() or ""),
        )
