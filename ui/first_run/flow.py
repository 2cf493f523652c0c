"""When the first-run dialog appears and what its answers do: settings saved in the chosen
folder (a read-only or unusable folder is said plainly and the dialog asked again), the folder
remembered for the next start, or the demo store in ``demo/`` beside it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from ohinspect.data_location import remember_data_dir
from ohinspect.i18n import current_language, tr
from ohinspect.paths import DATA_DIR_ENV
from ohinspect.settings import SETTINGS_FILE, Settings, save_settings
from ui.first_run.dialog import FirstRunChoice, FirstRunDialog

DEMO_SUBDIR = "demo"


def needs_first_run(args: argparse.Namespace, data_dir: Path) -> bool:
    """No settings file in the data folder, and not the demo or a smoke start."""
    return not (args.demo or args.smoke) and not (data_dir / SETTINGS_FILE).exists()


def apply_choice(args: argparse.Namespace, choice: FirstRunChoice) -> argparse.Namespace:
    """The start arguments the choice leads to; saves settings (OSError when it cannot)."""
    if choice.demo:
        return argparse.Namespace(**{**vars(args), "demo": True,
                                     "data_dir": str(choice.data_dir / DEMO_SUBDIR)})
    save_settings(choice.data_dir, Settings(language=current_language(), role=choice.role,
                                            jurisdiction=choice.jurisdiction,
                                            user_name=choice.user_name,
                                            sync_server_url=choice.server_url))
    if not args.data_dir and not os.environ.get(DATA_DIR_ENV):
        remember_data_dir(choice.data_dir)
    return argparse.Namespace(**{**vars(args), "data_dir": str(choice.data_dir),
                                 "enrol_now": choice.enrol_now and bool(choice.server_url)})


def run_first_run(args: argparse.Namespace, data_dir: Path) -> argparse.Namespace | None:
    """Ask until the answers can be saved; None when the user cancels (the program ends)."""
    while True:
        dialog = FirstRunDialog(data_dir)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return None
        try:
            return apply_choice(args, dialog.choice)
        except OSError as exc:
            QMessageBox.warning(dialog, tr("ui.first_run.title"), tr(
                "maint.dir_unusable", path=dialog.choice.data_dir, reason=exc.strerror or exc))
            data_dir = dialog.choice.data_dir
