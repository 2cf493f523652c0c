"""Fixtures for tests that talk to a real PostgreSQL server.

``./scripts/test.sh`` finds one (or starts a throwaway cluster) and puts the URL of its admin
database in ``OHINSPECT_TEST_PG_URL``; each test that asks for ``pg_url`` gets a database of
its own, created here and dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

PG_URL_ENV = "OHINSPECT_TEST_PG_URL"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses ``pg_url`` with ``postgres``."""
    for item in items:
        if "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, uniquely named database; dropped after the test."""
    admin = os.environ.get(PG_URL_ENV)
    if not admin:
        pytest.fail(
            f"{PG_URL_ENV} is not set. PostgreSQL tests never skip: run them with "
            "./scripts/test.sh, which finds a PostgreSQL server or starts a throwaway one "
            f"and sets {PG_URL_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres).",
            pytrace=False,
        )
    from tests.integration.platform_server import scratch_database

    with scratch_database(admin) as url:
        yield url


@pytest.fixture
def platform_server(pg_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """A running platform server process (tests/integration/platform_server.py) on a fresh
    PostgreSQL database; stopped afterwards."""
    from tests.integration.platform_server import PlatformServer

    with PlatformServer(pg_url, tmp_path / "platform-server") as server:
        yield server
