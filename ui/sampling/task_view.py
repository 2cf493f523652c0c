"""One sampling task: a header and the tabs; every tab shows the same TaskView read."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ui.context import AppContext
from ui.sampling.common import number_text
from ui.sampling.labels_action import LabelsAction
from ui.sampling.queries import TaskBundle, task_bundle
from ui.sampling.tab_samples import SamplesTab
from ui.sampling.tabs_field import CustodyTab, NoiseTab, PostsTab
from ui.sampling.tabs_lab import EvaluationTab, ResultsTab, SignTab
from ui.tasks import if_alive
from ui.widgets.wrap_layout import WrapLayout

if TYPE_CHECKING:
    from ui.sampling.page import SamplingPage


class TaskView(QWidget):
    def __init__(self, ctx: AppContext, page: SamplingPage) -> None:
        super().__init__()
        self.ctx, self.page = ctx, page
        self.task_id: str | None = None
        self.bundle: TaskBundle | None = None
        self.back_button = QPushButton(tr("smp_ui.action.back"))
        self.back_button.clicked.connect(page.back)
        self.header = QLabel()
        self.header.setStyleSheet("font-weight: bold;")
        self.lock_label = QLabel()
        self.labels = LabelsAction(self)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top = WrapLayout()   # on a narrow window the lock state and labels go to a second row
        top.addWidget(self.back_button)
        top.addWidget(self.header)
        top.addWidget(self.lock_label)
        top.addWidget(self.labels)
        self.amends_label = QLabel()     # an amendment: what it corrects and why (issue 7)
        self.amends_label.setObjectName("smp_amends")
        self.amends_label.setWordWrap(True)
        self.amends_label.setStyleSheet("color: #b26a00;")
        self.amends_label.hide()
        self.posts = PostsTab(self)
        self.samples = SamplesTab(self)
        self.noise = NoiseTab(self)
        self.custody = CustodyTab(self)
        self.results = ResultsTab(self)
        self.evaluation = EvaluationTab(self)
        self.sign = SignTab(self)
        self.tabs = QTabWidget()
        for tab, key in ((self.posts, "posts"), (self.samples, "samples"), (self.noise, "noise"),
                         (self.custody, "custody"), (self.results, "results"),
                         (self.evaluation, "evaluation"), (self.sign, "sign")):
            self.tabs.addTab(tab, tr(f"smp_ui.tab.{key}"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.amends_label)
        layout.addWidget(self.tabs, 1)

    def open(self, task_id: str) -> None:
        self.task_id = task_id
        self.bundle = None
        self.labels.reset()
        self.samples.new_sample_pending = True
        self.reload()

    def reload(self) -> None:
        if self.task_id is not None:
            self.ctx.read(task_bundle, self.task_id, datetime.now().astimezone(),
                          on_done=self._loaded)

    @if_alive
    def _loaded(self, bundle: TaskBundle) -> None:
        self.bundle = bundle
        view = bundle.view
        task = view.task  # type: ignore[attr-defined]
        amends = view.amends_number  # type: ignore[attr-defined]
        self.header.setText(tr("smp_ui.header", number=number_text(task.task_number, amends),
                               enterprise=view.enterprise.name,  # type: ignore[attr-defined]
                               type=tr(f"smp_ui.mt.{task.monitoring_type}")))
        self.amends_label.setText(tr("smp_ui.amends_text", number=amends,
                                     reason=task.amendment_reason) if amends else "")
        self.amends_label.setVisible(bool(amends))
        locked = bool(view.locked)  # type: ignore[attr-defined]
        self.lock_label.setText(tr("smp_ui.locked") if locked else "")
        self.lock_label.setStyleSheet("color: #b26a00; font-weight: bold;")
        for tab in (self.posts, self.samples, self.noise, self.custody, self.results, self.sign):
            tab.load(bundle)
        if self.tabs.currentWidget() is self.evaluation:
            self.evaluation.evaluate()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.evaluation:
            self.evaluation.evaluate()
