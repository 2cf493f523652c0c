"""A REAL platform server for tests: ``python -m ohinspect platform serve --port 0`` in a
subprocess on a PostgreSQL (or SQLite) database, with helpers to add users, stop it, kill it
(SIGKILL) and start it again on the same database and port.

Used through the ``platform_server`` fixture (tests/integration/conftest.py)::

    def test_x(platform_server):
        platform_server.add_user("alice", "inspector", "621024", "secret")
        httpx.get(platform_server.url + "/v1/info")
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ohinspect.platform.accounts import add_user, revoke_device
from ohinspect.platform import schema
from ohinspect.platform.blob_files import BlobFiles
from ohinspect.platform.db import init_db, is_postgres, make_engine

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30


@contextmanager
def scratch_database(admin: str) -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database next to the admin URL's; dropped after."""
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


class PlatformServer:
    def __init__(self, db_url: str, log_dir: Path) -> None:
        self.db_url, self.log_dir = db_url, log_dir
        #: the attachment files (``--blobs``), next to the logs
        self.blob_dir = log_dir / "blobs"
        self.url = ""
        self.port = 0  # 0 until the first start picked one; restarts reuse it
        self.process: subprocess.Popen[str] | None = None
        self.starts = 0
        log_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(db_url)
        try:
            init_db(engine, BlobFiles(self.blob_dir))
        finally:
            engine.dispose()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> str:
        """Start the server process; returns its base URL once /v1/info answers."""
        assert self.process is None, "already running"
        self.starts += 1
        stderr = open(self.log_dir / f"server-{self.starts}.log", "w", encoding="utf-8")  # noqa: SIM115
        env = {k: v for k, v in os.environ.items() if k != "OHINSPECT_DATA_DIR"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ohinspect", "platform", "serve", "--db", self.db_url,
             "--host", "127.0.0.1", "--port", str(self.port), "--blobs", str(self.blob_dir)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        stderr.close()
        self.url = self._read_url()
        self.port = int(self.url.rsplit(":", 1)[1])
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(self.url + "/v1/info", timeout=2).status_code == 200:
                    return self.url
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"platform server did not start: {self.log()}")
            time.sleep(0.05)

    def _read_url(self) -> str:
        assert self.process is not None and self.process.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.process.stdout
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=START_TIMEOUT_S).strip()
        except queue.Empty:
            line = ""
        if not line.startswith("http://"):
            self.kill()
            raise RuntimeError(f"platform server printed no URL: {self.log()}")
        return line

    def stop(self) -> None:
        """Graceful stop (SIGTERM); does nothing when not running."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._closed()

    def kill(self) -> None:
        """SIGKILL: no shutdown, open transactions die with their connections."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self._closed()

    def restart(self) -> str:
        """Stop (if running) and start again on the same database and port."""
        self.stop()
        return self.start()

    def _closed(self) -> None:
        assert self.process is not None
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def log(self) -> str:
        path = self.log_dir / f"server-{self.starts}.log"
        return path.read_text(encoding="utf-8")[-4000:] if path.exists() else ""

    # -- administration (directly on the database, like the CLI does) -------------------------
    def add_user(self, name: str, role: str = "inspector", jurisdiction: str = "621024",
                 password: str = "secret") -> None:
        engine = make_engine(self.db_url)
        try:
            add_user(engine, name, role, jurisdiction, password)
        finally:
            engine.dispose()

    def reset(self) -> None:
        """Empty every platform table (accounts included) and the blob directory while the
        server keeps running, so one server process can serve many tests."""
        shutil.rmtree(self.blob_dir, ignore_errors=True)
        engine = make_engine(self.db_url)
        try:
            with engine.begin() as conn:
                tables = [t for t in schema.metadata.sorted_tables
                          if t is not schema.platform_meta]
                if is_postgres(conn):
                    names = ", ".join(t.name for t in tables)
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
                    conn.execute(text("ALTER SEQUENCE platform_server_seq RESTART"))
                else:
                    for table in reversed(tables):
                        conn.execute(delete(table))
        finally:
            engine.dispose()

    def revoke_device(self, device_id: str) -> bool:
        engine = make_engine(self.db_url)
        try:
            return revoke_device(engine, device_id)
        finally:
            engine.dispose()

    def __enter__(self) -> PlatformServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
