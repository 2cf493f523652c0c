"""Dialogs of the maintenance actions (File → Back up / Restore, Help → Export diagnostics):
file choosers and the restore confirmation. The work itself runs off the GUI thread."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ohinspect.i18n import tr
from ohinspect.store.backup import STORE_MEMBER, BackupManifest

ZIP_FILTER = "Zip (*.zip)"


def ask_backup_file(parent: QWidget, folder: Path | None) -> Path | None:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    start = str((folder or Path.home()) / f"ohinspect-backup-{stamp}.zip")
    name, _ = QFileDialog.getSaveFileName(parent, tr("menu.backup"), start, ZIP_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")


def ask_restore_file(parent: QWidget, folder: Path | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, tr("menu.restore"),
                                          str(folder or Path.home()), ZIP_FILTER)
    return Path(name) if name else None


def ask_diagnostics_file(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, tr("menu.diagnostics"),
                                          str(Path.home() / "ohinspect-diagnostics.zip"),
                                          ZIP_FILTER)
    return Path(name) if name else None


def confirm_restore(parent: QWidget, manifest: BackupManifest) -> bool:
    """Say what the archive holds and that the current data is kept aside, then ask."""
    attachments = sum(1 for name in manifest.files if name != STORE_MEMBER)
    text = tr("ui.maint.restore_confirm", path=manifest.path, made_at=manifest.made_at,
              revision=manifest.schema_revision or "-", attachments=attachments)
    answer = QMessageBox.question(parent, tr("menu.restore"), text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
