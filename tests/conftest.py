"""Shared fixtures. Qt tests run offscreen; every test gets its own data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ohinspect.i18n import set_language  # noqa: E402
from ohinspect.store.database import Store  # noqa: E402


@pytest.fixture(autouse=True)
def _chinese_by_default() -> None:
    set_language("zh_CN")


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def demo_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A copy of the demo store (built once per session: tests/demo_store.py), opened."""
    from tests.demo_store import opened_demo

    with opened_demo(tmp_path / "demo") as s:
        yield s


@pytest.fixture
def actor(store: Store):  # type: ignore[no-untyped-def]
    return store.actor("测试检查员")
