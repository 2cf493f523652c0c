"""The institution panel: lists with expiry / calibration flags, adding through the dialogs."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QLineEdit

from ohinspect.services.certificates import CertificateInput, save_certificate
from ohinspect.services.instruments import InstrumentInput, save_instrument
from ohinspect.store.models import BlindSampleResult, StaffMember
from tests.unit.test_institutions import make_enterprise
from ui.institutions.panel import RED, InstitutionRecordsPanel


def _set(dialog, **values: str) -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        widget = dialog.inputs[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText(value)


def test_panel_flags_and_adds(qtbot, ctx, store) -> None:  # type: ignore[no-untyped-def]
    actor = store.actor("tester")
    ent = make_enterprise(store, actor, "甘肃某职业卫生技术服务有限公司", "technical_service")
    today = date.today()
    save_certificate(store, actor, ent, CertificateInput(kind="cma", number="CMA-OLD",
                                                         expires_on=today - timedelta(days=1)))
    save_instrument(store, actor, ent, InstrumentInput(
        asset_no="QC-2A-07", kind="dust_sampler", calibration_due=today - timedelta(days=3)))
    panel = InstitutionRecordsPanel(ctx, ent)
    qtbot.addWidget(panel)
    assert panel.certs.rowCount() == 1
    assert panel.certs.item(0, 4).text() == "已过期"
    assert panel.certs.item(0, 4).foreground().color() == RED
    assert panel.instruments.item(0, 5).text() == "检定已过期"

    panel.add_staff()
    _set(panel.dialog, name="王志强", title="工程师")
    panel.dialog.save()
    assert panel.staff.rowCount() == 1 and panel.staff.item(0, 0).text() == "王志强"

    panel.add_certificate()              # a personal certificate without expiry: refused
    _set(panel.dialog, kind="oh_technician", number="ZW-1")
    panel.dialog.save()
    assert "没有有效期的证书不予登记" in panel.dialog.errors["expires_on"].text()
    assert panel.dialog.isVisible() or panel.dialog.result() == 0

    panel.add_blind()
    _set(panel.dialog, analyte="铅", reported_value="12.31", assigned_value="10", sigma="1.1")
    panel.dialog.save()
    assert panel.blind.item(0, 4).text() == "2.10" and panel.blind.item(0, 5).text() == "有问题"
    with store.read() as s:
        assert s.query(StaffMember).count() == 1 and s.query(BlindSampleResult).count() == 1
