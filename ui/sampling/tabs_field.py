"""The field tabs of a task: 岗位与方案, 噪声, 样品交接 (采样记录 is tab_samples.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ohinspect.errors import ValidationError
from ohinspect.i18n import tr
from ohinspect.services.sampling import (
    NoiseInput,
    PostInput,
    propose,
    record_noise,
    save_post,
    transfer_custody,
)
from ohinspect.store.changes import OpResult
from ui.sampling.common import FieldGrid, fill_table, fmt, read_table
from ui.sampling.queries import TaskBundle
from ui.sampling.post_hazards import PostHazards
from ui.sampling.tab_base import _Tab, hazard_name, post_label, time_text
from ui.tasks import if_alive
from ui.widgets.combos import refill_combo
from ui.widgets.messages import WARNING_STYLE, MessageLabel

if TYPE_CHECKING:
    from ui.sampling.task_view import TaskView

class PostsTab(_Tab):
    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.post_id: str | None = None
        self.table = read_table()
        self.table.itemSelectionChanged.connect(self._selected)
        w = {n: QLineEdit() for n in ("workshop", "post", "job_type", "workers", "same_type_units",
                                       "exposure_hours_per_day", "days_per_week")}
        self.hazards = PostHazards()
        self.hazards.sig_changed.connect(self.update_proposal)
        self.hazard_msg = MessageLabel()
        self.identifiable = QCheckBox(tr("smp_ui.post.identifiable"))
        self.identifiable.setChecked(True)
        self.w = w
        self.grid = FieldGrid([(n, tr(f"smp_ui.post.{n}"), w[n]) for n in (
            "workshop", "post", "job_type", "workers", "same_type_units",
            "exposure_hours_per_day", "days_per_week")] +
            [("most_exposed_identifiable", "", self.identifiable)], columns=3)
        self.proposal_label = QLabel()
        self.proposal_label.setWordWrap(True)
        self.fixed_points, self.personal_samples, self.shifts = QLineEdit(), QLineEdit(), QLineEdit()
        self.adjust_reason = QLineEdit()
        self.plan = FieldGrid([
            ("fixed_points", tr("smp_ui.post.fixed_points"), self.fixed_points),
            ("personal_samples", tr("smp_ui.post.personal_samples"), self.personal_samples),
            ("shifts", tr("smp_ui.post.shifts"), self.shifts),
            ("adjust_reason", tr("smp_ui.post.adjust_reason"), self.adjust_reason)],
            columns=4, on_last=self.save)
        for name in ("workers", "same_type_units"):
            w[name].editingFinished.connect(self.update_proposal)
        self.identifiable.toggled.connect(lambda _c: self.update_proposal())
        self.save_button = QPushButton(tr("smp_ui.post.accept"))
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(tr("smp_ui.post.new"))
        self.new_button.clicked.connect(self.clear)
        plan_box = QGroupBox(tr("smp_ui.post.proposal"))
        pl = QVBoxLayout(plan_box)
        pl.addWidget(self.proposal_label)
        pl.addWidget(self.plan)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        form = QWidget()
        fl = QVBoxLayout(form)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.grid)
        fl.addWidget(plan_box)
        fl.addLayout(buttons)
        fl.addStretch(1)
        hazard_box = QGroupBox(tr("smp_ui.post.hazard_codes"))
        hl = QVBoxLayout(hazard_box)
        hl.addWidget(self.hazards, 1)
        hl.addWidget(self.hazard_msg)
        lower = QHBoxLayout()
        lower.addWidget(form, 3)
        lower.addWidget(hazard_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(lower, 2)
        self.proposal: dict[str, object] = {}

    def data(self) -> PostInput:
        w = self.w
        return PostInput(workshop=w["workshop"].text().strip(), post=w["post"].text().strip(),
                         job_type=w["job_type"].text().strip(), workers=w["workers"].text().strip(),
                         most_exposed_identifiable=self.identifiable.isChecked(),
                         same_type_units=w["same_type_units"].text().strip(),
                         hazard_codes=self.hazards.codes(),
                         exposure_hours_per_day=w["exposure_hours_per_day"].text().strip() or None,
                         days_per_week=w["days_per_week"].text().strip() or None)

    def monitoring_type(self) -> str:
        return self.bundle.view.task.monitoring_type if self.bundle else ""  # type: ignore[attr-defined]

    def update_proposal(self) -> None:
        try:
            self.proposal = propose(self.data(), self.monitoring_type())
        except Exception:  # noqa: BLE001 — a half-typed post has no proposal yet
            self.proposal = {}
            self.proposal_label.setText(tr("smp_ui.post.no_proposal"))
            return
        p = self.proposal
        self.proposal_label.setText(tr(
            "smp_ui.post.proposal_text", fixed=p.get("fixed_points"),
            personal=p.get("personal_samples"),
            shifts=p.get("shifts") if p.get("shifts") is not None else tr("smp_ui.post.as_site"),
            periods=", ".join(f"{k}: {v}" for k, v in dict(p.get("periods") or {}).items())))  # type: ignore[call-overload]
        self.fixed_points.setText(fmt(p.get("fixed_points")))
        self.personal_samples.setText(fmt(p.get("personal_samples")))
        self.shifts.setText(fmt(p.get("shifts")))

    def accepted(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, widget in (("fixed_points", self.fixed_points),
                            ("personal_samples", self.personal_samples), ("shifts", self.shifts)):
            value = widget.text().strip()
            if value and value != fmt(self.proposal.get(key)):
                out[key] = value
        return out

    def save(self) -> None:
        if not self.proposal:
            self.update_proposal()
        self.ctx.perform(save_post, self.task_id, self.data(), post_id=self.post_id,
                         accepted=self.accepted() or None,
                         adjust_reason=self.adjust_reason.text().strip(),
                         on_done=self._saved, on_error=self._failed)

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        """Problems of the post's fields and of the plan, each under its field."""
        if not isinstance(exc, ValidationError):
            self.report(exc)
            return
        mine = [p for p in exc.problems if p.field.split(".")[-1] in self.plan.messages]
        hazards = [p for p in exc.problems if p.field.split(".")[-1] == "hazard_codes"]
        if hazards:
            self.hazard_msg.show_messages([p.message for p in hazards])
        else:
            self.hazard_msg.hide()
        self.grid.show_error(ValidationError(
            problems=[p for p in exc.problems if p not in mine and p not in hazards]),
            self.summary)
        self.plan.messages.clear_messages()
        if mine:
            self.plan.show_error(ValidationError(problems=mine), self.summary)

    @if_alive
    def _saved(self, _result: OpResult) -> None:
        self.clear()
        self._ok("smp_ui.post.saved")

    def clear(self) -> None:
        self.post_id = None
        for widget in (*self.w.values(), self.fixed_points, self.personal_samples, self.shifts,
                       self.adjust_reason):
            widget.clear()
        self.identifiable.setChecked(True)
        self.hazards.set_codes([])
        self.hazard_msg.hide()
        self.proposal = {}
        self.proposal_label.clear()
        self.grid.messages.clear_messages()
        self.plan.messages.clear_messages()
        self.table.clearSelection()

    def load(self, bundle: TaskBundle) -> None:
        self.bundle = bundle
        posts = bundle.view.posts  # type: ignore[attr-defined]
        self.hazards.set_declared(list(
            bundle.view.enterprise.hazard_codes or []))  # type: ignore[attr-defined]
        fill_table(self.table, [tr(f"smp_ui.post.col.{k}") for k in (
            "workshop", "post", "job_type", "workers", "hazards", "fixed_points",
            "personal_samples", "shifts", "adjust_reason")],
            [(p.workshop, p.post, p.job_type, p.workers,
              tr("report.list_sep").join(hazard_name(c) for c in p.hazard_codes or []),
              (p.accepted or {}).get("fixed_points"), (p.accepted or {}).get("personal_samples"),
              (p.accepted or {}).get("shifts"), p.adjust_reason) for p in posts],
            [p.id for p in posts])
        locked = self.locked()
        for widget in (self.grid, self.plan, self.hazards, self.save_button, self.new_button):
            widget.setEnabled(not locked)

    def _selected(self) -> None:
        row = self.table.currentRow()
        if self.bundle is None or not 0 <= row < len(self.bundle.view.posts):  # type: ignore[attr-defined]
            return
        p = self.bundle.view.posts[row]  # type: ignore[attr-defined]
        self.post_id = p.id
        for name in ("workshop", "post", "job_type", "workers", "same_type_units",
                     "exposure_hours_per_day", "days_per_week"):
            self.w[name].setText(fmt(getattr(p, name)))
        self.hazards.set_codes(list(p.hazard_codes or []))
        self.identifiable.setChecked(bool(p.most_exposed_identifiable))
        self.update_proposal()
        accepted = p.accepted or {}
        self.fixed_points.setText(fmt(accepted.get("fixed_points")))
        self.personal_samples.setText(fmt(accepted.get("personal_samples")))
        self.shifts.setText(fmt(accepted.get("shifts")))
        self.adjust_reason.setText(p.adjust_reason or "")


# ------------------------------------------------------------------ 采样记录


NOISE_TEXT = ("point", "meter_id", "readings_db", "reading_2", "reading_3", "exposure_hours",
              "days_per_week", "impulse_peak_db", "pulses_per_minute", "calibrator_before_db",
              "calibrator_after_db", "notes")


class NoiseTab(_Tab):
    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.post = QComboBox()
        self.w = {n: QLineEdit() for n in NOISE_TEXT}
        self.grid = FieldGrid([("post_id", tr("smp_ui.sample.post"), self.post)] +
                              [(n, tr(f"smp_ui.noise.{n}"), self.w[n]) for n in NOISE_TEXT],
                              columns=3, on_last=self.save)
        self.laeq = QLabel()
        self.laeq.setStyleSheet("font-weight: bold;")
        for n in ("readings_db", "reading_2", "reading_3"):
            self.w[n].textChanged.connect(lambda _t: self._show_laeq())
        self.save_button = QPushButton(tr("smp_ui.noise.save"))
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.laeq)
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.save_button)
        self.table = read_table()
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def readings(self) -> list[str]:
        return [self.w[n].text().strip() for n in ("readings_db", "reading_2", "reading_3")
                if self.w[n].text().strip()]

    def _show_laeq(self) -> None:
        from ohinspect.hygiene.noise import laeq
        try:
            values = [float(r) for r in self.readings()]
        except ValueError:
            self.laeq.clear()
            return
        if not values:
            self.laeq.clear()
            return
        value, _step = laeq([(v, 1.0) for v in values])
        self.laeq.setText(tr("smp_ui.noise.laeq", value=f"{value:.1f}"))

    def save(self) -> None:
        if self.locked():
            return
        v = {n: (self.w[n].text().strip() or None) for n in NOISE_TEXT}
        data = NoiseInput(post_id=self.post.currentData() or None, point=v["point"] or "",
                          meter_id=v["meter_id"] or "", readings_db=list(self.readings()),
                          exposure_hours=v["exposure_hours"], days_per_week=v["days_per_week"],
                          impulse_peak_db=v["impulse_peak_db"],
                          pulses_per_minute=v["pulses_per_minute"],
                          calibrator_before_db=v["calibrator_before_db"],
                          calibrator_after_db=v["calibrator_after_db"],
                          measured_at=datetime.now().astimezone(), notes=v["notes"] or "")
        self.ctx.perform(record_noise, self.task_id, data, on_done=self._saved,
                         on_error=self._failed)

    @if_alive
    def _saved(self, result: OpResult) -> None:
        for n in ("point", "readings_db", "reading_2", "reading_3", "impulse_peak_db",
                  "pulses_per_minute", "notes"):
            self.w[n].clear()
        warnings = list(getattr(result, "warnings", None) or [])
        if warnings:
            self.summary.show_messages(warnings, WARNING_STYLE)
        else:
            self._ok("smp_ui.noise.saved")
        self.w["point"].setFocus()

    def load(self, bundle: TaskBundle) -> None:
        self.bundle = bundle
        view = bundle.view
        refill_combo(self.post, [(p.id, post_label(p)) for p in view.posts],  # type: ignore[attr-defined]
                     tr("smp_ui.sample.no_post"))
        posts = {p.id: post_label(p) for p in view.posts}  # type: ignore[attr-defined]
        fill_table(self.table, [tr(f"smp_ui.noise.col.{k}") for k in (
            "point", "post", "readings", "laeq", "hours", "impulse", "calibrator")],
            [(n.point, posts.get(n.post_id, ""), " / ".join(fmt(r) for r in n.readings_db or []),
              f"{n.laeq_te_db:.1f}" if n.laeq_te_db is not None else "", fmt(n.exposure_hours), fmt(n.impulse_peak_db),
              f"{fmt(n.calibrator_before_db)} / {fmt(n.calibrator_after_db)}")
             for n in view.noise], [n.id for n in view.noise])  # type: ignore[attr-defined]
        locked = self.locked()
        self.grid.setEnabled(not locked)
        self.save_button.setEnabled(not locked)


# ------------------------------------------------------------------ 样品交接
class CustodyTab(_Tab):
    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.pending = QListWidget()
        self.w = {n: QLineEdit() for n in ("handed_by", "received_by", "lab", "condition", "notes")}
        self.grid = FieldGrid([(n, tr(f"smp_ui.custody.{n}"), self.w[n]) for n in self.w],
                              columns=1, on_last=self.transfer)
        self.all_button = QPushButton(tr("smp_ui.custody.all"))
        self.all_button.clicked.connect(self.check_all)
        self.transfer_button = QPushButton(tr("smp_ui.custody.transfer"))
        self.transfer_button.clicked.connect(self.transfer)
        self.table = read_table()
        left = QGroupBox(tr("smp_ui.custody.pending"))
        ll = QVBoxLayout(left)
        ll.addWidget(self.pending)
        ll.addWidget(self.all_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.grid)
        rl.addWidget(self.summary)
        rl.addWidget(self.transfer_button)
        rl.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(left, 1)
        top.addWidget(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(QLabel(tr("smp_ui.custody.done")))
        layout.addWidget(self.table, 1)

    def check_all(self) -> None:
        for i in range(self.pending.count()):
            self.pending.item(i).setCheckState(Qt.CheckState.Checked)

    def checked(self) -> list[str]:
        return [self.pending.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.pending.count())
                if self.pending.item(i).checkState() == Qt.CheckState.Checked]

    def transfer(self) -> None:
        if self.locked():
            return
        v = {n: w.text().strip() for n, w in self.w.items()}
        self.ctx.perform(transfer_custody, self.task_id, self.checked(), v["handed_by"],
                         v["received_by"], v["lab"], datetime.now().astimezone(),
                         v["condition"], v["notes"], on_done=self._saved, on_error=self._failed)

    @if_alive
    def _saved(self, _result: OpResult) -> None:
        self._ok("smp_ui.custody.saved")

    def load(self, bundle: TaskBundle) -> None:
        self.bundle = bundle
        view = bundle.view
        self.pending.clear()
        for s in view.untransferred():  # type: ignore[attr-defined]
            item = QListWidgetItem(f"{s.sample_number}  {tr(f'smp_ui.kind.{s.kind}')}  "
                                   f"{hazard_name(s.hazard_code)}")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.pending.addItem(item)
        fill_table(self.table, [tr(f"smp_ui.custody.col.{k}") for k in (
            "at", "count", "handed_by", "received_by", "lab", "condition")],
            [(time_text(c.transferred_at), c.count, c.handed_by, c.received_by, c.lab,
              c.condition) for c in view.custody])  # type: ignore[attr-defined]
        locked = self.locked()
        for widget in (self.grid, self.transfer_button, self.all_button, self.pending):
            widget.setEnabled(not locked)
