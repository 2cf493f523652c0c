"""``platform init-db`` upgrades a database made by an older server: schema 1 kept attachment
bytes as rows of ``platform_blob_chunk``; schema 2 keeps them as files in the blob directory
(docs/platform.md). Both databases: PostgreSQL streams the rows through a server-side cursor."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from ohinspect.cli import main
from ohinspect.i18n import tr


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_init_db_moves_blob_bytes_of_a_schema_1_database_to_files(
        database: str, tmp_path: Path, request: pytest.FixtureRequest,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = (f"sqlite:///{tmp_path / 'platform.db'}" if database == "sqlite"
           else request.getfixturevalue("pg_url"))
    blob_dir = tmp_path / "blobs"
    init_db = ["platform", "init-db", "--db", url, "--blobs", str(blob_dir)]
    assert main(init_db) == 0
    whole, part = b"a complete photo", b"the first half of a scan"
    sha_whole, sha_part = (hashlib.sha256(whole).hexdigest(), hashlib.sha256(part).hexdigest())
    engine = create_engine(url)
    blob_type = "BLOB" if database == "sqlite" else "BYTEA"
    with engine.begin() as conn:  # what a schema-1 server left: bytes as rows
        conn.execute(text(f"CREATE TABLE platform_blob_chunk (sha256 VARCHAR(64), start BIGINT, "
                          f"data {blob_type}, PRIMARY KEY (sha256, start))"))
        conn.execute(text("INSERT INTO platform_blob (sha256, size, have_bytes, complete) "
                          "VALUES (:w, :n, :n, TRUE), (:p, 99, 10, FALSE)"),
                     {"w": sha_whole, "n": len(whole), "p": sha_part})
        conn.execute(text("INSERT INTO platform_blob_chunk VALUES (:w, 0, :a), (:w, 6, :b), "
                          "(:p, 0, :c)"), {"w": sha_whole, "a": whole[:6], "b": whole[6:],
                                           "p": sha_part, "c": part[:10]})
        conn.execute(text("UPDATE platform_meta SET value = '1' WHERE key = 'schema_version'"))
    capsys.readouterr()
    assert main(init_db) == 0
    assert capsys.readouterr().out.strip() == tr("platform.cli.init_upgraded", found=1,
                                                 version=2)
    assert (blob_dir / sha_whole[:2] / sha_whole).read_bytes() == whole
    assert (blob_dir / "incoming" / sha_part).read_bytes() == part[:10]  # resumes at byte 10
    with engine.connect() as conn:
        assert "platform_blob_chunk" not in inspect(conn).get_table_names()
        assert conn.scalar(text("SELECT value FROM platform_meta "
                                "WHERE key = 'schema_version'")) == "2"
    engine.dispose()
