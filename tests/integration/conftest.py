"""Fixtures for tests that talk to a real PostgreSQL server.

``./scripts/test.sh`` finds one (or starts a throwaway cluster) and puts the URL of its admin
database in ``OHINSPECT_TEST_PG_URL``; each test that asks for ``pg_url`` gets a database of
its own, created here and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

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
    admin_url = make_url(admin)
    name = f"ohinspect_test_{uuid.uuid4().hex[:16]}"
    admin_engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin_url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin_engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin_engine.dispose()
