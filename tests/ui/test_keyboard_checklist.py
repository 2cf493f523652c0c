"""The checklist flow with the keyboard only, in a small window (1366×768 at 150 %): the last
three items answered with the number keys (PgDn between them), Alt+4 to the signatures, Tab
reaches the party's fields and then the sign button, and Space on it signs (refused here:
a signature itself is drawn with the pen or mouse, and nobody has drawn one)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from test_verification_flow import (  # noqa: F401  (project_id is a fixture)
    _no_windows_left,
    answer_all,
    project_id,
    show_window,
    started,
    view_of,
)
from ohinspect.i18n import tr
from ui.verification import open_verification
from ui.verification.checklist_step import COLOURS, _state_icon
from ui.verification.flow import SIGNATURES

MAX_TABS = 60   # more than the widgets of the signatures step


def test_answer_three_items_and_reach_sign(qtbot, ctx, store, project_id) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    inspection_id = started(store, project_id)
    view = view_of(store, inspection_id)
    plain = [i.id for i in view.items if not view.template.photo_required(i.id, "conform")]
    last_three = plain[-3:]
    answer_all(store, inspection_id, skip=tuple(last_three))
    flow = open_verification(ctx, inspection_id)
    show_window(qtbot, flow, 895, 472, own=False)
    qtbot.waitUntil(lambda: flow.model is not None)
    flow.checklist.list.setFocus()
    order = [i.id for i in view.items]
    assert flow.checklist.current_id == last_three[0]              # resumed where work stops
    for item_id in last_three:
        while flow.checklist.current_id != item_id:                # PgDn: the next item
            assert order.index(flow.checklist.current_id) < order.index(item_id)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)        # 1 = conforms
        assert view_of(store, inspection_id).answer_of(item_id) == "conform"
        entry = flow.checklist.list.item(order.index(item_id))      # the state in words too
        assert tr("ver_ui.item.state.ok") in entry.data(Qt.ItemDataRole.AccessibleTextRole)
    assert all(view_of(store, inspection_id).answer_of(i.id) for i in view.items)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert flow.current_step() == SIGNATURES
    steps = flow.signatures
    reached = []
    for _ in range(MAX_TABS):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if reached[-1] is steps.sign_button:
            break
    assert steps.sign_button in reached, [type(w).__name__ for w in reached]
    party = steps.party                            # the party's fields on the way, in order
    assert party is not None
    assert reached.index(party.name_edit) < reached.index(party.refused) < len(reached) - 1
    qtbot.keyClick(steps.sign_button, Qt.Key.Key_Space)
    assert steps.message.isVisible() and steps.message.text()
    assert view_of(store, inspection_id).inspection.locked_at is None


def test_item_states_differ_in_shape_not_only_colour(qtbot) -> None:  # type: ignore[no-untyped-def]
    """High contrast / colour-blind users: drawn in one colour, every state's icon still differs."""
    masks = {}
    for state in COLOURS:
        image = _state_icon(state, "#000000").pixmap(16, 16).toImage()
        masks[state] = bytes(image.pixel(x, y) >> 24 > 64 for y in range(16) for x in range(16))
    assert len(set(masks.values())) == len(COLOURS), "two states draw the same shape"
