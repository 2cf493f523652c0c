"""The request path's one-statement engine (ohinspect/platform/db.py quick_engine): autocommit
(a statement commits on its own, nothing is left open) and no ping before each use — so a
connection the database dropped must be replaced by the helpers, not fail the request."""

from __future__ import annotations

from sqlalchemy import text

from ohinspect.platform.db import make_engine, quick_engine, run_read, run_write
from tests.integration.platform_server import PlatformServer


def test_a_dropped_connection_is_replaced_and_statements_commit_alone(
        platform_server: PlatformServer) -> None:
    engine = make_engine(platform_server.db_url)
    quick = quick_engine(engine)
    try:
        assert quick is not engine
        pid = run_read(quick, lambda conn: conn.scalar(text("SELECT pg_backend_pid()")))
        assert run_read(quick, lambda conn: conn.scalar(text("SHOW synchronous_commit"))) == "off"
        with engine.begin() as conn:  # the database drops the pooled connection (a restart)
            assert conn.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        again = run_read(quick, lambda conn: conn.scalar(text("SELECT pg_backend_pid()")))
        assert again != pid
        with engine.begin() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": again})
        # a write on a dropped connection is tried again, and commits without a COMMIT
        run_write(quick, lambda conn: conn.execute(text(
            "INSERT INTO platform_meta (key, value) VALUES ('quick-test', '1')")))
        with engine.connect() as conn:
            assert conn.scalar(text(
                "SELECT value FROM platform_meta WHERE key = 'quick-test'")) == "1"
        run_write(engine, lambda conn: conn.execute(text(
            "DELETE FROM platform_meta WHERE key = 'quick-test'")))
    finally:
        quick.dispose()
        engine.dispose()


def test_sqlite_keeps_its_one_engine(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        assert quick_engine(engine) is engine
    finally:
        engine.dispose()
