"""Key sequences as the user reads them, and the save button's Ctrl+S."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton

from ohinspect.i18n import tr


def shortcut_text(seq: QKeySequence | QKeySequence.StandardKey | str) -> str:
    """``Ctrl+S`` (``⌘S`` on macOS): how the platform writes ``seq``."""
    return QKeySequence(seq).toString(QKeySequence.SequenceFormat.NativeText)


def shortcut_hint(seq: QKeySequence | QKeySequence.StandardKey | str) -> str:
    """The tooltip that names a shortcut."""
    return tr("ent_ui.shortcut_hint", keys=shortcut_text(seq))


def save_shortcut(button: QPushButton) -> None:
    """The platform's Save keys press ``button``; Enter in a field never saves by surprise."""
    save_keys = QKeySequence(QKeySequence.StandardKey.Save)
    button.setShortcut(save_keys)
    button.setToolTip(shortcut_hint(save_keys))
    button.setAutoDefault(False)
