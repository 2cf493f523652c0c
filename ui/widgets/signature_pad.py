"""A pad a person signs on with a mouse, a pen (tablet) or a finger (touch screen).

Strokes are kept as :class:`QPainterPath` objects; ``to_png()`` renders only the ink (black on
white, no hint text, no baseline) so the service's "no ink" check sees exactly what was drawn.
A stored signature can be shown read-only with ``show_image()``.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from ohinspect.i18n import tr

INK = QColor("#10204a")
PEN_WIDTH = 2.6
BORDER = QColor("#9e9e9e")
BORDER_ERROR = QColor("#c62828")
HINT = QColor("#9e9e9e")
MAX_HEIGHT = 220   # room to sign on a touch screen, yet four pads fit a 768-pixel screen


class SignaturePad(QWidget):
    """The canvas; a small "clear" button sits in its top-right corner."""

    sig_changed = Signal()   # a stroke was added or the pad was cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_pad")
        self._paths: list[QPainterPath] = []
        self._current: QPainterPath | None = None
        self._image: QImage | None = None      # a stored signature shown read-only
        self._error = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 96)
        self.setMaximumHeight(MAX_HEIGHT)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolTip(tr("ver_ui.pad.tooltip"))
        self.clear_button = QToolButton(self)
        self.clear_button.setText(tr("ver_ui.pad.clear"))
        self.clear_button.setObjectName("pad_clear")
        self.clear_button.setAutoRaise(True)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.hide()

    def sizeHint(self) -> QSize:
        return QSize(360, 110)

    # -- state -------------------------------------------------------------------------------
    def is_blank(self) -> bool:
        return not any(not p.isEmpty() for p in self._paths)

    def clear(self) -> None:
        self._paths.clear()
        self._current = None
        self.clear_button.hide()
        self.update()
        self.sig_changed.emit()

    def set_error(self, error: bool) -> None:
        """Outline the pad in red while a problem is shown next to it."""
        self._error = error
        self.update()

    def show_image(self, png: bytes | None) -> None:
        """Show a stored signature (read-only display); ``None`` shows the empty pad."""
        image = QImage()
        self._image = image if png and image.loadFromData(png) else None
        self.update()

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().changeEvent(event)
        self._place_clear_button()

    def to_png(self, scale: float = 2.0) -> bytes:
        """The ink only, black on white, at ``scale`` × the pad's size (sharper in the PDF)."""
        size = self.size()
        image = QImage(max(1, int(size.width() * scale)), max(1, int(size.height() * scale)),
                       QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        self._draw_ink(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    # -- drawing -----------------------------------------------------------------------------
    def _begin(self, pos: QPointF) -> None:
        if not self.isEnabled():
            return
        path = QPainterPath(pos)
        path.lineTo(pos + QPointF(0.1, 0.1))  # a tap leaves a dot
        self._current = path
        self._paths.append(path)
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._current is None:
            return
        self._current.lineTo(pos)
        self.update()

    def _end(self, pos: QPointF | None = None) -> None:
        if self._current is None:
            return
        if pos is not None:
            self._current.lineTo(pos)
        self._current = None
        self.clear_button.setVisible(self.isEnabled())
        self._place_clear_button()
        self.update()
        self.sig_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current is not None:
            self._extend(event.position())
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._end(event.position())
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()   # no synthesised mouse events: one stroke, not two

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        kind = event.type()
        if kind in (event.Type.TouchBegin, event.Type.TouchUpdate, event.Type.TouchEnd,
                    event.Type.TouchCancel):
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == event.Type.TouchBegin:
                    self._begin(pos)
                elif kind == event.Type.TouchUpdate:
                    self._extend(pos)
                else:
                    self._end(pos)
            event.accept()
            return True
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_clear_button()

    def _place_clear_button(self) -> None:
        hint = self.clear_button.sizeHint()
        self.clear_button.setGeometry(self.width() - hint.width() - 4, 4, hint.width(),
                                      hint.height())
        if not self.isEnabled() or self.is_blank():
            self.clear_button.hide()

    def _draw_ink(self, painter: QPainter) -> None:
        pen = QPen(INK, PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for path in self._paths:
            painter.drawPath(path)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        shown = self._image is not None and not self._image.isNull()
        painter.fillRect(rect, QColor("white") if self.isEnabled() or shown else QColor("#f4f4f4"))
        painter.setPen(QPen(BORDER_ERROR if self._error else BORDER, 2 if self._error else 1))
        painter.drawRoundedRect(rect, 4, 4)
        if shown:
            assert self._image is not None
            target = QRectF(self.rect()).adjusted(4, 4, -4, -4)
            scaled = self._image.size().scaled(target.size().toSize(),
                                               Qt.AspectRatioMode.KeepAspectRatio)
            x = target.x() + (target.width() - scaled.width()) / 2
            y = target.y() + (target.height() - scaled.height()) / 2
            painter.drawImage(QRectF(x, y, scaled.width(), scaled.height()), self._image)
            return
        base_y = self.height() - 22
        painter.setPen(QPen(QColor("#d0d0d0"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(16, base_y), QPointF(self.width() - 16, base_y))
        if self.is_blank() and self.isEnabled():
            painter.setPen(HINT)
            painter.drawText(QRectF(16, 0, self.width() - 32, base_y - 2),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             tr("ver_ui.pad.hint"))
        self._draw_ink(painter)
