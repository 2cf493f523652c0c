"""Maintenance commands of ``ohinspect`` for the user and IT: the diagnostics archive and
restoring a backup (``backup`` itself is in ohinspect/cli.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ohinspect.i18n import tr
from ohinspect.paths import resolve_data_dir


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    p = sub.add_parser("diagnostics", help="a zip of logs, versions and the store's shape for "
                                           "IT — never secrets or personal data")
    p.add_argument("--out", required=True, type=Path, help="the .zip file to write")
    p = sub.add_parser("restore", help="replace the store with a backup archive (made with "
                                       "backup --out FILE.zip) after checking it; the current "
                                       "store is kept in backups/replaced/")
    p.add_argument("archive", type=Path)
    return {"diagnostics": cmd_diagnostics, "restore": cmd_restore}


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from ohinspect.diagnostics import export_diagnostics

    out = export_diagnostics(resolve_data_dir(args.data_dir), args.out)
    print(tr("maint.diag.done", path=out))
    return 0


def start_logging(args: argparse.Namespace) -> None:
    """Every command logs to the data folder's rotating file, when the folder exists (a
    command never creates a data folder just to log in it)."""
    from ohinspect.logs import setup_logging

    data_dir = resolve_data_dir(args.data_dir)
    if data_dir.is_dir():
        setup_logging(data_dir)


def cmd_restore(args: argparse.Namespace) -> int:
    """Refused while the app (or another command) holds the data folder."""
    from ohinspect.instance_lock import InstanceLock
    from ohinspect.logs import close_logging, setup_logging
    from ohinspect.store.restore import restore_backup

    data_dir = resolve_data_dir(args.data_dir)
    with InstanceLock(data_dir):
        close_logging()  # the log folder stays; nothing of it is open while files move
        result = restore_backup(args.archive, data_dir)
        setup_logging(data_dir)
    print(tr("maint.restore.done", path=args.archive, made_at=result.manifest.made_at,
             aside=result.aside))
    return 0
