"""Opening the local store: preflight checks, backup-then-migrate, engines, device identity."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ohinspect import __version__
from ohinspect.errors import StoreError
from ohinspect.i18n import tr
from ohinspect.store import migrations
from ohinspect.store.audit import append_audit
from ohinspect.store.backup import migration_backup
from ohinspect.store.base import new_id, utcnow
from ohinspect.store.engine import make_engine
from ohinspect.store.models import StoreMeta
from ohinspect.store.uow import CHANGE_SEQ_KEY, Actor, UnitOfWork

DB_FILE = "ohinspect.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"


def preflight(path: Path, script_location: Path | None = None) -> str | None:
    """Check an existing store file without changing it; return its schema revision.

    Refuses (StoreError, file untouched) a file that is not SQLite, fails ``quick_check``, is not
    an OHInspect store, or was written by a newer app.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(tr("store.unreadable", path=path, reason=exc.strerror or exc)) from exc
    if header != SQLITE_HEADER:
        raise StoreError(tr("store.not_sqlite", path=path))
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise StoreError(tr("store.corrupt", path=path, detail=result))
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(tr("store.corrupt", path=path, detail=exc)) from exc
    if revision is None and tables - {"alembic_version"}:
        raise StoreError(tr("store.foreign", path=path))
    if revision is not None and revision not in migrations.known_revisions(script_location):
        raise StoreError(tr("store.too_new", path=path, revision=revision,
                            head=migrations.head_revision(script_location)))
    return revision


class Store:
    """An open store. Writes go through :meth:`unit_of_work`; reads through :meth:`read`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_FILE
        self.attachments_dir = data_dir / "attachments"
        self.write_engine = make_engine(self.path, writer=True)
        self.read_engine = make_engine(self.path, writer=False)
        self.write_sessionmaker = sessionmaker(self.write_engine, expire_on_commit=False,
                                               autobegin=False)
        self.read_sessionmaker = sessionmaker(self.read_engine, expire_on_commit=False)
        self.device_id = self._ensure_identity()

    @classmethod
    def open(cls, data_dir: Path, *, script_location: Path | None = None) -> Store:
        """Open (creating or upgrading) the store in ``data_dir``.

        An outdated store is copied with the backup API to ``backups/`` first; a failed
        migration rolls back completely and raises StoreError.
        """
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(tr("store.dir_unusable", path=data_dir,
                                reason=exc.strerror or exc)) from exc
        path = data_dir / DB_FILE
        revision = preflight(path, script_location) if path.exists() else None
        head = migrations.head_revision(script_location)
        if revision != head:
            if revision is not None:
                migration_backup(data_dir, path, revision)
            try:
                migrations.upgrade_to_head(path, script_location)
            except Exception as exc:  # any failure: the transaction rolled back
                raise StoreError(tr("store.migration_failed", path=path, revision=revision or "-",
                                    detail=exc)) from exc
        return cls(data_dir)

    def _ensure_identity(self) -> str:
        """The device id of this store, made once at creation (with an audit entry)."""
        with self.read() as session:  # the usual case: read-only, never waits for a writer
            meta = session.get(StoreMeta, "device_id")
            if meta is not None:
                return meta.value
        with self.write_sessionmaker() as session, session.begin():
            meta = session.get(StoreMeta, "device_id")
            if meta is not None:
                return meta.value
            device_id = new_id()
            session.add_all([
                StoreMeta(key="device_id", value=device_id),
                StoreMeta(key=CHANGE_SEQ_KEY, value="0"),
                StoreMeta(key="created_by_version", value=__version__),
            ])
            append_audit(session, at=utcnow(), actor="system", device_id=device_id,
                         action="store.created", details={"version": __version__})
            return device_id

    def actor(self, user: str) -> Actor:
        return Actor(user=user, device_id=self.device_id)

    def unit_of_work(self, actor: Actor) -> UnitOfWork:
        return UnitOfWork(self, actor)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (any thread); never use it to write."""
        with self.read_sessionmaker() as session:
            yield session

    def schema_revision(self) -> str | None:
        with self.read_engine.connect() as conn:
            return migrations.current_revision(conn)

    def close(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()
