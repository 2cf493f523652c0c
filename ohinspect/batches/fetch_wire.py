"""The platform side of "fetch from platform" (issue 7 item 2): ``GET /v1/batches`` pages — every
batch the platform stored, with the verbatim signed push body, its signature and the device
key the platform registered (docs/design/issue6-sync.md "Batch manifests") — and photos by
SHA-256 in ``Range`` pieces (``GET /v1/attachments/{sha256}``). Every answer is checked
strictly: anything not shaped as the protocol says is a
:class:`~ohinspect.sync.errors.ProtocolError`, never a KeyError."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ohinspect.sync.errors import ProtocolError
from ohinspect.sync.protocol import (OUTCOMES, read_field, read_int, read_list, read_obj,
                                      read_sha)
from ohinspect.sync.transport import PlatformClient

_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


@dataclass(frozen=True)
class ManifestItem:
    """The platform's outcome for one item of a stored push (not signed by the device)."""

    record_type: str
    id: str
    hash: str
    outcome: str
    server_seq: int | None


@dataclass(frozen=True)
class PlatformBatch:
    seq: int
    batch_id: str
    device_id: str
    user: str
    received_at: str
    body_sha256: str
    signature: str
    public_key: str
    body: str
    manifest: tuple[ManifestItem, ...]

    @property
    def label(self) -> str:
        """How the summary names this batch (where a file import shows the file name)."""
        return f"platform-{self.seq}-{self.batch_id[:8]}"


@dataclass(frozen=True)
class BatchesPage:
    batches: list[PlatformBatch]
    next: int
    more: bool


def _item(raw: Any, where: str) -> ManifestItem:
    d = read_obj(raw, where)
    item = ManifestItem(read_field(d, "record_type", str, where), read_field(d, "id", str, where),
                        read_sha(d, "hash", where), read_field(d, "outcome", str, where),
                        read_int(d, "server_seq", where, nullable=True))
    if item.outcome not in OUTCOMES:
        raise ProtocolError(f"{where}: unknown outcome '{item.outcome}'")
    return item


def _batch(raw: Any, where: str) -> PlatformBatch:
    d = read_obj(raw, where)
    f = {k: read_field(d, k, str, where) for k in (
        "batch_id", "device_id", "user", "received_at", "signature", "public_key", "body")}
    manifest = tuple(_item(m, f"{where}.manifest[{n}]")
                     for n, m in enumerate(read_list(d, "manifest", where)))
    return PlatformBatch(read_int(d, "seq", where), body_sha256=read_sha(d, "body_sha256", where),
                         manifest=manifest, **f)


def parse_batches(data: Any, since: int) -> BatchesPage:
    """One page of ``GET /v1/batches``: ascending seqs above ``since``, ``next`` not behind."""
    d = read_obj(data, "batches")
    batches, last = [], since
    for n, raw in enumerate(read_list(d, "batches", "batches")):
        batch = _batch(raw, f"batches[{n}]")
        if batch.seq <= last:
            raise ProtocolError(f"batches[{n}]: sequence numbers do not ascend")
        last = batch.seq
        batches.append(batch)
    nxt, more = read_int(d, "next", "batches"), read_field(d, "more", bool, "batches")
    if nxt < last or (more and nxt <= since):
        raise ProtocolError("batches: 'next' or 'more' is wrong")
    return BatchesPage(batches, nxt, more)


class BatchClient(PlatformClient):
    """The sync client (token, signature, retries, one message per failure) plus the two
    reads a supervisor's fetch needs."""

    def batches(self, since: int) -> BatchesPage:
        """The next page after ``since`` (the platform's own page size)."""
        return parse_batches(self._json("GET", "/v1/batches", params={"since": since}), since)

    def blob_range(self, sha256: str, start: int, end: int) -> tuple[bytes, int]:
        """Bytes ``start``…``end`` (inclusive) of a photo and its total size."""
        r = self._request("GET", f"/v1/attachments/{sha256}",
                          headers={"Range": f"bytes={start}-{end}"})
        m = _CONTENT_RANGE.match(r.headers.get("Content-Range", ""))
        if (r.status_code != 206 or m is None or int(m.group(1)) != start
                or int(m.group(2)) - start + 1 != len(r.content)):
            raise ProtocolError(f"GET /v1/attachments/{sha256[:12]}: not the range asked for")
        return r.content, int(m.group(3))
