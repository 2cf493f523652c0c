"""SamplingPage: the task list, the new-task form and one task's view (tabs)."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.sampling import TaskInput, create_task
from ohinspect.services.sampling_tasks import monitoring_types
from ui.context import AppContext
from ui.sampling.common import FieldGrid, fill_table, number_text, read_table
from ui.sampling.queries import TaskRow, enterprise_choices, task_rows
from ui.sampling.task_view import TaskView
from ui.tasks import if_alive
from ui.widgets.combos import SearchableCombo, code_combo
from ui.widgets.messages import MessageLabel


def mt_label(code: str) -> str:
    return tr(f"smp_ui.mt.{code}") if code else ""


def _split_names(text: str) -> list[str]:
    """Names separated by commas, semicolons or the enumeration comma (full width too)."""
    return re.split(r"[,;\uff0c\u3001\uff1b]", text)


class NewTaskForm(QWidget):
    def __init__(self, page: SamplingPage) -> None:
        super().__init__()
        self.page = page
        self.enterprise = SearchableCombo(free_text=False)
        self.monitoring_type = code_combo([(c, mt_label(c)) for c in monitoring_types()])
        self.planned_on = QLineEdit(date.today().isoformat())
        self.detection_standard = QLineEdit()
        self.samplers = QLineEdit()
        self.samplers.setPlaceholderText(tr("smp_ui.task.samplers_hint"))
        self.escort_name = QLineEdit()
        self.weather = QLineEdit()
        self.weather.setPlaceholderText(tr("smp_ui.task.weather_hint"))
        self.temp = QLineEdit()
        self.pressure = QLineEdit()
        self.grid = FieldGrid([
            ("enterprise_id", tr("smp_ui.task.enterprise"), self.enterprise),
            ("monitoring_type", tr("smp_ui.task.monitoring_type"), self.monitoring_type),
            ("planned_on", tr("smp_ui.task.planned_on"), self.planned_on),
            ("detection_standard", tr("smp_ui.task.detection_standard"), self.detection_standard),
            ("samplers", tr("smp_ui.task.samplers"), self.samplers),
            ("escort_name", tr("smp_ui.task.escort"), self.escort_name),
            ("weather", tr("smp_ui.task.weather"), self.weather),
            ("temp_max_c", tr("smp_ui.task.temperature"), self.temp),
            ("pressure_kpa", tr("smp_ui.task.pressure"), self.pressure),
        ], columns=1, on_last=self.save)
        self.grid.setMaximumWidth(760)
        self.summary = MessageLabel()
        self.save_button = QPushButton(tr("smp_ui.task.create"))
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(tr("ui.cancel"))
        cancel.clicked.connect(lambda: page.stack.setCurrentIndex(0))
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        title = QLabel(tr("smp_ui.task.new_title"))
        title.setStyleSheet("font-weight: bold; font-size: 14pt;")
        layout.addWidget(title)
        layout.addWidget(self.grid)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def start(self) -> None:
        self.grid.messages.clear_messages()
        self.summary.hide()
        self.page.ctx.read(enterprise_choices, on_done=self._choices)

    @if_alive
    def _choices(self, items: list[tuple[str, str]]) -> None:
        self.enterprise.set_choices(items, tr("smp_ui.task.pick_enterprise"))
        self.enterprise.setFocus()

    def data(self) -> TaskInput:
        weather: dict[str, object] = {}
        if self.weather.text().strip():
            weather["conditions"] = self.weather.text().strip()
        if self.temp.text().strip():
            weather["temp_max_c"] = self.temp.text().strip()
        if self.pressure.text().strip():
            weather["pressure_kpa"] = self.pressure.text().strip()
        samplers = [s for s in _split_names(self.samplers.text()) if s.strip()]
        return TaskInput(enterprise_id=self.enterprise.code(),
                         monitoring_type=str(self.monitoring_type.currentData() or ""),
                         planned_on=self.planned_on.text().strip() or None,
                         detection_standard=self.detection_standard.text().strip(),
                         samplers=[s.strip() for s in samplers],
                         escort_name=self.escort_name.text().strip(), weather=weather)

    def save(self) -> None:
        self.page.ctx.perform(create_task, self.data(), on_done=self._saved,
                              on_error=self._failed)

    @if_alive
    def _saved(self, result) -> None:  # type: ignore[no-untyped-def]
        self.page.open_task(str(result.record_id))

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        if not self.grid.show_error(exc, self.summary):
            self.page.ctx.runner.report_error(exc, self)


class SamplingPage(QWidget):
    """现场采样: tasks → one task's tabs."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[TaskRow] = []
        self.stack = QStackedWidget()
        # list
        listing = QWidget()
        self.new_button = QPushButton(tr("smp_ui.action.new"))
        self.new_button.clicked.connect(self.new_task)
        self.open_button = QPushButton(tr("smp_ui.action.open"))
        self.open_button.clicked.connect(self._open_selected)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.open_button)
        bar.addStretch(1)
        bar.addWidget(self.count)
        self.table: QTableWidget = read_table()
        self.table.doubleClicked.connect(lambda _i: self._open_selected())
        box = QVBoxLayout(listing)
        box.addLayout(bar)
        box.addWidget(self.table)
        self.new_form = NewTaskForm(self)
        self.task_view = TaskView(ctx, self)
        self.stack.addWidget(listing)
        self.stack.addWidget(self.new_form)
        self.stack.addWidget(self.task_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        ctx.sig_changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.read(task_rows, on_done=self._rows)

    @if_alive
    def _rows(self, rows: list[TaskRow]) -> None:
        self.rows = rows
        fill_table(self.table, [tr(f"smp_ui.col.{k}") for k in (
            "enterprise", "number", "monitoring_type", "status", "posts", "samples", "noise")],
            [(r.enterprise, number_text(r.number, r.amends), mt_label(r.monitoring_type),
              tr(f"smp_ui.status.{r.status}"), r.posts, r.samples, r.noise) for r in rows],
            [r.id for r in rows])
        self.count.setText(tr("smp_ui.count", count=len(rows)))

    @if_alive
    def _changed(self, _changes: object) -> None:
        self.refresh()
        if self.stack.currentWidget() is self.task_view:
            self.task_view.reload()

    def new_task(self) -> None:
        self.stack.setCurrentWidget(self.new_form)
        self.new_form.start()

    def _open_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.open_task(self.rows[row].id)

    def open_task(self, task_id: str) -> None:
        self.stack.setCurrentWidget(self.task_view)
        self.task_view.open(task_id)

    def back(self) -> None:
        self.stack.setCurrentIndex(0)
        self.refresh()
