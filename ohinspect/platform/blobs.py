"""Attachments by SHA-256, resumable (docs/design/issue6-sync.md "Attachments").

The bytes are files (ohinspect/platform/blob_files.py); the database row ``platform_blob`` says
how many bytes of a blob were acknowledged and whether it is complete. Each chunk is one
transaction holding that row locked, so an interrupted upload keeps every chunk that was
acknowledged and resumes at ``have_bytes``. When the last byte arrives the whole blob is hashed
— a blob sent in one chunk by the digest already computed for its signature, never read back —
and a mismatch discards everything (422); a complete blob is immutable and uploading it again is
harmless.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ohinspect.platform import schema
from ohinspect.platform.blob_files import BlobFiles
from ohinspect.platform.db import is_postgres, run_write
from ohinspect.platform.protocol import MAX_BLOB_BYTES, MAX_CHUNK_BYTES, ApiError
from ohinspect.platform.rights import Caller

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
CONTENT_RANGE_RE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
RANGE_RE = re.compile(r"^bytes=(\d+)-(\d*)$")


def check_sha256(sha256: str) -> None:
    if not SHA256_RE.match(sha256):
        raise ApiError(400, "bad_sha256")


def missing(engine: Engine, hashes: list[str]) -> list[dict[str, Any]]:
    """The blobs among ``hashes`` the server does not hold completely, with what it has."""
    for h in hashes:
        check_sha256(h)
    bl = schema.blobs
    with engine.connect() as conn:
        have = {row.sha256: row for row in conn.execute(
            select(bl.c.sha256, bl.c.have_bytes, bl.c.complete)
            .where(bl.c.sha256.in_(sorted(set(hashes)))))}
    out = []
    for h in dict.fromkeys(hashes):
        row = have.get(h)
        if row is None or not row.complete:
            out.append({"sha256": h, "have_bytes": int(row.have_bytes) if row else 0})
    return out


def parse_content_range(header: str | None, length: int) -> tuple[int, int]:
    """(start, total) of ``Content-Range: bytes START-END/TOTAL`` matching a body of
    ``length`` bytes."""
    m = CONTENT_RANGE_RE.match((header or "").strip())
    if not m:
        raise ApiError(400, "bad_content_range")
    start, end, total = (int(g) for g in m.groups())
    if end < start or end - start + 1 != length or end >= total:
        raise ApiError(400, "bad_content_range")
    if length > MAX_CHUNK_BYTES:
        raise ApiError(413, "chunk_too_large", limit=MAX_CHUNK_BYTES)
    if total > MAX_BLOB_BYTES:
        raise ApiError(413, "blob_too_large", limit=MAX_BLOB_BYTES)
    return start, total


def put_chunk(engine: Engine, files: BlobFiles, sha256: str, start: int, total: int,
              data: bytes, data_sha256: str, quick: Engine | None = None) -> dict[str, Any]:
    """Append ``data`` (whose SHA-256 hex is ``data_sha256``) at ``start``, which must be the
    bytes the server holds; a whole blob's row is written through ``quick``
    (ohinspect/platform/db.py quick_engine; ``engine`` when not given)."""
    check_sha256(sha256)
    if start == 0 and len(data) == total and data_sha256 == sha256:
        return _put_whole(quick or engine, files, sha256, data)

    def work(conn: Connection) -> tuple[dict[str, Any], ApiError | None]:
        _commit_without_wal_flush(conn)
        row, created = _locked_row(conn, sha256, total)
        have, size = int(row.have_bytes), int(row.size)
        if row.complete or files.has(sha256, size):  # also: published, then the server died
            if not row.complete:
                _set(conn, sha256, size, True)
            return _state(sha256, size, size, True), None
        if have > files.partial_size(sha256):  # acknowledged bytes were lost: start again
            files.discard(sha256)
            _set(conn, sha256, 0, False)
            have = 0
        error = None
        if total != size:
            error = ApiError(409, "size_mismatch", {"have_bytes": have}, size=size)
        elif start != have:
            error = ApiError(409, "range_mismatch", {"have_bytes": have}, have=have)
        if error is not None:
            if created:
                raise error  # nothing to keep of a blob this request would have begun
            return _state(sha256, size, have, False), error
        if have + len(data) < size:
            files.append(sha256, start, data)
            _set(conn, sha256, have + len(data), False)
            return _state(sha256, size, have + len(data), False), None
        digest = files.partial_digest(sha256, have, data) if have else data_sha256
        if digest != sha256:  # nothing of it is kept: the client starts again from byte 0
            files.discard(sha256)
            conn.execute(delete(schema.blobs).where(schema.blobs.c.sha256 == sha256))
            return _state(sha256, size, 0, False), ApiError(422, "blob_hash_mismatch",
                                                            {"have_bytes": 0})
        if have:
            files.append(sha256, start, data)
            files.publish_partial(sha256)
        else:
            files.publish(sha256, data)
        _set(conn, sha256, size, True)
        return _state(sha256, size, size, True), None

    state, error = run_write(engine, work)  # a reset is committed before it is answered
    if error is not None:
        raise error
    return state


def _put_whole(engine: Engine, files: BlobFiles, sha256: str, data: bytes) -> dict[str, Any]:
    """A whole blob in one request whose bytes hash to its name (checked by the signature's
    digest): its file is published first — two requests publishing it write the same bytes —
    then its row says complete in one statement (``engine`` commits it without waiting for the
    WAL flush, see :func:`_commit_without_wal_flush`), and an upload of it still in progress is
    done with (it had the row locked or sees the file)."""
    if not files.has(sha256, len(data)):
        files.publish(sha256, data)
    state = _state(sha256, len(data), len(data), True)

    def work(conn: Connection) -> None:
        make = pg_insert(schema.blobs) if is_postgres(conn) else sqlite_insert(schema.blobs)
        conn.execute(make.values(**state).on_conflict_do_update(
            index_elements=[schema.blobs.c.sha256],
            set_={"size": len(data), "have_bytes": len(data), "complete": True}))

    run_write(engine, work)
    files.discard(sha256)
    return state


def _commit_without_wal_flush(conn: Connection) -> None:
    """A blob's row is rebuilt from its files, so its commit need not wait for PostgreSQL's
    WAL flush (one fsync less per photo): the bytes are fsynced before the answer, a row that
    lost "complete" in a database crash is completed by the published file at the next PUT,
    and one that lost a chunk makes the client resume at what it says (409 range_mismatch,
    then the file is cut there)."""
    if is_postgres(conn):
        conn.execute(text("SET LOCAL synchronous_commit TO OFF"))


def _locked_row(conn: Connection, sha256: str, total: int) -> tuple[Row[Any], bool]:
    """The blob's row, locked until commit (made first when new, so that two uploads of one
    blob never write its file at the same time); True when this call made it."""
    bl = schema.blobs
    query = select(bl).where(bl.c.sha256 == sha256)
    if is_postgres(conn):
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is not None:
        return row, False
    make = pg_insert(bl) if is_postgres(conn) else sqlite_insert(bl)
    created = conn.execute(make.values(sha256=sha256, size=total, have_bytes=0, complete=False)
                           .on_conflict_do_nothing()).rowcount == 1
    row = conn.execute(query).first()
    assert row is not None
    return row, created


def _set(conn: Connection, sha256: str, have: int, complete: bool) -> None:
    conn.execute(update(schema.blobs).where(schema.blobs.c.sha256 == sha256)
                 .values(have_bytes=have, complete=complete))


def _state(sha256: str, size: int, have: int, complete: bool) -> dict[str, Any]:
    return {"sha256": sha256, "size": size, "have_bytes": have, "complete": complete}


def read_blob(engine: Engine, files: BlobFiles, caller: Caller, sha256: str,
              range_header: str | None) -> tuple[Iterator[bytes], int, int, int]:
    """(pieces, start, end, size) of a complete blob that an attachment the caller may read
    refers to; ``Range: bytes=START-[END]`` resumes a download."""
    check_sha256(sha256)
    bl, r = schema.blobs, schema.records
    with engine.connect() as conn:
        size = conn.scalar(select(bl.c.size).where(bl.c.sha256 == sha256, bl.c.complete.is_(True)))
        readable = conn.scalar(select(r.c.record_id).where(
            r.c.blob_sha256 == sha256, caller.readable(r.c.scope)).limit(1))
    if size is None or readable is None or not files.has(sha256, int(size)):
        raise ApiError(404, "blob_not_found")
    start, end = 0, int(size) - 1
    if range_header:
        m = RANGE_RE.match(range_header.strip())
        if not m or int(m.group(1)) > end:
            raise ApiError(416, "bad_range", {"size": int(size)})
        start = int(m.group(1))
        end = min(end, int(m.group(2))) if m.group(2) else end
    return files.read(sha256, start, end), start, end, int(size)
