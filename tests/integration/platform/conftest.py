"""Platform-server tests: a real server process on a PostgreSQL database, accounts in three
jurisdictions, and enrolled test devices (tests/integration/platform/device.py).

One server process serves a whole test module (starting one costs seconds); each test gets it
emptied (``PlatformServer.reset``) with fresh accounts. Tests that kill or restart the server
use the function-scoped ``platform_server`` fixture instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from tests.integration.platform.device import Device, add_users
from tests.integration.platform_server import PlatformServer, scratch_database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the shared server need PostgreSQL like those asking for ``pg_url``."""
    for item in items:
        if "module_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformServer]:
    admin = os.environ.get("OHINSPECT_TEST_PG_URL")
    if not admin:
        pytest.fail("OHINSPECT_TEST_PG_URL is not set: run the tests with ./scripts/test.sh",
                    pytrace=False)
    with scratch_database(admin) as url, PlatformServer(
            url, tmp_path_factory.mktemp("platform-server")) as server:
        yield server


@pytest.fixture
def server(module_server: PlatformServer) -> PlatformServer:
    module_server.reset()
    add_users(module_server)
    return module_server


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
