"""The photos of one checklist item: a row of thumbnails and "add photo"."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.store.models.attachment import Attachment
from ui.context import AppContext
from ui.verification.data import PHOTO_FILTER, THUMB, load_thumbnails
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, OK_STYLE


class PhotoStrip(QWidget):
    """``sig_add_files(paths)`` when the user picked files; the flow saves them."""

    sig_add_files = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._cache: dict[str, QPixmap] = {}
        self._shown: list[str] = []
        self.title = QLabel(tr("ver_ui.photos.title"))
        self.required = QLabel()
        self.required.setObjectName("photo_required")
        self.add_button = QPushButton(tr("ver_ui.photos.add"))
        self.add_button.setObjectName("btn_add_photo")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose_files)
        self.list = QListWidget()
        self.list.setObjectName("photo_list")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setIconSize(THUMB)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setFixedHeight(THUMB.height() + 26)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.empty = QLabel(tr("ver_ui.photos.none"))
        self.empty.setStyleSheet(NOTE_STYLE)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title)
        top.addWidget(self.required)
        top.addStretch(1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, tr("ver_ui.photos.choose"), "", f"{tr('ver_ui.photos.filter')} ({PHOTO_FILTER})")
        if paths:
            self.sig_add_files.emit(list(paths))

    def show_photos(self, photos: list[Attachment], required: bool) -> None:
        count = len(photos)
        if required and not count:
            self.required.setText(tr("ver_ui.photos.required_missing"))
            self.required.setStyleSheet(ERROR_STYLE)
        elif required:
            self.required.setText(tr("ver_ui.photos.required_ok"))
            self.required.setStyleSheet(OK_STYLE)
        else:
            self.required.setText("")
        self.required.setVisible(bool(self.required.text()))
        shas = [p.sha256 for p in photos]
        self._shown = shas
        self.list.clear()
        for photo in photos:
            entry = QListWidgetItem(photo.caption or photo.original_name or "")
            entry.setData(Qt.ItemDataRole.UserRole, photo.sha256)
            entry.setToolTip(photo.caption or photo.original_name or "")
            entry.setSizeHint(QSize(THUMB.width() + 12, THUMB.height() + 22))
            if photo.sha256 in self._cache:
                entry.setIcon(QIcon(self._cache[photo.sha256]))
            self.list.addItem(entry)
        self.list.setVisible(bool(photos))
        self.empty.setVisible(not photos)
        missing = [s for s in shas if s not in self._cache]
        if missing:
            self.ctx.runner.run(load_thumbnails, self.ctx.store, missing,
                                on_done=self._thumbnails_loaded)

    def _thumbnails_loaded(self, images: dict) -> None:  # type: ignore[type-arg]
        for sha, image in images.items():
            self._cache[sha] = QPixmap.fromImage(image)
        for row in range(self.list.count()):
            entry = self.list.item(row)
            sha = entry.data(Qt.ItemDataRole.UserRole)
            if sha in self._cache:
                entry.setIcon(QIcon(self._cache[sha]))

    def thumbnail_count(self) -> int:
        return sum(1 for row in range(self.list.count()) if not self.list.item(row).icon().isNull())

    def set_editable(self, editable: bool) -> None:
        self.add_button.setEnabled(editable)
