"""Search text (debounced), division, industry and risk-class filters, "show deleted"."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from ohinspect.i18n import tr
from ohinspect.services.enterprise_queries import EnterpriseFilter
from ui.enterprises import choices
from ui.enterprises.widgets import SearchableCombo

SEARCH_DELAY_MS = 150


class FilterBar(QWidget):
    """``sig_filter_changed`` fires once the user pauses typing, or at once for the combos."""

    sig_filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("ent_search")
        self.search.setPlaceholderText(tr("ent_ui.filter.search_placeholder"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.division = SearchableCombo()
        self.division.setObjectName("ent_division_filter")
        self.division.set_choices(choices.division_choices(), tr("ent_ui.filter.all"))
        self.industry = SearchableCombo()
        self.industry.setObjectName("ent_industry_filter")
        self.industry.set_choices(choices.industry_choices(filter_levels=True),
                                  tr("ent_ui.filter.all"))
        self.risk = QComboBox()
        self.risk.setObjectName("ent_risk_filter")
        self.risk.addItem(tr("ent_ui.filter.all"), "")
        for code, label in choices.risk_filter_choices():
            self.risk.addItem(label, code)
        self.show_deleted = QCheckBox(tr("ent_ui.filter.show_deleted"))
        self.show_deleted.setObjectName("ent_show_deleted")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for key, widget, stretch in (("ent_ui.filter.division", self.division, 3),
                                     ("ent_ui.filter.industry", self.industry, 2),
                                     ("ent_ui.filter.risk", self.risk, 0)):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget, stretch)
        layout.addWidget(self.show_deleted)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.sig_filter_changed)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self.apply_now)
        self.division.sig_code_changed.connect(lambda _c: self.apply_now())
        self.industry.sig_code_changed.connect(lambda _c: self.apply_now())
        self.risk.currentIndexChanged.connect(lambda _i: self.apply_now())
        self.show_deleted.toggled.connect(lambda _b: self.apply_now())

    def apply_now(self) -> None:
        self.timer.stop()
        self.sig_filter_changed.emit()

    def current_filter(self) -> EnterpriseFilter:
        return EnterpriseFilter(
            text=self.search.text().strip(),
            division=self.division.code(),
            industry=self.industry.code(),
            risk_class=str(self.risk.currentData() or ""),
            show_deleted=self.show_deleted.isChecked(),
        )
