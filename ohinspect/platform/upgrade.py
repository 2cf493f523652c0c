"""Upgrading a platform database made by an older server (``ohinspect platform init-db``), one
schema version at a time, in the transaction of init-db (ohinspect/platform/db.py)."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, select, text

from ohinspect.platform import schema
from ohinspect.platform.blob_files import BlobFiles

#: schema 1 kept blob bytes in the database
V1_CHUNKS = "platform_blob_chunk"


def upgrade(conn: Connection, found: int, files: BlobFiles) -> None:
    if found < 2:
        _chunks_to_files(conn, files)


def _chunks_to_files(conn: Connection, files: BlobFiles) -> None:
    """1 → 2: each blob's chunks are written to its file (complete blobs published, uploads in
    progress kept as such, so they resume where they stopped); then the table goes. Files are
    written before the transaction commits: an interrupted upgrade is simply run again."""
    if not inspect(conn).has_table(V1_CHUNKS):
        return
    rows = conn.execute(text(f"SELECT sha256, start, data FROM {V1_CHUNKS} "
                             "ORDER BY sha256, start").execution_options(yield_per=4))
    for sha256, start, data in rows:
        files.append(sha256, int(start), bytes(data))
    bl = schema.blobs
    for sha256 in conn.scalars(select(bl.c.sha256).where(bl.c.complete.is_(True))):
        if files.partial_size(sha256):
            files.publish_partial(sha256)
    conn.execute(text(f"DROP TABLE {V1_CHUNKS}"))
