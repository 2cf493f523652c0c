"""Documents and photos of one record (a project stage): list with size, add from a file (read
and stored in the background), open with the system's viewer."""

from __future__ import annotations

import mimetypes
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.attachments import (
    add_attachment,
    attachment_path,
    load_attachment_rules,
)
from ohinspect.store.changes import OpResult
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment
from ohinspect.store.uow import Actor
from ui.context import AppContext
from ui.tasks import if_alive
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, MessageLabel

#: what a file becomes by its media type (anything else is a document)
KIND_BY_MEDIA = {"image/jpeg": "photo", "image/png": "photo", "image/webp": "photo",
                 "image/tiff": "scan"}
_EXTRA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                ".webp": "image/webp", ".tif": "image/tiff", ".tiff": "image/tiff",
                ".pdf": "application/pdf"}


def media_type_of(path: Path) -> str:
    return _EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or \
        "application/octet-stream"


def attach_file(store: Store, actor: Actor, owner_type: str, owner_id: str, path: str,
                caption: str = "") -> OpResult:
    """Read ``path`` and attach it (runs in the background: the file may be large)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ValidationError([FieldProblem("file", "prj_ui.attach.read_failed", tr(
            "prj_ui.attach.read_failed", name=file.name, reason=exc.strerror or exc))]) from exc
    media_type = media_type_of(file)
    return add_attachment(store, actor, owner_type, owner_id, data,
                          kind=KIND_BY_MEDIA.get(media_type, "document"), media_type=media_type,
                          original_name=file.name[:260], caption=caption)


def copy_for_viewing(store: Store, sha256: str, original_name: str, media_type: str) -> Path:
    """A copy under a readable name (the stored file is named by its hash, with no extension),
    so the system's viewer recognises it; the original is never handed out to be edited."""
    source = attachment_path(store, sha256)
    suffix = Path(original_name).suffix or (mimetypes.guess_extension(media_type) or "")
    name = Path(original_name).stem or sha256[:12]
    folder = Path(tempfile.mkdtemp(prefix="ohinspect-view-"))
    target = folder / f"{name}{suffix}"
    shutil.copyfile(source, target)
    return target


def size_text(size: int) -> str:
    if size < 1024:
        return tr("prj_ui.size.bytes", size=size)
    if size < 1024 * 1024:
        return tr("prj_ui.size.kb", size=f"{size / 1024:.1f}")
    return tr("prj_ui.size.mb", size=f"{size / 1048576:.1f}")


def file_filter() -> str:
    patterns = sorted({f"*{ext}" for ext, media in _EXTRA_TYPES.items()
                       if media in load_attachment_rules().media_types})
    return tr("prj_ui.attach.filter", patterns=" ".join(patterns))


class AttachmentList(QWidget):
    """``owner()`` returns ``(owner_type, owner_id)`` or None while the owner is not saved.
    ``sig_added`` after a file was stored (the page reloads from ``ctx.sig_changed`` too)."""

    sig_added = Signal(str)

    def __init__(self, ctx: AppContext, owner: Callable[[], tuple[str, str] | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self._owner = ctx, owner
        self.adding = False
        self._rows: list[Attachment] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr("prj_ui.attach.name"),
                                              tr("prj_ui.attach.kind_col"),
                                              tr("prj_ui.attach.size")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton(tr("prj_ui.attach.add"))
        self.add_button.setObjectName("btn_attach_add")
        self.open_button = QPushButton(tr("prj_ui.attach.open"))
        self.open_button.setObjectName("btn_attach_open")
        for b in (self.add_button, self.open_button):
            b.setAutoDefault(False)
        self.message = MessageLabel()
        self.add_button.clicked.connect(self.choose_file)
        self.open_button.clicked.connect(self.open_current)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    def set_attachments(self, rows: list[Attachment]) -> None:
        self._rows = list(rows)
        self.table.setRowCount(len(self._rows))
        for i, att in enumerate(self._rows):
            name = att.original_name or att.sha256[:12]
            kind = tr(f"prj_ui.attach.kind.{att.kind}")
            cells = (name, kind, size_text(att.size))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(att.caption or name)
                self.table.setItem(i, column, item)
        self._update_buttons()

    def names(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]

    def _update_buttons(self) -> None:
        has_owner = self._owner() is not None
        self.add_button.setEnabled(has_owner and not self.adding)
        self.add_button.setToolTip("" if has_owner else tr("prj_ui.attach.save_stage_first"))
        self.open_button.setEnabled(self.table.currentRow() >= 0)

    def refresh_owner(self) -> None:
        self._update_buttons()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("prj_ui.attach.choose"), "", file_filter())
        if name:
            self.add_file(name)

    def add_file(self, path: str) -> None:
        owner = self._owner()
        if owner is None or self.adding:
            return
        self.adding = True
        self._update_buttons()
        self.message.show_messages([tr("prj_ui.attach.adding", name=Path(path).name)], NOTE_STYLE)
        self.ctx.perform(attach_file, owner[0], owner[1], path, on_done=self._added,
                         on_error=self._failed)

    @if_alive
    def _added(self, result: OpResult) -> None:
        self.adding = False
        self.message.show_messages([])
        self._update_buttons()
        self.sig_added.emit(result.record_id or "")

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.adding = False
        self._update_buttons()
        if isinstance(exc, ValidationError):
            self.message.show_messages([p.message for p in exc.problems], ERROR_STYLE)
        else:
            self.message.show_messages([tr("prj_ui.attach.failed")], ERROR_STYLE)
            self.ctx.runner.report_error(exc, self)

    def open_current(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._rows):
            return
        att = self._rows[row]
        self.ctx.runner.run(copy_for_viewing, self.ctx.store, att.sha256, att.original_name,
                            att.media_type, on_done=self._open_path)

    @if_alive
    def _open_path(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message.show_messages([tr("prj_ui.attach.open_failed", path=str(path))],
                                       ERROR_STYLE)
