"""打印标签: the adhesive label sheet of the open task (ohinspect/reports/sample_labels.py),
rendered in the background into the documents folder beside the store, then opened on demand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.reports.sample_labels import render_sample_labels
from ui.sampling.queries import labels_file
from ui.tasks import if_alive, user_message
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE

if TYPE_CHECKING:
    from ui.sampling.task_view import TaskView

STATUS_MIN_WIDTH = 80


class LabelsAction(QWidget):
    def __init__(self, view: TaskView) -> None:
        super().__init__()
        self.view = view
        self.file: Path | None = None
        self.busy = False
        self.button = QPushButton(tr("smp_ui.labels.print"))
        self.button.setObjectName("btn_print_labels")
        self.button.setToolTip(tr("smp_ui.labels.tooltip"))
        self.button.clicked.connect(self.render)
        self.status = QLabel()
        self.status.setMinimumWidth(STATUS_MIN_WIDTH)   # a long path is cut, not the window widened
        self.open_button = QPushButton(tr("smp_ui.labels.open"))
        self.open_button.clicked.connect(self.open_file)
        self.open_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.open_button)
        layout.addWidget(self.button)

    def reset(self) -> None:
        """Another task is shown: forget the last sheet."""
        self.file = None
        self.status.clear()
        self.open_button.hide()

    def render(self) -> None:
        bundle = self.view.bundle
        if self.busy or bundle is None:
            return
        task = bundle.view.task  # type: ignore[attr-defined]
        ctx = self.view.ctx
        self.busy = True
        self.button.setEnabled(False)
        self.open_button.hide()
        self.status.setStyleSheet(NOTE_STYLE)
        self.status.setText(tr("smp_ui.labels.rendering"))
        ctx.runner.run(render_sample_labels, ctx.store, task.id,
                       labels_file(ctx.store, task.task_number),
                       on_done=self._rendered, on_error=self._failed)

    @if_alive
    def _rendered(self, path: Path) -> None:
        self.busy = False
        self.file = Path(path)
        self.button.setEnabled(True)
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(tr("smp_ui.labels.done", path=str(path)))
        self.status.setToolTip(str(path))
        self.open_button.show()
        self.open_button.setFocus()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.button.setEnabled(True)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(user_message(exc))
        if not isinstance(exc, OHInspectError):
            self.view.ctx.runner.report_error(exc, self)

    def open_file(self) -> None:
        if self.file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.file)))
