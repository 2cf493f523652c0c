"""Fixtures for review tests: the demo county built once, copied per test as the author's field
device and as a supervisor's store (the same records under another device id, as after a sync
pull or a batch import: every record keeps its author's ``device_id``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ohinspect.store.database import Store
from ohinspect.store.uow import Actor
from ohinspect.sync import local
from tests.unit.review.world import REVIEWER, build_demo_folder, copy_store


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_folder(tmp_path_factory.mktemp("review-demo") / "device")


@pytest.fixture
def author_store(tmp_path: Path, demo_folder: Path) -> Iterator[Store]:
    store = copy_store(demo_folder, tmp_path / "author", new_device=False)
    yield store
    store.close()


@pytest.fixture
def supervisor_store(tmp_path: Path, demo_folder: Path) -> Iterator[Store]:
    store = copy_store(demo_folder, tmp_path / "supervisor", new_device=True)
    with store.unit_of_work(store.actor(REVIEWER)) as uow:
        local.set_meta(uow.session, local.JURISDICTION, "6210")
        uow.commit()
    yield store
    store.close()


@pytest.fixture
def reviewer(supervisor_store: Store) -> Actor:
    return supervisor_store.actor(REVIEWER)
