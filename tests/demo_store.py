"""The demo store, built once per test session and copied wherever a test needs one.

Building the demo county takes 8–15 s on the CI's two cores and ~30 tests need it; copying the
built folder (store + attachments) takes a fraction of a second. A copy is exactly what
``init --demo`` / ``--demo`` would have made: running the demo builder again on it adds nothing
(``tests/integration/test_cli.py::test_demo_is_deterministic_and_idempotent`` proves that on
two real builds), so the app and the CLI open it as the demo store they would have built.
Every copy has the template's device id; tests that need two distinct devices build their own.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_template: Path | None = None


def _build() -> Path:
    from ohinspect.demo import build_demo
    from ohinspect.store.database import Store

    folder = Path(tempfile.mkdtemp(prefix="ohinspect-demo-template-"))
    store = Store.open(folder)
    try:
        build_demo(store)
    finally:
        store.close()
    return folder


def demo_template() -> Path:
    """The session's built demo folder (read it, never write to it: copy it)."""
    global _template
    if _template is None:
        _template = _build()
        atexit.register(remove_template)   # also when a benchmark borrows it
    return _template


def demo_copy(dest: Path) -> Path:
    """A fresh copy of the demo store in ``dest`` (created; must not hold a store yet)."""
    shutil.copytree(demo_template(), dest, dirs_exist_ok=True)
    return dest


@contextmanager
def opened_demo(dest: Path) -> Iterator[Any]:
    """A copy of the demo store in ``dest``, opened (a ``Store``), closed afterwards."""
    from ohinspect.store.database import Store

    store = Store.open(demo_copy(dest))
    try:
        yield store
    finally:
        store.close()


def remove_template() -> None:
    global _template
    if _template is not None:
        shutil.rmtree(_template, ignore_errors=True)
        _template = None
