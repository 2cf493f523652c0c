"""The institution's capability records beside its audit: staff and their certificates (expiry
flagged), instruments (calibration due; overdue flagged) and blind-sample results (z, verdict).
Add with the buttons, edit with a double-click; every write runs in the background."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from ohinspect.i18n import tr
from ohinspect.services import blind_samples, certificates, institutions, instruments
from ohinspect.store.changes import Changes
from ui.context import AppContext
from ui.institutions.queries import PanelData, load_panel
from ui.institutions.record_dialog import FieldSpec, RecordDialog
from ui.tasks import if_alive

RECORD_TYPES = ("staff_member", "certificate", "instrument", "blind_sample_result")
RED, AMBER = QColor("#c62828"), QColor("#b26a00")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return value.isoformat() if isinstance(value, date) else str(value)


def _table(name: str, header_keys: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(header_keys))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([tr(k) for k in header_keys])
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, list[str], QColor | None]]) -> None:
    table.setRowCount(len(rows))
    for r, (record_id, cells, colour) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(256, record_id)  # Qt.UserRole
            if colour is not None:
                item.setForeground(colour)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class InstitutionRecordsPanel(QWidget):
    def __init__(self, ctx: AppContext, enterprise_id: str, inspection_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.enterprise_id, self.inspection_id = ctx, enterprise_id, inspection_id
        self.data: PanelData | None = None
        self.dialog: RecordDialog | None = None
        self.staff = _table("inst_staff_table", ("inst_ui.col.name", "inst_ui.col.title",
                                                 "inst_ui.col.position"))
        self.certs = _table("inst_cert_table", ("inst_ui.col.holder", "inst_ui.col.cert_kind",
                                                "inst_ui.col.number", "inst_ui.col.expires",
                                                "inst_ui.col.state"))
        self.instruments = _table("inst_instrument_table", (
            "inst_ui.col.asset_no", "inst_ui.col.instrument_kind", "inst_ui.col.name",
            "inst_ui.col.model", "inst_ui.col.calibration_due", "inst_ui.col.state"))
        self.blind = _table("inst_blind_table", (
            "inst_ui.col.analyte", "inst_ui.col.reported", "inst_ui.col.assigned",
            "inst_ui.col.sigma", "inst_ui.col.z", "inst_ui.col.verdict", "inst_ui.col.scheme"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._page(self.staff, ("inst_ui.add_staff", self.add_staff),
                                    ("inst_ui.add_certificate", self.add_certificate),
                                    extra=self.certs), tr("inst_ui.tab.staff"))
        self.tabs.addTab(self._page(self.instruments, ("inst_ui.add_instrument",
                                                       self.add_instrument)),
                         tr("inst_ui.tab.instruments"))
        self.tabs.addTab(self._page(self.blind, ("inst_ui.add_blind", self.add_blind)),
                         tr("inst_ui.tab.blind"))
        self.staff.cellDoubleClicked.connect(lambda r, _c: self.add_staff(self._id(self.staff, r)))
        self.certs.cellDoubleClicked.connect(
            lambda r, _c: self.add_certificate(self._id(self.certs, r)))
        self.instruments.cellDoubleClicked.connect(
            lambda r, _c: self.add_instrument(self._id(self.instruments, r)))
        self.blind.cellDoubleClicked.connect(lambda r, _c: self.add_blind(self._id(self.blind, r)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        ctx.sig_changed.connect(self._changed)
        self.refresh()

    def _page(self, table: QTableWidget, *buttons: tuple[str, Any],
              extra: QWidget | None = None) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        for key, slot in buttons:
            button = QPushButton(tr(key))
            button.setObjectName(key.replace(".", "_"))
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(table)
        if extra is not None:
            layout.addWidget(extra)
        return page

    @staticmethod
    def _id(table: QTableWidget, row: int) -> str:
        return str(table.item(row, 0).data(256))

    # ------------------------------------------------------------------ reading

    def today(self) -> date:
        return datetime.now().astimezone().date()

    def refresh(self) -> None:
        self.ctx.read(load_panel, self.enterprise_id, self.inspection_id, self.today(),
                      on_done=self._show)

    @if_alive
    def _changed(self, changes: Changes) -> None:
        if any(changes.touches(t) for t in RECORD_TYPES):
            self.refresh()

    @if_alive
    def _show(self, data: PanelData) -> None:
        self.data = data
        _fill(self.staff, [(sid, [s.name, s.title, s.position], None) for sid, s in data.staff])
        colours = {certificates.EXPIRED: RED, certificates.EXPIRING: AMBER}
        _fill(self.certs, [(row.id, [row.holder, certificates.kind_label(row.kind), row.number,
                                     _text(row.expires_on), tr(f"inst_ui.cert_state.{row.state}")],
                            colours.get(row.state)) for row, _data in data.certificates])
        _fill(self.instruments, [
            (i.id, [i.data.asset_no, instruments.kind_label(i.data.kind), i.data.name,
                    i.data.model, _text(i.data.calibration_due),
                    tr("inst_ui.instrument_state.overdue") if i.overdue
                    else tr(f"inst_ui.instrument_state.{i.status}")],
             RED if i.overdue else None) for i in data.instruments])
        verdict_colours = {"questionable": AMBER, "unsatisfactory": RED}
        _fill(self.blind, [
            (b.id, [b.data.analyte, f"{_text(b.data.reported_value)} {b.data.unit}".strip(),
                    _text(b.data.assigned_value), _text(b.data.sigma), f"{b.z:.2f}",
                    blind_samples.verdict_label(b.verdict), b.data.scheme],
             verdict_colours.get(b.verdict)) for b in data.blind])

    # ------------------------------------------------------------------ dialogs

    def _open(self, title_key: str, specs: list[FieldSpec], submit: Any) -> None:
        self.dialog = RecordDialog(self.ctx, tr(title_key), specs, submit, self)
        self.dialog.open()

    def add_staff(self, staff_id: str | None = None) -> None:
        current = dict(self.data.staff).get(staff_id) if self.data and staff_id else None
        values = current or institutions.StaffInput()
        specs = [FieldSpec(n, f"inst_ui.field.{n}", value=getattr(values, n))
                 for n in ("name", "title", "position", "id_no")]
        self._open("inst_ui.dialog.staff", specs, lambda v: (
            institutions.save_staff, (self.enterprise_id, institutions.StaffInput(**v)),
            {"staff_id": staff_id}))

    def add_certificate(self, certificate_id: str | None = None) -> None:
        found = {row.id: data for row, data in (self.data.certificates if self.data else [])}
        values = found.get(certificate_id or "") or certificates.CertificateInput()
        kinds = tuple((k.code, k.label()) for k in certificates.load_certificate_kinds().kinds.values())
        people = (("", tr("inst_ui.institution_itself")),
                  *((sid, s.name) for sid, s in (self.data.staff if self.data else [])))
        specs = [FieldSpec("kind", "inst_ui.field.cert_kind", kinds, values.kind),
                 FieldSpec("staff_member_id", "inst_ui.field.holder", people,
                           values.staff_member_id or ""),
                 FieldSpec("number", "inst_ui.field.number", value=values.number),
                 FieldSpec("issued_on", "inst_ui.field.issued_on", value=_text(values.issued_on),
                           placeholder_key="inst_ui.date_placeholder"),
                 FieldSpec("expires_on", "inst_ui.field.expires_on",
                           value=_text(values.expires_on),
                           placeholder_key="inst_ui.date_placeholder")]
        self._open("inst_ui.dialog.certificate", specs, lambda v: (
            certificates.save_certificate, (self.enterprise_id, certificates.CertificateInput(**v)),
            {"certificate_id": certificate_id}))

    def add_instrument(self, instrument_id: str | None = None) -> None:
        found = {i.id: i.data for i in (self.data.instruments if self.data else [])}
        values = found.get(instrument_id or "") or instruments.InstrumentInput()
        kinds = tuple((k.code, k.label()) for k in instruments.load_instrument_kinds().values())
        specs = [FieldSpec("asset_no", "inst_ui.field.asset_no", value=values.asset_no),
                 FieldSpec("kind", "inst_ui.field.instrument_kind", kinds, values.kind),
                 *(FieldSpec(n, f"inst_ui.field.{n}", value=getattr(values, n))
                   for n in ("name", "model", "serial_no", "certificate_no")),
                 *(FieldSpec(n, f"inst_ui.field.{n}", value=_text(getattr(values, n)),
                             placeholder_key="inst_ui.date_placeholder")
                   for n in ("calibrated_on", "calibration_due"))]
        self._open("inst_ui.dialog.instrument", specs, lambda v: (
            instruments.save_instrument, (self.enterprise_id, instruments.InstrumentInput(**v)),
            {"instrument_id": instrument_id}))

    def add_blind(self, result_id: str | None = None) -> None:
        found = {b.id: b.data for b in (self.data.blind if self.data else [])}
        values = found.get(result_id or "") or blind_samples.BlindSampleInput()
        specs = [FieldSpec(n, f"inst_ui.field.{n}", value=_text(getattr(values, n)),
                           placeholder_key="inst_ui.date_placeholder" if n == "tested_on" else "")
                 for n in ("analyte", "unit", "reported_value", "assigned_value", "sigma",
                           "scheme", "tested_on", "note")]
        self._open("inst_ui.dialog.blind", specs, lambda v: (
            blind_samples.record_blind_sample,
            (self.enterprise_id, blind_samples.BlindSampleInput(
                **v, inspection_id=self.inspection_id)),
            {"result_id": result_id}))
