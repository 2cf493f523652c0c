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


def open_stage_verification(ctx: AppContext, project_id: str, stage: str,
                            parent: QWidget | None = None) -> None:
    """Resume the unsigned verification of this stage if there is one, else start a new one."""
    from ohinspect.services.inspection_queries import list_inspections
    from ui.verification import open_verification, start_verification_dialog

    def chosen(inspections: list) -> None:  # type: ignore[type-arg]
        draft = next((i for i in inspections if i.stage == stage and i.locked_at is None), None)
        if draft is not None:
            open_verification(ctx, draft.id, parent)
        else:
            start_verification_dialog(ctx, project_id, stage, parent)

    ctx.read(list_inspections, project_id=project_id, on_done=chosen)


def projects_page(ctx: AppContext) -> QWidget:
    from ui.projects.page import ProjectsPage

    page = ProjectsPage(ctx)
    page.sig_start_verification.connect(
        lambda project_id, stage: open_stage_verification(ctx, project_id, stage, page))
    return page


def sampling_page(ctx: AppContext) -> QWidget:
    from ui.sampling import SamplingPage

    return SamplingPage(ctx)


def sync_page(ctx: AppContext) -> QWidget:
    from ui.sync import SyncPage

    return SyncPage(ctx)


def audits_page(ctx: AppContext) -> QWidget:
    from ui.audits import AuditsPage

    return AuditsPage(ctx)


def rectification_page(ctx: AppContext) -> QWidget:
    from ui.rectification import RectificationPage

    return RectificationPage(ctx)


def review_page(ctx: AppContext) -> QWidget:
    from ui.review import ReviewPage

    return ReviewPage(ctx)


def dashboards_page(ctx: AppContext) -> QWidget:
    from ui.dashboards import DashboardsPage

    return DashboardsPage(ctx)


def page_specs() -> list[PageSpec]:
    from ui.enterprises.page import EnterprisesPage

    return [
        PageSpec("enterprises", "nav.enterprises", EnterprisesPage),
        PageSpec("projects", "nav.projects", projects_page),
        PageSpec("sampling", "nav.sampling", sampling_page),
        PageSpec("audits", "nav.audits", audits_page),
        PageSpec("rectification", "nav.rectification", rectification_page),
        PageSpec("sync", "nav.sync", sync_page),
        PageSpec("review", "nav.review", review_page),
        PageSpec("dashboards", "nav.dashboards", dashboards_page),
    ]
