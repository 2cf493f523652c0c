"""Fixtures for tests that talk to a real PostgreSQL server.

``./scripts/test.sh`` finds one (or starts a throwaway cluster) and puts the URL of its admin
database in ``OHINSPECT_TEST_PG_URL``; each test that asks for ``pg_url`` gets a database of
its own, created here and dropped afterwards.

``platform_server`` is ONE platform server process per test session (per xdist worker) on a
database of its own: starting one costs seconds of CPU. Each test gets it running and emptied
(``PlatformServer.reset``: no accounts, records, batches or blob files of another test); a test
may stop, kill or restart it — the next test starts it again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

PG_URL_ENV = "OHINSPECT_TEST_PG_URL"


#: fixtures that need PostgreSQL
POSTGRES_FIXTURES = ("pg_url", "session_server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a PostgreSQL fixture with ``postgres``."""
    for item in items:
        if any(f in getattr(item, "fixturenames", ()) for f in POSTGRES_FIXTURES):
            item.add_marker(pytest.mark.postgres)


def _admin_url() -> str:
    admin = os.environ.get(PG_URL_ENV)
    if not admin:
        pytest.fail(
            f"{PG_URL_ENV} is not set. PostgreSQL tests never skip: run them with "
            "./scripts/test.sh, which finds a PostgreSQL server or starts a throwaway one "
            f"and sets {PG_URL_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres).",
            pytrace=False,
        )
    return admin


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, uniquely named database; dropped after the test."""
    from tests.integration.platform_server import scratch_database

    with scratch_database(_admin_url()) as url:
        yield url


@pytest.fixture(scope="session")
def session_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The session's platform server process on a database of its own; stopped at the end."""
    from tests.integration.platform_server import PlatformServer, scratch_database

    with scratch_database(_admin_url()) as url, PlatformServer(
            url, tmp_path_factory.mktemp("platform-server")) as server:
        yield server


@pytest.fixture
def platform_server(session_server):  # type: ignore[no-untyped-def]
    """A running platform server process (tests/integration/platform_server.py), emptied for
    this test: no accounts, records or blob files. The test may stop, kill or restart it."""
    if session_server.process is not None and session_server.process.poll() is not None:
        session_server.kill()  # it ended during the last test: tidy up, start it again
    if session_server.process is None:
        session_server.start()
    session_server.reset()
    return session_server
