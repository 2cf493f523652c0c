"""What every tab of a sampling task shares: the task, the context, a status line."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QWidget,
)

from ohinspect.i18n import current_language, tr
from ui.sampling.queries import TaskBundle
from ui.tasks import if_alive, user_message
from ui.widgets.messages import OK_STYLE, MessageLabel

if TYPE_CHECKING:
    from ui.sampling.task_view import TaskView


TIME_FORMAT = "%Y-%m-%d %H:%M"


def time_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime(TIME_FORMAT)
    return "" if value is None else str(value)


def hazard_name(code: str) -> str:
    """The factor's name in the interface language (the code itself when it is unknown)."""
    from ohinspect.standards.hazards import load_hazard_catalogue

    factor = load_hazard_catalogue().get(code)
    return factor.name(current_language()) if factor is not None else code


def post_label(p: Any) -> str:
    return " / ".join(x for x in (p.workshop, p.post, p.job_type) if x)


class _Tab(QWidget):
    def __init__(self, view: TaskView) -> None:
        super().__init__()
        self.view = view
        self.ctx = view.ctx
        self.bundle: TaskBundle | None = None
        self.summary = MessageLabel()

    @property
    def task_id(self) -> str:
        assert self.view.task_id is not None
        return self.view.task_id

    def locked(self) -> bool:
        return bool(self.bundle is not None and self.bundle.view.locked)  # type: ignore[attr-defined]

    def report(self, exc: BaseException) -> None:
        """An error that belongs to no field, in plain words under the tab."""
        self.summary.show_messages([user_message(exc)])

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        """Problems next to their fields (tabs with a ``grid``); anything else under the tab."""
        grid = getattr(self, "grid", None)
        if grid is None or not grid.show_error(exc, self.summary):
            self.report(exc)

    def _ok(self, key: str, **kw: object) -> None:
        self.summary.show_messages([tr(key, **kw)], OK_STYLE)


# ------------------------------------------------------------------ 岗位与方案
