"""``ohinspect backup --out FILE.zip``, ``restore FILE`` and ``diagnostics --out FILE.zip`` as
a user runs them: one clear line on failure, exit 1, nothing changed."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ohinspect.instance_lock import InstanceLock
from tests.integration.cli_run import run_cli
from tests.demo_store import demo_copy


def test_backup_restore_and_diagnostics(tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo_copy(data)
    archive = tmp_path / "b.zip"
    done = run_cli("backup", "--out", str(archive), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "manifest.json" in zipfile.ZipFile(archive).namelist()

    with InstanceLock(data):  # the app has the folder open
        refused = run_cli("--lang", "en", "restore", str(archive), data_dir=data)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "already open in another OHInspect" in refused.stderr

    done = run_cli("--lang", "en", "restore", str(archive), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "replaced" in done.stdout
    assert run_cli("check", data_dir=data).returncode == 0

    garbage = tmp_path / "not-a-backup.zip"
    garbage.write_bytes(b"PK nonsense")
    bad = run_cli("--lang", "en", "restore", str(garbage), data_dir=data)
    assert bad.returncode == 1 and "is not a whole OHInspect backup" in bad.stderr

    diag = tmp_path / "diag.zip"
    done = run_cli("diagnostics", "--out", str(diag), data_dir=data)
    assert done.returncode == 0, done.stderr
    names = zipfile.ZipFile(diag).namelist()
    assert "diagnostics.json" in names and "logs/ohinspect.log" in names  # the CLI logs too
