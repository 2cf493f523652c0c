"""Opening a store: bad files are refused untouched; migrations back up first and are atomic."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest

from ohinspect.errors import StoreError
from ohinspect.paths import migrations_dir
from ohinspect.store.database import DB_FILE, Store
from ohinspect.store.models import Enterprise


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_store_with_row(data_dir: Path) -> Path:
    store = Store.open(data_dir)
    with store.unit_of_work(store.actor("u")) as uow:
        uow.record(Enterprise(name="甲单位", uscc="91621024MA0000000X", division_code="621024"),
                   "enterprise.create")
        uow.commit()
    store.close()
    return data_dir / DB_FILE


def test_device_id_is_stable(tmp_path: Path) -> None:
    first = Store.open(tmp_path)
    device = first.device_id
    first.close()
    again = Store.open(tmp_path)
    assert again.device_id == device
    again.close()


@pytest.mark.parametrize("content, fragment", [
    (b"this is a spreadsheet, not a database" * 10, "不是 SQLite"),
    (b"", "不是 SQLite"),
])
def test_not_sqlite_refused_untouched(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / DB_FILE
    path.write_bytes(content)
    with pytest.raises(StoreError, match=fragment):
        Store.open(tmp_path)
    assert path.read_bytes() == content


def test_corrupt_store_refused_untouched(tmp_path: Path) -> None:
    path = _make_store_with_row(tmp_path)
    data = bytearray(path.read_bytes())
    # keep the header, smash the b-tree pages of the schema and tables
    data[100:4096 * 3] = b"\xff" * (4096 * 3 - 100)
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StoreError, match="损坏"):
        Store.open(tmp_path)
    assert _digest(path) == before


def test_foreign_sqlite_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / DB_FILE)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    before = _digest(tmp_path / DB_FILE)
    with pytest.raises(StoreError, match="不是 OHInspect"):
        Store.open(tmp_path)
    assert _digest(tmp_path / DB_FILE) == before


def test_newer_store_refused_untouched(tmp_path: Path) -> None:
    path = _make_store_with_row(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="更新版本"):
        Store.open(tmp_path)
    assert _digest(path) == before


def _scripts_with(tmp_path: Path, body: str) -> Path:
    """A copy of db/ with one extra revision after the current head."""
    location = tmp_path / "db"
    shutil.copytree(migrations_dir(), location, ignore=shutil.ignore_patterns("__pycache__"))
    from ohinspect.store.migrations import head_revision

    head = head_revision()
    header = (
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '9001'\ndown_revision = '{head}'\nbranch_labels = None\ndepends_on = None\n\n"
        "def downgrade():\n    pass\n\ndef upgrade():\n"
    )
    (location / "versions" / "9001_test.py").write_text(
        header + textwrap.indent(textwrap.dedent(body).strip() + "\n", "    "))
    return location


def test_migration_backs_up_then_upgrades(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _make_store_with_row(data_dir)
    scripts = _scripts_with(tmp_path, '''
        with op.batch_alter_table("enterprise") as b:
            b.add_column(sa.Column("postcode", sa.String(6), nullable=False, server_default=""))
    ''')
    store = Store.open(data_dir, script_location=scripts)
    try:
        assert store.schema_revision() == "9001"
        with store.read_engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT name, postcode FROM enterprise").all() == [("甲单位", "")]
    finally:
        store.close()
    backups = list((data_dir / "backups").glob("before-migration-*.sqlite3"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT name FROM enterprise").fetchall() == [("甲单位",)]
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_backups_before_migrations_rotate(tmp_path: Path) -> None:
    """Copies taken before schema upgrades are kept to the newest N (resources/app/
    maintenance.yaml keep_before_migration); the one just made is always among them."""
    import os

    from ohinspect.store.backup import backup_config, migration_backup

    data_dir = tmp_path / "data"
    path = _make_store_with_row(data_dir)
    keep = int(backup_config()["keep_before_migration"])
    folder = data_dir / "backups"
    folder.mkdir(exist_ok=True)
    for n in range(keep + 3):  # older copies, oldest first
        old = folder / f"before-migration-000{n % 9}-2025010{n % 9}T000000Z-{n}.sqlite3"
        old.write_bytes(b"old copy")
        os.utime(old, (1_700_000_000 + n, 1_700_000_000 + n))
    made = migration_backup(data_dir, path, "0004")
    left = sorted(folder.glob("before-migration-*.sqlite3"))
    assert len(left) == keep and made in left
    assert not (folder / "before-migration-0000-20250100T000000Z-0.sqlite3").exists()  # oldest


def test_failed_migration_leaves_store_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    path = _make_store_with_row(data_dir)
    scripts = _scripts_with(tmp_path, '''
        op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
        op.execute("INSERT INTO enterprise (id) VALUES ('broken')")  # violates NOT NULL: fails
    ''')
    with pytest.raises(StoreError, match="已回滚"):
        Store.open(data_dir, script_location=scripts)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    rows = conn.execute("SELECT name FROM enterprise").fetchall()
    conn.close()
    assert "half_done" not in tables
    assert revision != "9001" and rows == [("甲单位",)]
    # the normal program still opens it
    Store.open(data_dir).close()


def test_unusable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="无法使用数据目录"):
        Store.open(blocker / "sub")
