"""Running the Alembic migrations in ``db/`` inside one transaction.

The whole upgrade runs in a single ``BEGIN IMMEDIATE`` transaction on one connection: SQLite
DDL is transactional, so a failing migration rolls back to exactly the old store.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from ohinspect.paths import migrations_dir
from ohinspect.store.engine import make_engine


def alembic_config(script_location: Path | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location or migrations_dir()))
    return cfg


def script_directory(script_location: Path | None = None) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(script_location))


def head_revision(script_location: Path | None = None) -> str:
    head = script_directory(script_location).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def known_revisions(script_location: Path | None = None) -> set[str]:
    return {s.revision for s in script_directory(script_location).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(db_path: Path, script_location: Path | None = None) -> None:
    """Upgrade (or create) the store at ``db_path``; all or nothing."""
    from alembic import command

    cfg = alembic_config(script_location)
    # foreign keys off while tables are rebuilt (Alembic batch mode); checked before commit
    engine = make_engine(db_path, writer=True, foreign_keys=False)
    try:
        with engine.connect() as conn:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if bad:
                    raise RuntimeError(f"foreign key violations after migration: {bad[:3]}")
    finally:
        engine.dispose()
