"""Audits through their real widgets: the list page starts an institution audit (kind, party,
checklist, header), the shared checklist flow grades every item (a 不符合 finding with a note,
a grade changed only with a reason), signatures drawn on the pads, signed with its overall
result, the audit record PDF, then a notice (责令改正通知书) issued from its findings as a PDF;
the institution's records sit in the audit window's second tab."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import HESHUI, keys, seed_enterprise, seed_inspectors, show_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader

from ohinspect.services.inspection_queries import get_inspection_view
from ohinspect.services.numbering import ensure_demo_blocks
from ui.audits import AuditsPage
from ui.audits import flow as audit_flow
from ui.verification.flow import FINDINGS, LOCKED, SIGNATURES

INSTITUTION = "庆阳市陇东职业卫生检测有限公司"
EMPLOYER = "合水县永固水泥有限公司"
INSPECTORS = (("王建国", "62102420190001"), ("张丽", "62102420200017"))


@pytest.fixture
def seeded(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = {"institution": seed_enterprise(store, 1, INSTITUTION, org_kind="technical_service",
                                          legal_representative="周强",
                                          address="庆阳市西峰区长庆大道 8 号"),
           "employer": seed_enterprise(store, 2, EMPLOYER, legal_representative="李秀英")}
    seed_inspectors(store, INSPECTORS)
    ensure_demo_blocks(store, store.actor("seed"), HESHUI, date.today().year)
    return ids


@pytest.fixture(autouse=True)
def _no_windows_left():  # type: ignore[no-untyped-def]
    yield
    for window in list(audit_flow._open_windows.values()):
        window.close()
    audit_flow._open_windows.clear()


def _view(store, iid: str):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return get_inspection_view(session, iid)


def _draw(qtbot, pad, wave: int = 0) -> None:  # type: ignore[no-untyped-def]
    from test_verification_flow import draw

    draw(qtbot, pad, wave)


def test_an_institution_audit_from_start_to_a_notice_pdf(qtbot, ctx, store, seeded,  # type: ignore[no-untyped-def]
                                                         monkeypatch) -> None:
    page = AuditsPage(ctx)
    show_window(qtbot, page, 1200, 700)
    assert page.table.rowCount() == 0

    # 1. start: an institution audit lists institutions only, and their checklist
    dialog = page.start_audit()
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled())
    dialog.choose("workplace_audit", EMPLOYER)
    assert [dialog.party.itemText(i) for i in range(dialog.party.count())] == [
        f"{EMPLOYER}（用人单位）"]
    dialog.choose("institution_audit", INSTITUTION)
    assert dialog.party.count() == 1 and dialog.party.currentText().startswith(INSTITUTION)
    assert dialog.template.currentData() == "institution_audit.technical_service"
    assert dialog.party_representative.text() == "周强"
    dialog.check_inspectors([n for n, _ in INSPECTORS])
    keys(qtbot, dialog.authority, "合水县卫生健康局")
    started: list[tuple[str, str, str]] = []
    dialog.sig_started_audit.connect(lambda *a: started.append(a))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert len(started) == 1
    iid, kind, enterprise_id = started[0]
    assert (kind, enterprise_id) == ("institution_audit", seeded["institution"])
    window = audit_flow._open_windows[iid]
    show_window(qtbot, window, 1366, 768, own=False)
    flow = window.flow
    qtbot.waitUntil(lambda: flow.model is not None)
    assert window.tabs.count() == 2 and window.records is not None   # slice I's records panel
    assert "机构能力审核" in flow.title.text() and INSTITUTION in flow.title.text()
    assert page.table.rowCount() == 1 and page.table.item(0, 2).text() == INSTITUTION

    # 2. grade every item with the shared checklist step; the first one 不符合 with a note
    items = [i.id for i in flow.model.items()]
    assert [b.text() for b in flow.checklist.answer_buttons.values()] == [
        "1 符合", "2 基本符合", "3 不符合"]
    flow.checklist.list.setFocus()
    qtbot.keyClick(flow.checklist.list, Qt.Key.Key_3)
    assert _view(store, iid).answer_of(items[0]) == "not_conform"
    keys(qtbot, flow.checklist.note, "资质证书已于上月过期")
    qtbot.waitUntil(lambda: _view(store, iid).answers[items[0]].note == "资质证书已于上月过期",
                    timeout=1500)
    for item_id in items[1:]:
        flow.checklist.show_item(item_id)
        qtbot.mouseClick(flow.checklist.answer_buttons["conform"], Qt.MouseButton.LeftButton)
        if flow.model.photo_missing(flow.checklist.current_item()):
            pytest.fail(f"{item_id} needs a photo for 符合")
    assert all(_view(store, iid).answer_of(i) == "conform" for i in items[1:])

    # 3. grading a graded item again asks for a reason, and is recorded as a change
    flow.checklist.show_item(items[1])
    qtbot.mouseClick(flow.checklist.answer_buttons["basically_conform"], Qt.MouseButton.LeftButton)
    change = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "change_grade_dialog" and w.isVisible())
    assert _view(store, iid).answer_of(items[1]) == "conform"          # not yet
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert change.error.isVisible()                                    # a reason is required
    keys(qtbot, change.reason, "人员名单与备案不一致")
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert _view(store, iid).answer_of(items[1]) == "basically_conform"

    # 4. findings proposed for both, then the signatures drawn, then sign
    flow.go_to_step(FINDINGS)
    assert list(flow.findings.rows) == [items[0], items[1]]
    flow.go_to_step(SIGNATURES)
    steps = flow.signatures
    for n, box in enumerate(steps.inspectors):
        _draw(qtbot, box.pad, n)
    _draw(qtbot, steps.party.pad, 1)
    _draw(qtbot, steps.recorder.pad, 0)
    qtbot.mouseClick(steps.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.model is not None and flow.model.locked)
    view = _view(store, iid)
    assert view.inspection.overall_result == "not_conform"     # the qualification is a key item
    assert [f.source_type for f in view.findings] == ["audit", "audit"]
    assert flow.current_step() == LOCKED
    locked = flow.locked_step
    assert locked.fact_labels["overall_result"].text() == "不符合"
    assert not locked.doc_rows["opinion"].isVisibleTo(locked)
    assert locked.doc_rows["audit"].isVisibleTo(locked)

    # 5. the audit record PDF
    monkeypatch.setattr("ui.verification.locked_step.QDesktopServices.openUrl", lambda url: None)
    qtbot.mouseClick(locked.generate_buttons["audit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "audit" in locked.files, timeout=30_000)
    text = "".join(p.extract_text() for p in PdfReader(str(locked.files["audit"])).pages)
    assert "职业卫生机构能力审核记录" in text.replace("\n", "")

    # 6. a notice from its findings: slice I's dialog, issued and rendered to PDF
    assert locked.notice_button.isEnabled()
    qtbot.mouseClick(locked.notice_button, Qt.MouseButton.LeftButton)
    notice = locked.notice_dialog
    assert notice is not None and notice.items.count() == 2
    assert len(notice.checked_ids()) == 2                     # this audit's findings, ticked
    qtbot.mouseClick(notice.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notice.pdf is not None, timeout=30_000)
    pdf = "".join(p.extract_text() for p in PdfReader(str(notice.pdf)).pages).replace("\n", "")
    assert INSTITUTION in pdf and "资质证书已于上月过期" in pdf
    assert page.table.item(0, 5).text() == "不符合"           # the list shows the result
