"""Opening the correction of a returned record (issue 7 item 3) on the screen that edits it: an
inspection or sampling amendment opens like the record it corrects (its own window); a
reopened rectification item opens the rectification page, on that item, where its 复查 is
done again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.review_queue import ReturnedItem
from ohinspect.services.review_rules import CLOSURE_KIND
from ui.context import AppContext
from ui.rectification.queries import ItemDetail, item_detail
from ui.review.records import open_record


def open_item(ctx: AppContext, item_id: str, parent: QWidget) -> QWidget:
    """The rectification page in its own window with ``item_id`` shown and, once listed,
    selected."""
    from ui.rectification.page import RectificationPage

    window = RectificationPage(ctx, parent)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.setWindowTitle(tr("review.kind.rectification_closure"))
    items = window.items

    def shown(detail: ItemDetail | None) -> None:
        items.show_detail(detail)   # the list keeps the shown item selected when it arrives
        ids = [r.id for r in items.rows]
        if item_id in ids:
            items.table.selectRow(ids.index(item_id))

    ctx.read(item_detail, item_id, local_today(), on_done=shown)
    window.resize(1100, 700)
    window.show()
    return window


def open_correction(ctx: AppContext, item: ReturnedItem, correction_id: str,
                    parent: QWidget) -> QWidget | None:
    """Show the record carrying the correction of ``item``."""
    if item.kind == CLOSURE_KIND:
        return open_item(ctx, correction_id, parent)
    return open_record(ctx, item.kind, correction_id, item.enterprise_id, parent)
