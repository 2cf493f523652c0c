"""Attachments by SHA-256, resumable (docs/design/issue6-sync.md "Attachments").

A blob's bytes are rows of ``platform_blob_chunk`` appended in upload order, each chunk in its
own transaction, so an interrupted upload keeps every chunk that was acknowledged and resumes at
``have_bytes``. When the last byte arrives the whole blob is hashed — the chunks held before and
the last one still in memory, so a blob sent in one chunk is never read back — and a mismatch
discards it before that chunk is stored (422); a complete blob is immutable and uploading it
again is harmless.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from ohinspect.platform import schema
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


def put_chunk(engine: Engine, sha256: str, start: int, total: int, data: bytes) -> dict[str, Any]:
    """Append ``data`` at ``start`` (which must be the bytes the server holds)."""
    check_sha256(sha256)
    bl, ch = schema.blobs, schema.blob_chunks

    def work(conn: Connection) -> tuple[dict[str, Any], bool]:
        query = select(bl).where(bl.c.sha256 == sha256)
        row = conn.execute(query.with_for_update() if is_postgres(conn) else query).first()
        if row is None:
            have, size, complete = 0, total, False
        else:
            have, size, complete = int(row.have_bytes), int(row.size), bool(row.complete)
        if complete:
            return _state(sha256, size, size, True), True
        if total != size:
            raise ApiError(409, "size_mismatch", {"have_bytes": have}, size=size)
        if start != have:
            raise ApiError(409, "range_mismatch", {"have_bytes": have}, have=have)
        done = have + len(data) == size
        verified = not done or _digest(conn, sha256, have, data) == sha256
        if verified:
            have += len(data)
        else:  # nothing of it is kept: the client starts again from byte 0
            conn.execute(delete(ch).where(ch.c.sha256 == sha256))
            have = 0
        state = _state(sha256, size, have, done and verified)  # also the blob's row
        if row is None:
            conn.execute(insert(bl).values(**state))
        else:
            conn.execute(update(bl).where(bl.c.sha256 == sha256).values(
                have_bytes=have, complete=state["complete"]))
        if verified:
            conn.execute(insert(ch).values(sha256=sha256, start=start, data=data))
        return state, verified  # a reset is committed too

    state, verified = run_write(engine, work)
    if not verified:
        raise ApiError(422, "blob_hash_mismatch", {"have_bytes": 0})
    return state


def _state(sha256: str, size: int, have: int, complete: bool) -> dict[str, Any]:
    return {"sha256": sha256, "size": size, "have_bytes": have, "complete": complete}


def _chunks(conn: Connection, sha256: str, start: int = 0) -> Iterator[tuple[int, bytes]]:
    ch = schema.blob_chunks
    first = conn.scalar(select(ch.c.start).where(ch.c.sha256 == sha256, ch.c.start <= start)
                        .order_by(ch.c.start.desc()).limit(1)) or 0
    for row in conn.execute(select(ch.c.start, ch.c.data).where(ch.c.sha256 == sha256,
                                                                 ch.c.start >= first)
                            .order_by(ch.c.start)).yield_per(4):
        yield int(row.start), bytes(row.data)


def _digest(conn: Connection, sha256: str, stored: int, last: bytes) -> str:
    """SHA-256 of the ``stored`` bytes already held followed by ``last`` (the chunk that
    completes the blob, still in memory: a blob sent in one chunk is never read back)."""
    h = hashlib.sha256()
    if stored:
        for _, data in _chunks(conn, sha256):
            h.update(data)
    h.update(last)
    return h.hexdigest()


def read_blob(engine: Engine, caller: Caller, sha256: str, range_header: str | None
              ) -> tuple[bytes, int, int]:
    """(bytes, start, size) of a complete blob that an attachment the caller may read refers
    to; ``Range: bytes=START-[END]`` resumes a download."""
    check_sha256(sha256)
    bl, r = schema.blobs, schema.records
    with engine.connect() as conn:
        size = conn.scalar(select(bl.c.size).where(bl.c.sha256 == sha256, bl.c.complete.is_(True)))
        readable = conn.scalar(select(r.c.record_id).where(
            r.c.blob_sha256 == sha256, caller.readable(r.c.scope)).limit(1))
        if size is None or readable is None:
            raise ApiError(404, "blob_not_found")
        start, end = 0, int(size) - 1
        if range_header:
            m = RANGE_RE.match(range_header.strip())
            if not m or int(m.group(1)) > end:
                raise ApiError(416, "bad_range", {"size": int(size)})
            start = int(m.group(1))
            end = min(end, int(m.group(2))) if m.group(2) else end
        parts = [data[max(0, start - pos): end + 1 - pos] for pos, data in _chunks(conn, sha256,
                                                                                    start)
                 if pos <= end]
    return b"".join(parts), start, int(size)
