"""The 采样记录 tab: a keyboard-first form for samples and blanks, defaults carried over.

A saved sample opens in the form again from the grid (double-click or Enter on its row): saving
then corrects it; its photos show under the form, where more can be added while the task is in
the field."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.sampling import (
    SampleInput,
    add_sample_photo,
    record_sample,
)
from ohinspect.store.changes import OpResult
from ui.sampling.common import FieldGrid, fill_table, fmt, read_table
from ui.sampling.queries import TaskBundle
from ui.tasks import if_alive
from ui.widgets.combos import code_combo, refill_combo, select_code
from ui.verification.photos import PhotoStrip
from ui.widgets.messages import WARNING_STYLE
from ui.widgets.wrap_layout import WrapLayout

if TYPE_CHECKING:
    from ui.sampling.task_view import TaskView

from ui.sampling.tab_base import TIME_FORMAT, _Tab, hazard_name, post_label, time_text


@functools.cache
def _drift_max() -> float:
    """The GBZ 159 flow-drift limit (read once; the data file does not change while running)."""
    from ohinspect.standards.sampling_rules import load_air_rules

    return load_air_rules().flow_drift_max


SAMPLE_TEXT = ("wearer", "location", "instrument_id", "calibrator_id", "flow_before_lpm",
               "flow_after_lpm", "drift_reason", "started_at", "ended_at", "representative_hours",
               "temperature_c", "pressure_kpa", "humidity_pct", "production_status", "ppe",
               "notes")


class SamplesTab(_Tab):
    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.new_sample_pending = True
        self.number = QLabel()
        self.number.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.post = QComboBox()
        self.kind = code_combo([(k, tr(f"smp_ui.kind.{k}")) for k in ("personal", "fixed", "blank")])
        self.hazard = QComboBox()
        self.fraction = code_combo([("total", tr("smp_ui.fraction.total")),
                                    ("respirable", tr("smp_ui.fraction.respirable"))],
                                   tr("smp_ui.fraction.none"))
        self.w = {n: QLineEdit() for n in SAMPLE_TEXT}
        self.w["started_at"].setPlaceholderText(tr("smp_ui.sample.time_hint"))
        self.w["ended_at"].setPlaceholderText(tr("smp_ui.sample.time_hint"))
        self.w["drift_reason"].setPlaceholderText(tr("smp_ui.sample.drift_hint"))
        fields: list[tuple[str, str, QWidget]] = [
            ("post_id", tr("smp_ui.sample.post"), self.post),
            ("kind", tr("smp_ui.sample.kind"), self.kind),
            ("hazard_code", tr("smp_ui.sample.hazard"), self.hazard),
            ("fraction", tr("smp_ui.sample.fraction"), self.fraction)]
        fields += [(n, tr(f"smp_ui.sample.{n}"), self.w[n]) for n in SAMPLE_TEXT]
        self.grid = FieldGrid(fields, columns=4, on_last=self.save)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_number())
        self.post.currentIndexChanged.connect(lambda _i: self._fill_hazards())
        self.drift = QLabel()
        for name in ("flow_before_lpm", "flow_after_lpm"):
            self.w[name].textChanged.connect(lambda _t: self._show_drift())
        self.start_now = QPushButton(tr("smp_ui.sample.start_now"))
        self.start_now.clicked.connect(lambda: self._now("started_at"))
        self.end_now = QPushButton(tr("smp_ui.sample.end_now"))
        self.end_now.clicked.connect(lambda: self._now("ended_at"))
        self.save_button = QPushButton(tr("smp_ui.sample.save"))
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(tr("smp_ui.sample.new"))
        self.new_button.clicked.connect(self.new_sample)
        self.blank_button = QPushButton(tr("smp_ui.sample.blank"))
        self.blank_button.clicked.connect(self.new_blank)
        for keyseq, slot in (("F7", lambda: self._now("started_at")),
                             ("F8", lambda: self._now("ended_at")), ("Ctrl+S", self.save),
                             ("Ctrl+N", self.new_sample)):
            shortcut = QShortcut(QKeySequence(keyseq), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        head = QHBoxLayout()
        head.addWidget(self.number)
        head.addStretch(1)
        head.addWidget(self.drift)
        buttons = WrapLayout()  # one row on a wide screen, two at 150 % or in English
        for b in (self.start_now, self.end_now, self.summary, self.new_button,
                  self.blank_button, self.save_button):
            buttons.addWidget(b)
        self.photos = PhotoStrip(self.ctx)
        self.photos.title.setText(tr("smp_ui.sample.photos", count=0))
        self.photos.sig_add_files.connect(self.add_photos)
        form = QWidget()
        fl = QVBoxLayout(form)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addLayout(head)
        fl.addWidget(self.grid)
        fl.addLayout(buttons)
        fl.addWidget(self.photos)
        self.table = read_table()
        self.table.setToolTip(tr("smp_ui.sample.open_hint"))
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        for key in ("Return", "Enter"):
            opener = QShortcut(QKeySequence(key), self.table)
            opener.setContext(Qt.ShortcutContext.WidgetShortcut)
            opener.activated.connect(self.open_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addWidget(self.table, 1)
        self.sample_id: str | None = None
        self.open_number = ""

    def _now(self, name: str) -> None:
        self.w[name].setText(datetime.now().strftime(TIME_FORMAT))
        self.grid.messages[name].hide()

    def _show_drift(self) -> None:
        try:
            before = float(self.w["flow_before_lpm"].text())
            after = float(self.w["flow_after_lpm"].text())
        except ValueError:
            self.drift.clear()
            return
        if before <= 0:
            self.drift.clear()
            return
        from ohinspect.hygiene.air import flow_drift

        if after < 0:
            self.drift.clear()
            return
        drift = flow_drift(before, after)
        self.drift.setText(tr("smp_ui.sample.drift", drift=f"{drift * 100:.1f}"))
        limit = _drift_max()
        self.drift.setStyleSheet(WARNING_STYLE if drift > limit else "")

    def _show_number(self) -> None:
        if self.bundle is None:
            return
        if self.sample_id is not None:
            self.number.setText(tr("smp_ui.sample.editing", number=self.open_number))
            return
        blank = self.kind.currentData() == "blank"
        number = self.bundle.next_blank if blank else self.bundle.next_number
        self.number.setText(tr("smp_ui.sample.number", number=number))

    def _fill_hazards(self) -> None:
        if self.bundle is None:
            return
        view = self.bundle.view
        post = view.post(self.post.currentData())  # type: ignore[attr-defined]
        codes = list(post.hazard_codes or []) if post else sorted(
            {c for p in view.posts for c in (p.hazard_codes or [])})  # type: ignore[attr-defined]
        codes = [c for c in codes if not c.startswith("phys.")]
        refill_combo(self.hazard, [(c, hazard_name(c)) for c in codes],
                     tr("smp_ui.sample.pick_hazard"))
        if self.hazard.currentIndex() == 0 and len(codes) >= 1:
            self.hazard.setCurrentIndex(1)

    def data(self) -> SampleInput:
        values: dict[str, Any] = {n: (self.w[n].text().strip() or None) for n in SAMPLE_TEXT}
        for n in ("wearer", "location", "instrument_id", "calibrator_id", "drift_reason",
                  "production_status", "ppe", "notes"):
            values[n] = values[n] or ""
        return SampleInput(post_id=self.post.currentData() or None,
                           kind=str(self.kind.currentData()),
                           hazard_code=str(self.hazard.currentData() or ""),
                           fraction=str(self.fraction.currentData() or ""), **values)

    def save(self) -> None:
        if self.locked():
            return
        self.ctx.perform(record_sample, self.task_id, self.data(), sample_id=self.sample_id,
                         on_done=self._saved, on_error=self._failed)

    @if_alive
    def _saved(self, result: OpResult) -> None:
        corrected = self.sample_id is not None
        self.sample_id = None
        self.new_sample_pending = True  # the reload pre-fills the next one
        self.view.reload()
        self._ok("smp_ui.sample.corrected" if corrected else "smp_ui.sample.saved")

    def new_sample(self) -> None:
        self.sample_id = None
        if self.bundle is not None:
            self._prefill(self.bundle.defaults)
        self.w["wearer"].setFocus()

    def open_selected(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        if item is not None:
            self.open_sample(str(item.data(Qt.ItemDataRole.UserRole)))

    def open_sample(self, sample_id: str) -> None:
        """Show a saved sample in the form; saving corrects it (read only once signed)."""
        if self.bundle is None:
            return
        view = self.bundle.view
        sample = next((s for s in (*view.samples, *view.blanks)  # type: ignore[attr-defined]
                       if s.id == sample_id), None)
        if sample is None:
            return
        self.sample_id, self.open_number = sample.id, sample.sample_number
        self._prefill(SampleInput.from_record(sample))
        self.w["drift_reason"].setText(sample.drift_reason or "")
        self.summary.hide()
        self.w["wearer"].setFocus()

    def _show_photos(self) -> None:
        photos = [] if self.bundle is None or self.sample_id is None else list(
            self.bundle.view.photos.get(self.sample_id, []))  # type: ignore[attr-defined]
        self.photos.title.setText(tr("smp_ui.sample.photos", count=len(photos)))
        self.photos.show_photos(photos, required=False)
        self.photos.set_editable(self.sample_id is not None and not self.locked())
        self.photos.add_button.setToolTip("" if self.sample_id is not None
                                          else tr("smp_ui.sample.photos_after_save"))

    def add_photos(self, paths: list[str]) -> None:
        if self.sample_id is None or self.locked():
            return
        for path in paths:
            self.ctx.perform(add_sample_photo, self.sample_id, Path(path),
                             on_done=self._photo_added, on_error=self._failed)

    @if_alive
    def _photo_added(self, _result: OpResult) -> None:
        self._ok("smp_ui.sample.photo_added")

    def new_blank(self) -> None:
        self.new_sample()
        select_code(self.kind, "blank")
        for name in ("flow_before_lpm", "flow_after_lpm", "started_at", "ended_at",
                     "representative_hours", "wearer"):
            self.w[name].clear()
        self.post.setCurrentIndex(0)
        self.w["location"].setFocus()

    def _prefill(self, d: Any) -> None:
        self.grid.messages.clear_messages()
        select_code(self.post, d.post_id or "")
        select_code(self.kind, d.kind or "personal")
        self._fill_hazards()
        if d.hazard_code:
            select_code(self.hazard, d.hazard_code)
        select_code(self.fraction, d.fraction or "")
        for n in SAMPLE_TEXT:
            value = getattr(d, n, None)
            self.w[n].setText(time_text(value) if n in ("started_at", "ended_at") else fmt(value))
        self.w["drift_reason"].clear()
        self._show_number()
        self._show_photos()

    def load(self, bundle: TaskBundle) -> None:
        self.bundle = bundle
        view = bundle.view
        refill_combo(self.post, [(p.id, post_label(p)) for p in view.posts],  # type: ignore[attr-defined]
                     tr("smp_ui.sample.no_post"))
        posts = {p.id: post_label(p) for p in view.posts}  # type: ignore[attr-defined]
        rows = [*view.samples, *view.blanks]  # type: ignore[attr-defined]
        fill_table(self.table, [tr(f"smp_ui.sample.col.{k}") for k in (
            "number", "kind", "post", "hazard", "who", "flow", "start", "end", "volume",
            "std_volume", "photos")],
            [(s.sample_number, tr(f"smp_ui.kind.{s.kind}"), posts.get(s.post_id, ""),
              hazard_name(s.hazard_code) + (f" ({tr(f'smp_ui.fraction.{s.fraction}')})"
                                            if s.fraction else ""),
              s.wearer or s.location,
              f"{fmt(s.flow_before_lpm)} → {fmt(s.flow_after_lpm)}" if s.flow_before_lpm else "",
              time_text(s.started_at), time_text(s.ended_at), fmt(s.volume_l),
              fmt(s.standard_volume_l), len(view.photos.get(s.id, [])) or "")
             for s in rows], [s.id for s in rows])
        if self.new_sample_pending:
            self.new_sample_pending = False
            self.sample_id = None
            self._prefill(bundle.defaults)
        else:
            self._show_number()
            self._show_photos()
        locked = self.locked()
        for widget in (self.grid, self.save_button, self.new_button, self.blank_button,
                       self.start_now, self.end_now):
            widget.setEnabled(not locked)


# ------------------------------------------------------------------ 噪声
