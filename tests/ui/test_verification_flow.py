"""The 三同时 verification flow, driven through its real widgets on a store prepared with the
services: start → answer every item (keys and buttons; a finding with a note and a photo) →
close and reopen (resumes) → findings → summary → signatures drawn on the pads (the party
refuses before a witness) → signed and locked → both PDFs → amendment."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import (HESHUI, keys, seed_enterprise, seed_inspectors, seed_project, seed_stage,
                     show_window)
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from ohinspect.errors import LockedRecordError
from ohinspect.i18n import set_language
from ohinspect.services.drafts import load_draft
from ohinspect.services.inspection_queries import get_inspection_view
from ohinspect.services.inspections import (InspectionHeader, add_item_photo, answer_item,
                                            start_verification)
from ohinspect.services.numbering import ensure_demo_blocks
from ui.verification import flow as flow_module
from ui.verification import open_verification, start_verification_dialog
from ui.verification.data import DRAFT_FORM
from ui.verification.flow import CHECKLIST, FINDINGS, LOCKED, SIGNATURES, SUMMARY, VerificationFlow
from ui.widgets.signature_pad import SignaturePad

ENTERPRISE = "合水县永固水泥有限公司"
PARTY = "李秀英"
INSPECTORS = (("王建国", "62102420190001"), ("张丽", "62102420200017"))
PNG = bytes.fromhex(  # a 2×2 grey PNG
    "89504e470d0a1a0a0000000d494844520000000200000002080000000057dd52f80000000e49444154"
    "789c636c60606260000002920084f77ca3580000000049454e44ae426082")


# -- a store prepared with the services -------------------------------------------------------
@pytest.fixture
def project_id(store) -> str:  # type: ignore[no-untyped-def]
    ent = seed_enterprise(store, 1, ENTERPRISE, legal_representative=PARTY,
                          address="合水县西华池镇工业集中区 12 号", industry_code="3011",
                          risk_class="general", risk_rule_set="nhc-2021")
    pid = seed_project(store, ent, "年产 60 万吨水泥粉磨站项目", location="合水县西华池镇工业集中区",
                       division_code=HESHUI, industry_code="3011", risk_class="general")
    start = date.today() - timedelta(days=400)
    for n, stage in enumerate(("pre_assessment", "design", "control_effect", "acceptance")):
        seed_stage(store, pid, stage, start + timedelta(days=90 * n),
                   start + timedelta(days=90 * n + 60), institution="甘肃陇原职业卫生技术服务有限公司")
    seed_inspectors(store, INSPECTORS)
    ensure_demo_blocks(store, store.actor("seed"), HESHUI, date.today().year)
    return str(pid)


def started(store, project_id: str) -> str:  # type: ignore[no-untyped-def]
    header = InspectionHeader(place="合水县西华池镇工业集中区", authority="合水县卫生健康局",
                              inspectors=[{"name": n, "id_no": i} for n, i in INSPECTORS],
                              recorder="张丽", party_representative=PARTY, party_title="法定代表人")
    return str(start_verification(store, store.actor("seed"), project_id, "acceptance",
                                  header).record_id)


def answer_all(store, inspection_id: str, skip: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    """Every item "conform" through the service, with a photo where the checklist needs one."""
    actor = store.actor("seed")
    view = view_of(store, inspection_id)
    for item in view.items:
        if item.id in skip:
            continue
        answer_item(store, actor, inspection_id, item.id, "conform")
        if view.template.photo_required(item.id, "conform"):
            add_item_photo(store, actor, inspection_id, item.id, PNG, "image/png")


def view_of(store, inspection_id: str):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return get_inspection_view(session, inspection_id)


# -- drawing like a person -------------------------------------------------------------------
def draw(qtbot, pad: SignaturePad, wave: int = 0) -> None:  # type: ignore[no-untyped-def]
    """A mouse drag across the pad: a zig-zag signature."""
    h = pad.height()
    points = [QPoint(20 + 18 * i, h // 2 + (18 if (i + wave) % 2 else -18)) for i in range(12)]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(pad, p)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])


def press(qtbot, flow: VerificationFlow, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget() or flow.checklist.list
    qtbot.keyClick(target, key)


def photo_file(tmp_path: Path) -> str:
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#8d6e63"))
    for x in range(0, 640, 40):
        for y in range(0, 480, 40):
            image.setPixelColor(x, y, QColor("white"))
    path = tmp_path / "dust_collector.jpg"
    assert image.save(str(path), "JPG")
    return str(path)


def show_flow(qtbot, flow: VerificationFlow) -> VerificationFlow:  # type: ignore[no-untyped-def]
    # open_verification's windows delete themselves when closed
    show_window(qtbot, flow, 1366, 768,
                own=not flow.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose))
    qtbot.waitUntil(lambda: flow.model is not None)
    return flow


@pytest.fixture(autouse=True)
def _no_windows_left():  # type: ignore[no-untyped-def]
    yield
    for window in list(flow_module._open_windows.values()):
        window.close()
    flow_module._open_windows.clear()


# -- the whole flow ---------------------------------------------------------------------------
def test_the_whole_verification_flow(qtbot, ctx, store, project_id, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # 1. start: the header, inspectors picked from the roster
    dialog = start_verification_dialog(ctx, project_id, "acceptance", None)  # deletes itself
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled())
    assert dialog.inspectors.count() == 2
    assert "62102420190001" in dialog.inspectors.item(1).text() + dialog.inspectors.item(0).text()
    assert dialog.party_representative.text() == PARTY          # the legal representative
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["inspectors"].isVisible()               # none picked yet
    assert "检查人员" in dialog.errors["inspectors"].text()
    dialog.check_inspectors([n for n, _ in INSPECTORS])
    assert dialog.recorder.currentText() == "张丽"
    dialog.authority.clear()
    keys(qtbot, dialog.authority, "合水县卫生健康局")
    new_ids: list[str] = []
    dialog.sig_started.connect(new_ids.append)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert len(new_ids) == 1
    inspection_id = new_ids[0]
    flow = flow_module._open_windows[inspection_id]
    show_flow(qtbot, flow)
    assert flow.current_step() == CHECKLIST
    view = view_of(store, inspection_id)
    assert view.inspection.authority == "合水县卫生健康局"
    assert sorted(p["id_no"] for p in view.inspection.inspectors) == sorted(
        i for _n, i in INSPECTORS)
    items = [i.id for i in view.items]
    assert len(items) >= 8
    assert flow.checklist.current_id == items[0]
    assert flow.checklist.basis.text().startswith("依据：")        # the legal basis is shown
    assert [b.text() for b in flow.checklist.answer_buttons.values()] == [
        "1 符合", "2 不符合", "3 不适用"]

    # 2. answer with the keyboard: 1 (conform) moves on by itself
    flow.checklist.list.setFocus()
    press(qtbot, flow, Qt.Key.Key_1)
    assert view_of(store, inspection_id).answer_of(items[0]) == "conform"
    assert flow.checklist.current_id == items[1]
    press(qtbot, flow, Qt.Key.Key_3)                             # not applicable
    assert view_of(store, inspection_id).answer_of(items[1]) == "not_applicable"
    # a finding: 2, then the note (autosaved while typing) and a photo
    assert flow.checklist.current_id == items[2]
    press(qtbot, flow, Qt.Key.Key_2)
    assert flow.checklist.current_id == items[2]                 # stays: say what was found
    assert QApplication.focusWidget() is flow.checklist.note
    keys(qtbot, flow.checklist.note, "未见验收方案书面报告记录")
    qtbot.waitUntil(lambda: view_of(store, inspection_id).answers[items[2]].note
                    == "未见验收方案书面报告记录", timeout=1500)   # debounced ≤ 500 ms
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([photo_file(tmp_path)], "")))
    qtbot.mouseClick(flow.checklist.photos.add_button, Qt.MouseButton.LeftButton)
    assert len(view_of(store, inspection_id).photos[items[2]]) == 1
    qtbot.waitUntil(lambda: flow.checklist.photos.thumbnail_count() == 1)
    press(qtbot, flow, Qt.Key.Key_PageDown)                      # from the note: next item
    assert flow.checklist.current_id == items[3]
    press(qtbot, flow, Qt.Key.Key_PageUp)
    assert flow.checklist.current_id == items[2]
    assert flow.checklist.note.toPlainText() == "未见验收方案书面报告记录"
    flow.checklist.list.setFocus()
    press(qtbot, flow, Qt.Key.Key_PageDown)
    # a button click answers too
    qtbot.mouseClick(flow.checklist.answer_buttons["conform"], Qt.MouseButton.LeftButton)
    assert view_of(store, inspection_id).answer_of(items[3]) == "conform"
    assert flow.checklist.current_id == items[4]
    assert flow.checklist.progress.text() == f"已答 4 / {len(items)} 项"

    # 3. close and reopen: it resumes at the same item, the answers are there
    flow.close()
    assert inspection_id not in flow_module._open_windows
    again = show_flow(qtbot, open_verification(ctx, inspection_id))
    flow = again
    assert flow.checklist.current_id == items[4]
    assert flow.checklist.note.toPlainText() == ""
    assert flow.model.answers[items[2]] == "not_conform"
    flow.checklist.list.setFocus()
    for _ in range(len(items)):                                  # 1, 1, 1 … to the end
        if all(flow.model.answers.get(i) for i in items):
            break
        current = flow.checklist.current_id
        press(qtbot, flow, Qt.Key.Key_1)
        if flow.model.photo_missing(flow.checklist.current_item()):  # the item needs a photo
            flow.model.add_photos(current, [photo_file(tmp_path)])
            press(qtbot, flow, Qt.Key.Key_PageDown)
    view = view_of(store, inspection_id)
    assert all(view.answer_of(i) for i in items)
    assert flow.status.text() == "所有项目均已回答，可进入下一步“发现问题”。"

    # 4. findings: one row, its requirement edited
    qtbot.mouseClick(flow.next_step_button, Qt.MouseButton.LeftButton)
    assert flow.current_step() == FINDINGS
    assert list(flow.findings.rows) == [items[2]]
    row = flow.findings.rows[items[2]]
    assert row.requirement.toPlainText()                          # proposed from the checklist
    assert row.deadline_value() > date.today()
    row.requirement.clear()
    keys(qtbot, row.requirement, "立即补报验收方案")
    assert row.basis.text()

    # 5. summary: counts and text
    qtbot.keyClick(flow.findings, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert flow.current_step() == SUMMARY
    assert flow.summary.counts["finding"].text() == "1"
    assert flow.summary.counts["open"].text() == "0"
    assert flow.summary.counts["photos"].text() == str(
        sum(len(p) for p in view_of(store, inspection_id).photos.values()))
    keys(qtbot, flow.summary.summary, "防护设施已同时投入使用")
    assert flow.summary.days.value() > 0

    # 6. signatures: a blank pad is refused next to that pad, nothing is locked
    flow.go_to_step(SIGNATURES)
    assert view_of(store, inspection_id).inspection.summary == "防护设施已同时投入使用"
    steps = flow.signatures
    assert sorted(b.title() for b in steps.inspectors) == sorted([
        "检查人员：王建国（执法证号 62102420190001）", "检查人员：张丽（执法证号 62102420200017）"])
    for n, box in enumerate(steps.inspectors):
        draw(qtbot, box.pad, n)
        assert not box.pad.is_blank()
    steps.party.refused.click()                                   # the party refuses …
    assert steps.party.witness.isVisible() and not steps.party.pad.isEnabled()
    qtbot.mouseClick(steps.sign_button, Qt.MouseButton.LeftButton)
    assert not view_of(store, inspection_id).locked
    assert "签名为空" in steps.recorder.error.text() and steps.recorder.error.isVisible()
    assert "见证人" in steps.party.error.text()                    # … and needs a witness
    assert not any(b.error.isVisible() for b in steps.inspectors)
    assert flow.current_step() == SIGNATURES
    assert all(not b.pad.is_blank() for b in steps.inspectors)    # nothing lost
    assert row.requirement.toPlainText() == "立即补报验收方案"
    keys(qtbot, steps.party.witness, "村委会主任赵刚")
    draw(qtbot, steps.recorder.pad, 1)
    assert not steps.recorder.error.isVisible()
    qtbot.mouseClick(steps.sign_button, Qt.MouseButton.LeftButton)

    # 7. locked: a read-only view, and the service refuses edits
    qtbot.waitUntil(lambda: flow.model is not None and flow.model.locked)
    view = view_of(store, inspection_id)
    assert view.locked and view.inspection.record_number and view.inspection.opinion_number
    assert [f.requirement for f in view.findings] == ["立即补报验收方案"]
    party_sig = next(s for s in view.signatures if s.role == "party")
    assert party_sig.refused and party_sig.witness_name == "村委会主任赵刚"
    assert load_draft(store, DRAFT_FORM, inspection_id) is None
    assert flow.current_step() == LOCKED
    assert flow.locked_step.fact_labels["record_number"].text() == view.inspection.record_number
    assert not any(b.isEnabled() for b in flow.checklist.answer_buttons.values())
    assert not flow.checklist.note.isEnabled()
    assert not flow.checklist.photos.add_button.isEnabled()
    assert not any(r.requirement.isEnabled() or r.deadline.isEnabled()
                   for r in flow.findings.rows.values())
    assert not flow.summary.summary.isEnabled() and not flow.summary.days.isEnabled()
    assert not any(b.pad.isEnabled() for b in flow.signatures.boxes)
    assert not flow.signatures.sign_button.isVisible()
    flow.go_to_step(CHECKLIST)
    press(qtbot, flow, Qt.Key.Key_2)                              # keys do nothing either
    assert view_of(store, inspection_id).answer_of(items[0]) == "conform"
    with pytest.raises(LockedRecordError):
        answer_item(store, store.actor("x"), inspection_id, items[0], "not_conform")

    # 8. both documents, generated in the background, offered to open
    flow.go_to_step(LOCKED)
    opened: list[str] = []
    monkeypatch.setattr("ui.verification.locked_step.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()))
    from pypdf import PdfReader

    for kind in ("record", "opinion"):
        qtbot.mouseClick(flow.locked_step.generate_buttons[kind], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda k=kind: k in flow.locked_step.files, timeout=30_000)
        path = flow.locked_step.files[kind]
        assert path.exists() and path.stat().st_size > 1000
        text = "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        assert ENTERPRISE in text.replace("\n", "").replace(" ", "")
        assert flow.locked_step.open_buttons[kind].isVisible()
        qtbot.mouseClick(flow.locked_step.open_buttons[kind], Qt.MouseButton.LeftButton)
    assert [Path(p).suffix for p in opened] == [".pdf", ".pdf"]

    # 9. amendment: a reason, then the new draft opens in the same window
    qtbot.mouseClick(flow.locked_step.amend_button, Qt.MouseButton.LeftButton)
    amend_dialog = flow.locked_step.amend_dialog
    assert amend_dialog is not None
    qtbot.mouseClick(amend_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert amend_dialog.error.isVisible()                         # a reason is required
    keys(qtbot, amend_dialog.reason, "当事人职务记录有误")
    qtbot.mouseClick(amend_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.inspection_id != inspection_id and flow.model is not None
                    and flow.model.inspection_id == flow.inspection_id)
    new = view_of(store, flow.inspection_id)
    assert new.inspection.amends_id == inspection_id and not new.locked
    assert flow.state_label.text() == "更正记录草稿"
    assert flow.current_step() == CHECKLIST
    assert flow.model.answers[items[2]] == "not_conform"          # answers copied
    assert all(b.isEnabled() for b in flow.checklist.answer_buttons.values())
    assert flow_module._open_windows.get(flow.inspection_id) is flow


def test_blank_pads_are_refused_next_to_each_pad_and_nothing_is_locked(qtbot, ctx, store, project_id) -> None:  # type: ignore[no-untyped-def]
    inspection_id = started(store, project_id)
    answer_all(store, inspection_id)
    flow = show_flow(qtbot, VerificationFlow(ctx, inspection_id))
    assert flow.checklist.current_id == view_of(store, inspection_id).items[0].id  # all answered
    flow.go_to_step(SIGNATURES)
    steps = flow.signatures
    assert len(steps.boxes) == 4
    draw(qtbot, steps.inspectors[0].pad)
    qtbot.mouseClick(steps.sign_button, Qt.MouseButton.LeftButton)
    view = view_of(store, inspection_id)
    assert not view.locked and not view.signatures and not view.inspection.record_number
    for box in (steps.inspectors[1], steps.party, steps.recorder):
        assert box.error.isVisible() and "签名为空" in box.error.text(), box.title()
    assert not steps.inspectors[0].error.isVisible()
    assert not steps.inspectors[0].pad.is_blank()                 # the drawn one is kept
    assert steps.message.isVisible() and "3 个问题" in steps.message.text()
    assert flow.findings.rows == {}
    steps.recorder.pad.clear_button.setVisible(False)
    draw(qtbot, steps.recorder.pad)
    assert not steps.recorder.error.isVisible()                   # drawing clears its message
    steps.recorder.pad.clear()
    assert steps.recorder.pad.is_blank()


def test_unanswered_items_jump_to_the_first_one(qtbot, ctx, store, project_id) -> None:  # type: ignore[no-untyped-def]
    inspection_id = started(store, project_id)
    items = view_of(store, inspection_id).items
    answer_all(store, inspection_id, skip=(items[3].id, items[5].id))
    flow = show_flow(qtbot, VerificationFlow(ctx, inspection_id))
    assert flow.checklist.current_id == items[3].id               # resumes at the first open
    flow.go_to_step(SIGNATURES)
    for box in flow.signatures.boxes:
        draw(qtbot, box.pad)
    qtbot.mouseClick(flow.signatures.sign_button, Qt.MouseButton.LeftButton)
    assert not view_of(store, inspection_id).locked
    assert flow.current_step() == CHECKLIST
    assert flow.checklist.current_id == items[3].id
    assert flow.checklist.message.text() == "此项尚未回答，签名前须作答。"
    assert flow.checklist.message.isVisible()
    assert flow.status.text().startswith("未签名锁定")
    flow.go_to_step(SIGNATURES)
    assert all(not b.pad.is_blank() for b in flow.signatures.boxes)  # nothing lost


def test_signature_pad_exports_ink_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(360, 110)
    pad.show()
    assert pad.is_blank()
    blank = QImage.fromData(pad.to_png())
    assert all(blank.pixelColor(x, y) == QColor("white")
               for x in range(0, blank.width(), 7) for y in range(0, blank.height(), 7))
    changes = []
    pad.sig_changed.connect(lambda: changes.append(1))
    draw(qtbot, pad)
    assert not pad.is_blank() and changes
    ink = QImage.fromData(pad.to_png())
    assert ink.width() == 720 and ink.height() == 220             # 2× for the PDF
    dark = sum(1 for x in range(ink.width()) for y in range(0, ink.height(), 2)
               if ink.pixelColor(x, y).lightness() < 128)
    assert dark > 100
    assert pad.clear_button.isVisible()
    qtbot.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)
    assert pad.is_blank() and not pad.clear_button.isVisible()


def test_answers_and_notes_are_saved_with_real_threads(qtbot, threaded_ctx, store, project_id) -> None:  # type: ignore[no-untyped-def]
    inspection_id = started(store, project_id)
    flow = VerificationFlow(threaded_ctx, inspection_id)
    show_flow(qtbot, flow)
    qtbot.waitUntil(lambda: bool(flow.checklist.current_id), timeout=5000)
    items = [i.id for i in flow.model.items()]
    flow.checklist.list.setFocus()
    for _ in range(3):
        qtbot.keyClick(flow.checklist.list, Qt.Key.Key_1)      # as fast as one can type
    assert flow.checklist.current_id == items[3]
    qtbot.keyClick(flow.checklist.list, Qt.Key.Key_2)
    keys(qtbot, flow.checklist.note, "a1b")               # digits in the note are text
    assert flow.model.answers[items[3]] == "not_conform"
    keys(qtbot, flow.checklist.note, "c")
    qtbot.waitUntil(lambda: view_of(store, inspection_id).answers.get(items[3]) is not None
                    and view_of(store, inspection_id).answers[items[3]].note == "a1bc",
                    timeout=5000)
    view = view_of(store, inspection_id)
    assert [view.answer_of(i) for i in items[:4]] == ["conform"] * 3 + ["not_conform"]
    qtbot.waitUntil(lambda: flow.checklist.saved_label.text() == "已保存", timeout=5000)
    assert view.inspection.current_item == items[4]


# -- strings ----------------------------------------------------------------------------------
def test_english_labels(qtbot, ctx, store, project_id) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    inspection_id = started(store, project_id)
    flow = show_flow(qtbot, VerificationFlow(ctx, inspection_id))
    assert [b.text() for b in flow.checklist.answer_buttons.values()][0].startswith("1 ")
    assert flow.step_buttons[0].text() == "1 Checklist"
    assert flow.checklist.progress.text().endswith("answered")
    assert isinstance(flow.next_step_button, QPushButton)
