"""Fixtures for screen tests: a real store in a temporary folder and an AppContext whose task
runner runs everything inline (deterministic), or with real threads (``threaded_ctx``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ohinspect.i18n import current_language, set_language  # noqa: E402
from ohinspect.settings import Settings  # noqa: E402
from ohinspect.store.database import Store  # noqa: E402


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def _context(store: Store, synchronous: bool):  # type: ignore[no-untyped-def]
    from ui.context import AppContext
    from ui.tasks import TaskRunner

    runner = TaskRunner(synchronous=synchronous)
    return AppContext(store, Settings(user_name="tester"), runner, store.actor("tester"))


@pytest.fixture
def ctx(qtbot, store: Store):  # type: ignore[no-untyped-def]
    """Background work runs inline: callbacks have run when ``perform``/``read`` return."""
    return _context(store, synchronous=True)


@pytest.fixture
def threaded_ctx(qtbot, store: Store):  # type: ignore[no-untyped-def]
    context = _context(store, synchronous=False)
    yield context
    assert context.runner.wait_idle(10_000)
    qtbot.wait(10)  # let queued results reach the GUI thread before the store closes


@pytest.fixture(autouse=True)
def _chinese_ui() -> Iterator[None]:
    """Screens are tested in the primary language unless a test switches."""
    before = current_language()
    set_language("zh_CN")
    yield
    set_language(before)
