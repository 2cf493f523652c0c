"""Fixtures of the sync client against the REAL platform server (tests/integration/
platform_server.py on a fresh PostgreSQL database): users, devices (stores) and their
credentials in an in-memory keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ohinspect.store.database import Store
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.session import enroll
from tests.unit.sync.fake_platform import MemoryKeyring

PASSWORD = "s3cret-口令"


class Devices:
    """Stores in their own folders, enrolled with the server as a given user."""

    def __init__(self, root: Path, server) -> None:  # type: ignore[no-untyped-def]
        self.root, self.server = root, server
        self.creds = CredentialStore(MemoryKeyring())
        self.stores: list[Store] = []

    def new(self, name: str, user: str) -> Store:
        store = Store.open(self.root / name)
        self.stores.append(store)
        enroll(store, self.creds, self.server.url, user, PASSWORD)
        return store

    def close(self) -> None:
        for s in self.stores:
            s.close()


@pytest.fixture
def devices(platform_server, tmp_path: Path) -> Iterator[Devices]:  # type: ignore[no-untyped-def]
    platform_server.add_user("inspector1", "inspector", "6210", PASSWORD)
    platform_server.add_user("inspector2", "inspector", "6210", PASSWORD)
    platform_server.add_user("supervisor", "supervisor", "62", PASSWORD)
    d = Devices(tmp_path, platform_server)
    yield d
    d.close()
