"""The core never imports Qt or the UI (ARCHITECTURE: layers and the direction of imports)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_core_module_imports_without_qt_or_ui() -> None:
    script = textwrap.dedent('''
        import importlib, pkgutil, sys
        import ohinspect
        names = [m.name for m in pkgutil.walk_packages(ohinspect.__path__, "ohinspect.")]
        for name in names:
            if name != "ohinspect.__main__":
                importlib.import_module(name)
        bad = sorted(m for m in sys.modules
                     if m.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6", "ui"})
        print(len(names), "modules")
        if bad:
            raise SystemExit("core loaded: " + ", ".join(bad))
    ''')
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    assert int(result.stdout.split()[0]) >= 20  # it really walked the package


def test_no_core_source_mentions_qt_imports() -> None:
    offenders = []
    for path in (ROOT / "ohinspect").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and any(
                    stripped.split()[1].split(".")[0] == bad for bad in ("PySide6", "ui")):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {stripped}")
    assert offenders == []
