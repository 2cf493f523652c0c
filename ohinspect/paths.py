"""Where the program's own files and the user's data live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from ohinspect.data_location import chosen_data_dir

APP_NAME = "OHInspect"
DATA_DIR_ENV = "OHINSPECT_DATA_DIR"


def app_root() -> Path:
    """The folder that holds ``resources/`` and ``db/``: the source tree or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return app_root() / "resources"


def migrations_dir() -> Path:
    return app_root() / "db"


def default_data_dir() -> Path:
    """The user-data folder: ``--data-dir`` beats ``OHINSPECT_DATA_DIR`` beats the folder chosen
    at first run (ohinspect/data_location.py) beats the platform's."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return chosen_data_dir() or platform_data_dir()


def platform_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    return Path(cli_value).expanduser() if cli_value else default_data_dir()
