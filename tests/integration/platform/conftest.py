"""Platform-server tests: a real server process on a PostgreSQL database, accounts in three
jurisdictions, and enrolled test devices (tests/integration/platform/device.py).

Every test runs on the session's server process (``platform_server``,
tests/integration/conftest.py: starting one costs seconds), emptied for it and given fresh
accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.integration.platform.device import Device, add_users
from tests.integration.platform_server import PlatformServer


@pytest.fixture
def server(platform_server: PlatformServer) -> PlatformServer:
    add_users(platform_server)
    return platform_server


@pytest.fixture
def device(server: PlatformServer) -> Iterator[Callable[[str], Device]]:
    """``device("alice")`` → a freshly enrolled device of alice."""
    made: list[Device] = []

    def make(user: str) -> Device:
        d = Device(server.url, user)
        d.enroll()
        made.append(d)
        return d

    yield make
    for d in made:
        d.close()
