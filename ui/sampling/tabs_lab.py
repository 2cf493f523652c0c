"""The lab and closing tabs of a task: 检测结果, 评价, 签名."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.evaluation import TaskEvaluation
from ohinspect.services.lab_results import (
    ResultInput,
    ResultsImportRejected,
    add_result,
    import_results_csv,
)
from ohinspect.services.sampling import sign_task
from ohinspect.store.changes import OpResult
from ui.sampling.common import FieldGrid, fill_table, fmt, read_table
from ui.sampling.queries import TaskBundle, evaluate, stored_images
from ui.sampling.tab_base import _Tab, hazard_name, time_text
from ui.tasks import if_alive
from ui.widgets.combos import refill_combo
from ui.widgets.messages import ERROR_STYLE, MessageLabel
from ui.widgets.signature_pad import SignaturePad

if TYPE_CHECKING:
    from ui.sampling.task_view import TaskView

OUTCOME_COLOURS = {"conform": "#2e7d32", "not_conform": "#c62828", "not_judged": "#6d6d6d"}


# ------------------------------------------------------------------ 检测结果
class ResultsTab(_Tab):
    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.sample = QComboBox()
        self.w = {n: QLineEdit() for n in ("analyte", "value", "lod", "unit", "method", "lab")}
        self.w["unit"].setText("mg/m³")
        self.below_lod = QCheckBox(tr("smp_ui.result.below_lod"))
        self.grid = FieldGrid([("sample_id", tr("smp_ui.result.sample"), self.sample)] +
                              [(n, tr(f"smp_ui.result.{n}"), self.w[n]) for n in self.w] +
                              [("below_lod", "", self.below_lod)], columns=4, on_last=self.add)
        self.add_button = QPushButton(tr("smp_ui.result.add"))
        self.add_button.clicked.connect(self.add)
        self.import_button = QPushButton(tr("smp_ui.result.import"))
        self.import_button.clicked.connect(self.pick_csv)
        self.errors = QListWidget()
        self.errors.setStyleSheet(ERROR_STYLE)
        self.errors.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.import_button)
        self.table = read_table()
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addLayout(buttons)
        layout.addWidget(self.errors)
        layout.addWidget(self.table, 1)

    def add(self) -> None:
        v = {n: w.text().strip() for n, w in self.w.items()}
        data = ResultInput(sample_id=str(self.sample.currentData() or ""), analyte=v["analyte"],
                           value=v["value"] or None, below_lod=self.below_lod.isChecked(),
                           lod=v["lod"] or None, unit=v["unit"] or "mg/m³", method=v["method"],
                           lab=v["lab"])
        self.ctx.perform(add_result, data, on_done=self._added, on_error=self._failed)

    @if_alive
    def _added(self, _result: OpResult) -> None:
        self.w["value"].clear()
        self.w["lod"].clear()
        self.below_lod.setChecked(False)
        self._ok("smp_ui.result.saved")
        self.sample.setFocus()

    def pick_csv(self) -> None:
        dialog = QFileDialog(self, tr("smp_ui.result.import"), "", tr("smp_ui.result.csv_filter"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.import_csv(Path(path)))
        dialog.open()

    def import_csv(self, path: Path) -> None:
        """Import in the background (the write pool) with a progress dialog; bad lines listed."""
        self.errors.clear()
        self.errors.hide()
        self.ctx.runner.run(import_results_csv, self.ctx.store, self.ctx.actor, path, write=True,
                            progress=tr("smp_ui.result.importing", file=path.name), parent=self,
                            on_done=self._imported, on_error=self._import_failed)

    @if_alive
    def _imported(self, result: OpResult) -> None:
        self.ctx.announce(result.changes)
        self.summary.show_messages([tr("smp_ui.result.imported")], "color: #2e7d32;")

    @if_alive
    def _import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ResultsImportRejected):
            self.summary.show_messages([tr("smp_ui.result.rejected", count=len(exc.lines))])
            self.errors.addItems([line.text() for line in exc.lines])
            self.errors.show()
        else:
            self.report(exc)

    def load(self, bundle: TaskBundle) -> None:
        self.bundle = bundle
        view = bundle.view
        every = [*view.samples, *view.blanks]  # type: ignore[attr-defined]
        refill_combo(self.sample, [(s.id, f"{s.sample_number} {hazard_name(s.hazard_code)}")
                                   for s in every],
                     tr("smp_ui.result.pick_sample"))
        rows = []
        for s in every:
            for r in view.results.get(s.id, []):  # type: ignore[attr-defined]
                value = f"<{fmt(r.lod)}" if r.below_lod else fmt(r.value)
                rows.append((s.sample_number, r.analyte, value, r.unit, r.method, r.lab,
                             r.source))
        fill_table(self.table, [tr(f"smp_ui.result.col.{k}") for k in (
            "sample", "analyte", "value", "unit", "method", "lab", "source")], rows)


# ------------------------------------------------------------------ 评价
class EvaluationTab(_Tab):
    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.evaluation: TaskEvaluation | None = None
        self.items: list[Any] = []
        self.refresh_button = QPushButton(tr("smp_ui.eval.refresh"))
        self.refresh_button.clicked.connect(self.evaluate)
        self.table = read_table()
        self.table.itemSelectionChanged.connect(self._selected)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.steps = read_table()
        self.groups = QLabel()
        self.groups.setWordWrap(True)
        self.groups.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addStretch(0)
        top.addWidget(self.refresh_button, 0)
        self.steps.setWordWrap(True)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.reason)
        dl.addWidget(self.steps, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setSizes([620, 700])
        group_box = QGroupBox(tr("smp_ui.eval.groups"))
        QVBoxLayout(group_box).addWidget(self.groups)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(group_box)

    def evaluate(self) -> None:
        if self.view.task_id is None:
            return
        self.summary.show_messages([tr("smp_ui.eval.running")], "color: #555555;")
        self.ctx.read(evaluate, self.view.task_id, on_done=self._shown)

    @if_alive
    def _shown(self, evaluation: TaskEvaluation) -> None:
        self.evaluation = evaluation
        bundle = self.view.bundle
        posts = {p.id: " / ".join(x for x in (p.workshop, p.post) if x)
                 for p in (bundle.view.posts if bundle else [])}  # type: ignore[attr-defined]
        self.items = [*evaluation.factors, *evaluation.noise, *evaluation.mixtures]
        rows = []
        for item in self.items:
            name = getattr(item, "name", None) or getattr(item, "hazard_code", None) or (
                tr("smp_ui.eval.noise") if hasattr(item, "points") else tr("smp_ui.eval.mixture"))
            rows.append((posts.get(item.post_id, ""), name, item.verdict.label(),
                         item.verdict.reason))
        fill_table(self.table, [tr(f"smp_ui.eval.col.{k}") for k in (
            "post", "factor", "verdict", "reason")], rows)
        for r, item in enumerate(self.items):
            cell = self.table.item(r, 2)
            cell.setForeground(QColor(OUTCOME_COLOURS.get(item.verdict.outcome, "#000000")))
            font = cell.font()
            font.setBold(True)
            cell.setFont(font)
        self.table.setColumnWidth(3, 260)
        lines = [tr("smp_ui.eval.group_line", post=posts.get(g.post_id, ""),
                    factor=hazard_name(g.hazard_code),
                    n=g.stats.n if getattr(g, "stats", None) else len(g.values),
                    text=_group_text(g)) for g in evaluation.group_stats]
        self.groups.setText("\n".join(lines) or tr("smp_ui.eval.no_groups"))
        warnings = list(evaluation.warnings)
        self.summary.show_messages(warnings, "color: #b26a00;") if warnings else self.summary.hide()
        if self.items:
            self.table.selectRow(0)

    def _selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            return
        verdict = self.items[row].verdict
        self.reason.setText(tr("smp_ui.eval.reason", verdict=verdict.label(),
                               reason=verdict.reason))
        self.reason.setStyleSheet(f"color: {OUTCOME_COLOURS.get(verdict.outcome, '#000')};"
                                  " font-weight: bold;")
        fill_table(self.steps, [tr(f"smp_ui.eval.step.{k}") for k in (
            "label", "formula", "value", "unit")],
            [(s.label, s.formula, fmt(s.value, 4), s.unit) for s in verdict.steps])
        header = self.steps.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.steps.resizeRowsToContents()


def _group_text(g: Any) -> str:
    stats = getattr(g, "stats", None)
    if stats is None:
        return tr("smp_ui.eval.group_values", values=", ".join(fmt(v) for v in g.values))
    return tr("smp_ui.eval.group_stats", gm=fmt(stats.gm), gsd=fmt(stats.gsd), p95=fmt(stats.p95),
              exceed=fmt(stats.exceedance * 100, 3), oel=fmt(g.oel))


# ------------------------------------------------------------------ 签名
class SignTab(_Tab):
    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.task_shown = ""
        self.sampler_pad = SignaturePad()
        self.escort_pad = SignaturePad()
        self.refused = QCheckBox(tr("smp_ui.sign.refused"))
        self.witness = QLineEdit()
        self.witness.setPlaceholderText(tr("smp_ui.sign.witness_hint"))
        self.witness.setEnabled(False)
        self.refused.toggled.connect(self._refused_toggled)
        self.sampler_msg, self.escort_msg = MessageLabel(), MessageLabel()
        self.sign_button = QPushButton(tr("smp_ui.sign.sign"))
        self.sign_button.clicked.connect(self.sign)
        self.state = QLabel()
        self.state.setWordWrap(True)
        sampler_box = QGroupBox(tr("smp_ui.sign.sampler"))
        sl = QVBoxLayout(sampler_box)
        sl.addWidget(self.sampler_pad)
        sl.addWidget(self.sampler_msg)
        escort_box = QGroupBox(tr("smp_ui.sign.escort"))
        el = QVBoxLayout(escort_box)
        el.addWidget(self.escort_pad)
        el.addWidget(self.escort_msg)
        el.addWidget(self.refused)
        el.addWidget(self.witness)
        pads = QHBoxLayout()
        pads.addWidget(sampler_box)
        pads.addWidget(escort_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(pads)
        layout.addLayout(bottom)
        layout.addStretch(1)

    def _refused_toggled(self, on: bool) -> None:
        self.witness.setEnabled(on)
        self.escort_pad.setEnabled(not on)

    def sign(self) -> None:
        if self.locked():
            return
        refused = self.refused.isChecked()
        escort = None if refused or self.escort_pad.is_blank() else self.escort_pad.to_png()
        sampler = b"" if self.sampler_pad.is_blank() else self.sampler_pad.to_png()
        self.ctx.perform(sign_task, self.task_id, sampler, escort, escort_refused=refused,
                         escort_witness=self.witness.text().strip(), on_done=self._signed,
                         on_error=self._failed)

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        from ohinspect.errors import ValidationError
        self.sampler_msg.hide()
        self.escort_msg.hide()
        if isinstance(exc, ValidationError):
            rest = []
            for p in exc.problems:
                if "sampler" in p.field:
                    self.sampler_msg.show_messages([p.message])
                elif "escort" in p.field:
                    self.escort_msg.show_messages([p.message])
                else:
                    rest.append(p.message)
            self.summary.show_messages(rest or [tr("smp_ui.fix_fields")])
        else:
            self.report(exc)

    @if_alive
    def _signed(self, _result: OpResult) -> None:
        self.sampler_msg.show_messages([])
        self.escort_msg.show_messages([])
        self._ok("smp_ui.sign.done")

    def load(self, bundle: TaskBundle) -> None:
        self.bundle = bundle
        task = bundle.view.task  # type: ignore[attr-defined]
        if task.id != self.task_shown:  # another task: nothing of the last one's signing
            self.task_shown = task.id
            for pad in (self.sampler_pad, self.escort_pad):
                pad.clear()
            self.refused.setChecked(False)
            self.witness.clear()
        locked = self.locked()
        if locked:
            who = tr("smp_ui.sign.escort_refused", witness=task.escort_witness or "") \
                if task.escort_refused else tr("smp_ui.sign.escort_signed")
            self.state.setText(tr("smp_ui.sign.locked_state", at=time_text(task.locked_at),
                                  escort=who))
        else:
            self.state.setText(tr("smp_ui.sign.open_state", samplers=", ".join(task.samplers or []),
                escort=task.escort_name or ""))
        for widget in (self.sampler_pad, self.escort_pad, self.refused, self.witness,
                       self.sign_button):
            widget.setEnabled(not locked)
        if not locked:
            self.witness.setEnabled(self.refused.isChecked())
            self.escort_pad.setEnabled(not self.refused.isChecked())
            self._show_signatures([None, None])
        else:  # the stored signatures, read only (the files are read off the GUI thread)
            self.refused.setChecked(bool(task.escort_refused))
            self.witness.setText(task.escort_witness or "")
            self.ctx.runner.run(stored_images, self.ctx.store,
                                [task.sampler_signature_sha256, task.escort_signature_sha256],
                                on_done=self._show_signatures)

    @if_alive
    def _show_signatures(self, images: list[bytes | None]) -> None:
        self.sampler_pad.show_image(images[0])
        self.escort_pad.show_image(images[1])
