"""The areas of the main window. Each later issue replaces its placeholder with a real page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ui.context import AppContext


@dataclass(frozen=True)
class PageSpec:
    page_id: str
    title_key: str
    factory: Callable[[AppContext], QWidget] | None  # None: not built yet (placeholder)


class PlaceholderPage(QWidget):
    """Says plainly that an area is not available yet; never pretends to work."""

    def __init__(self, title: str) -> None:
        super().__init__()
        label = QLabel(tr("ui.page_not_ready", title=title))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)


def page_specs() -> list[PageSpec]:
    from ui.enterprises.page import EnterprisesPage

    return [
        PageSpec("enterprises", "nav.enterprises", EnterprisesPage),
        PageSpec("projects", "nav.projects", None),
        PageSpec("sampling", "nav.sampling", None),
        PageSpec("audits", "nav.audits", None),
        PageSpec("rectification", "nav.rectification", None),
        PageSpec("sync", "nav.sync", None),
        PageSpec("review", "nav.review", None),
    ]
