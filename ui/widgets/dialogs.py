"""Dialog parts: the OK / Cancel row, the question asked when an editor with unsaved input
is closed, and sizing a window to a small screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr


def ok_cancel_buttons(ok_text: str, on_ok: Callable[[], None], on_cancel: Callable[[], None]
                      ) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """``(box, ok, cancel)``; neither button is pressed by Enter in a field."""
    buttons = QDialogButtonBox()
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setAutoDefault(False)
    cancel = buttons.addButton(tr("ui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    cancel.setAutoDefault(False)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(on_cancel)
    return buttons, ok, cancel


class DiscardDraftMixin:
    """For an editor dialog closed with unsaved input: :meth:`ask_discard_draft` asks whether to
    discard the draft, keep it for later, or continue editing (the default). The answer calls
    :meth:`_discard_draft` or :meth:`_keep_draft` (each closes the dialog); continuing does
    nothing. ``discard_box`` is the open question."""

    discard_box: QMessageBox | None = None
    discard_btn: QAbstractButton
    keep_btn: QAbstractButton
    continue_btn: QAbstractButton

    def ask_discard_draft(self, title_key: str, question_key: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, tr(title_key), tr(question_key),
                          QMessageBox.StandardButton.NoButton, self)  # type: ignore[arg-type]
        self.discard_btn = box.addButton(tr("ent_ui.editor.discard"),
                                         QMessageBox.ButtonRole.DestructiveRole)
        self.keep_btn = box.addButton(tr("ent_ui.editor.keep_draft"),
                                      QMessageBox.ButtonRole.AcceptRole)
        self.continue_btn = box.addButton(tr("ent_ui.editor.continue"),
                                          QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.continue_btn)  # type: ignore[arg-type]
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(self._discard_answer)
        self.discard_box = box
        box.open()

    def _discard_answer(self, button: object) -> None:
        self.discard_box = None
        if button is self.discard_btn:
            self._discard_draft()
        elif button is self.keep_btn:
            self._keep_draft()

    def _discard_draft(self) -> None:
        raise NotImplementedError

    def _keep_draft(self) -> None:
        raise NotImplementedError


# -- small screens (1366×768, also at 150 % scaling: about 911×512 device-independent pixels) --
FRAME_ALLOWANCE = (16, 40)   # a window manager's frame and title bar around a top-level window
SCROLL_NAME = "screen_fit_scroll"


class FittingScrollArea(QScrollArea):
    """Asks for its content's full size (so ``adjustSize`` still grows a window to show new
    messages) while it can shrink to any size and scroll."""

    def sizeHint(self) -> QSize:
        inner = self.widget()
        if inner is None:
            return super().sizeHint()
        frame = 2 * self.frameWidth()
        return inner.sizeHint() + QSize(frame, frame)


def available_area(widget: QWidget) -> QRect | None:
    """The available geometry (without task bars) of the screen ``widget`` is on, or of the
    primary screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(window: QWidget, width: int | None = None, height: int | None = None) -> None:
    """Size a top-level ``window`` to ``width``×``height`` (default: its size hint), never past
    the available area of its screen. Its content moves into a scroll area (the trailing
    button row stays below it), so a screen smaller than the content's minimum scrolls instead
    of pushing the window past the screen's edge."""
    hint = window.sizeHint()
    width, height = width or hint.width(), height or hint.height()
    scroll_content(window)
    area = available_area(window)
    if area is not None:
        width = min(width, area.width() - FRAME_ALLOWANCE[0])
        height = min(height, area.height() - FRAME_ALLOWANCE[1])
    window.resize(width, height)


def scroll_content(window: QWidget) -> QScrollArea | None:
    """Move ``window``'s layout into a frameless, resizing scroll area (once); a trailing
    :class:`QDialogButtonBox` stays outside it, always visible."""
    layout = window.layout()
    if layout is None or window.findChild(QScrollArea, SCROLL_NAME) is not None:
        return None
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    buttons = last.widget() if last is not None else None
    if isinstance(buttons, QDialogButtonBox):
        layout.removeWidget(buttons)
    else:
        buttons = None
    margins = layout.contentsMargins()
    inner = QWidget()
    inner.setLayout(layout)   # takes the layout (and its widgets) from ``window``
    scroll = FittingScrollArea()
    scroll.setObjectName(SCROLL_NAME)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(inner)
    outer = QVBoxLayout(window)
    outer.setContentsMargins(0, 0, 0, 0 if buttons is None else margins.bottom())
    outer.addWidget(scroll, 1)
    if buttons is not None:
        row = QHBoxLayout()
        row.setContentsMargins(margins.left(), 0, margins.right(), 0)
        row.addWidget(buttons)
        outer.addLayout(row)
    return scroll

