"""Thumbnails of a reviewed record's photos; the files are read off the GUI thread, a double
click opens the photo in the system's viewer."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

from ohinspect.services.attachments import attachment_path
from ohinspect.services.review_photos import Photo, record_photos
from ohinspect.store.database import Store
from ui.context import AppContext
from ui.tasks import if_alive

THUMB_PX = 96
#: thumbnails shown at most (a record with more photos shows the first ones; the record's own
#: screen shows all)
MAX_THUMBNAILS = 24


def _load(store: Store, record_type: str, record_id: str) -> list[tuple[Photo, bytes]]:
    with store.read() as session:
        photos = record_photos(session, record_type, record_id)[:MAX_THUMBNAILS]
    out = []
    for p in photos:
        path = attachment_path(store, p.sha256)
        if path.is_file():
            out.append((p, path.read_bytes()))
    return out


class PhotoStrip(QListWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.key: tuple[str, str] | None = None
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setMinimumHeight(THUMB_PX + 16)
        self.itemDoubleClicked.connect(self._open)

    def show_record(self, record_type: str, record_id: str) -> None:
        self.key = (record_type, record_id)
        self.clear()
        self.ctx.runner.run(_load, self.ctx.store, record_type, record_id,
                            on_done=lambda photos, k=self.key: self._loaded(k, photos))

    def show_nothing(self) -> None:
        self.key = None
        self.clear()

    @if_alive
    def _loaded(self, key: tuple[str, str], photos: list[tuple[Photo, bytes]]) -> None:
        if key != self.key:
            return   # another record was selected meanwhile
        for photo, data in photos:
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            item = QListWidgetItem(QIcon(pixmap.scaled(
                THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation)), "")
            item.setToolTip(photo.caption)
            item.setData(Qt.ItemDataRole.UserRole, photo.sha256)
            self.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        path = attachment_path(self.ctx.store, str(item.data(Qt.ItemDataRole.UserRole)))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
