"""Checking a batch fetched from the platform exactly as strictly as a batch file
(docs/batch-format.md "Fetch from the platform"), before anything is unpacked:

1. the body is the one the platform stored (SHA-256) and the device signed it — with the key
   this store already trusts for that device, or else the key the platform registered for it,
   which the platform vouches for over the authenticated channel (token over TLS); such a key
   is recorded like one from ``batch trust-key`` when the batch is imported;
2. the body is the push it claims to be (its batch and device) and the platform's outcomes name
   exactly its items;
3. the records the platform accepted are written to a staging folder and read back through the
   file import's record checks (:func:`ohinspect.batches.records.read_records`): hashes, schema,
   types, duplicates; then the jurisdiction.

Photos are fetched by SHA-256 into the staging folder, in ``Range`` pieces that survive an
interruption (``staging/fetch-blobs/<sha256>.part``), and used only when their hash matches.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from ohinspect.batches import scope
from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.fetch_wire import BatchClient, PlatformBatch
from ohinspect.batches.format import (FORMAT_VERSION, KIND_RECORDS, RECORDS, SHA256, Manifest, Part,
                                      blob_name, loads_limited)
from ohinspect.batches.keys import PUBLIC_KEY_BYTES, TrustedKey, key_id, trusted_key
from ohinspect.batches.limits import BatchLimits
from ohinspect.batches.reader import StagedBatch
from ohinspect.batches.records import read_records
from ohinspect.progress import Reporter
from ohinspect.store.models import Attachment
from ohinspect.store.serialize import canonical_json
from ohinspect.sync import local
from ohinspect.sync.device_key import verify_body
from ohinspect.sync.errors import SyncError
from ohinspect.sync.protocol import ACKNOWLEDGED, Change

BLOB_CACHE = "fetch-blobs"
#: the platform's error code for a Range beyond the photo (a piece kept from another download)
RANGE_REFUSED = "bad_range"
BODY_KEYS = frozenset({"batch_id", "device_id", "items"})


@dataclass
class VerifiedBatch:
    batch: PlatformBatch
    signer: TrustedKey
    #: the key was not trusted yet: the platform vouches for it (recorded on import)
    key_is_new: bool
    #: the versions the platform accepted, each with the server seq it gave them
    changes: list[Change]
    #: attachment versions whose photo the platform no longer serves (it serves the photos of
    #: current versions only: a later version of the record replaced it) — superseded
    unavailable: list[Change] = field(default_factory=list)


def _signer(session: Session, batch: PlatformBatch) -> tuple[TrustedKey, bool]:
    try:
        raw = base64.b64decode(batch.public_key, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BatchRefused("bad_signature", device=batch.device_id) from exc
    if len(raw) != PUBLIC_KEY_BYTES:
        raise BatchRefused("bad_signature", device=batch.device_id)
    kid = key_id(batch.public_key)
    known = trusted_key(session, kid)
    if known is not None:
        if known.device_id != batch.device_id:
            raise BatchRefused("unknown_key", device=batch.device_id, author=batch.user[:64])
        return known, False
    return TrustedKey(kid, batch.device_id, batch.public_key, batch.user, "",
                      batch.received_at), True


def _items(body: bytes, batch: PlatformBatch, limits: BatchLimits) -> list[dict[str, object]]:
    # a push body is one level deeper than a batch file's record line ({"items": [line…]})
    raw = loads_limited(body, limits.max_manifest_bytes, limits.max_depth + 1, batch.label)
    if (not isinstance(raw, dict) or raw.keys() != BODY_KEYS or raw["batch_id"] != batch.batch_id
            or raw["device_id"] != batch.device_id or not isinstance(raw["items"], list)):
        raise BatchRefused("manifest_invalid", field="body")
    items = raw["items"]
    named = [(i.get("record_type"), i.get("id"), i.get("hash")) if isinstance(i, dict) else None
             for i in items]
    if named != [(m.record_type, m.id, m.hash) for m in batch.manifest]:
        raise BatchRefused("manifest_invalid", field="manifest")
    return items


def verify_batch(session: Session, batch: PlatformBatch, staging: Path, limits: BatchLimits,
                 reporter: Reporter) -> VerifiedBatch:
    """Verify ``batch`` and read its accepted records through ``staging`` (which the caller
    removes afterwards); raises :class:`BatchRefused` with nothing written to the store."""
    body = batch.body.encode("utf-8")
    if hashlib.sha256(body).hexdigest() != batch.body_sha256:
        raise BatchRefused("hash_mismatch", name=batch.label)
    signer, is_new = _signer(session, batch)
    if (len(batch.signature) > limits.max_signature_bytes
            or not verify_body(signer.public_key, body, batch.signature)):
        raise BatchRefused("bad_signature", device=batch.device_id)
    lines = [canonical_json({"record_type": item["record_type"], "id": item["id"],
                             "hash": item["hash"], "seq": m.server_seq,
                             "payload": item.get("payload")}) + "\n"
             for item, m in zip(_items(body, batch, limits), batch.manifest)
             if m.outcome in ACKNOWLEDGED and m.server_seq]
    text = "".join(lines).encode("utf-8")
    try:
        staging.mkdir(parents=True, exist_ok=True)
        (staging / RECORDS).write_bytes(text)
    except OSError as exc:
        raise BatchRefused("staging_failed", path=staging, reason=exc.strerror or exc) from exc
    part = Part(RECORDS, hashlib.sha256(text).hexdigest(), len(text), KIND_RECORDS, len(lines))
    manifest = Manifest(FORMAT_VERSION, "", batch.batch_id, batch.received_at, batch.device_id,
                        signer.key_id, batch.user, "", "", None, batch.seq, (part,))
    records = read_records(StagedBatch(manifest, signer, staging, staging / RECORDS), limits,
                           reporter)
    changes = [replace(c, server_seq=records.seqs[(c.record_type, c.id)])
               for c in records.changes]
    return VerifiedBatch(batch, signer, is_new, changes)


def check_jurisdiction(session: Session, verified: VerifiedBatch) -> None:
    """Every record must lie in this store's jurisdiction (prefix rule). A record whose parent
    is neither in the batch nor here counts as inside: the platform, which holds that parent,
    placed it in this user's readable scope (it answers only batches wholly inside it)."""
    mine = local.get_meta(session, local.JURISDICTION)
    if not mine:
        raise BatchRefused("no_jurisdiction")
    batch = {(c.record_type, c.id): c.payload for c in verified.changes}
    outside = scope.outside(session, batch, mine, mine)
    if outside:
        raise BatchRefused("outside_jurisdiction", count=len(outside), jurisdiction=mine,
                           batch_jurisdiction="-")


def photo_hashes(changes: list[Change]) -> list[str]:
    """The photos the attachment records among ``changes`` name (checked: they become paths)."""
    out = []
    for c in changes:
        if c.record_type == Attachment.__record_type__:
            sha = c.payload.get("sha256")
            if not isinstance(sha, str) or not SHA256.match(sha):
                raise BatchRefused("record_invalid", where=f"{c.record_type} {c.id}")
            out.append(sha)
    return list(dict.fromkeys(out))


def _fill(client: BatchClient, sha256: str, piece: Path, limits: BatchLimits,
          reporter: Reporter) -> None:
    """Append to ``piece`` until it holds the whole photo (a piece the platform says is too
    long — 416 — is started again)."""
    have = piece.stat().st_size if piece.is_file() else 0
    total = have + 1
    with piece.open("ab") as out:
        while have < total:
            reporter.check()
            try:
                data, total = client.blob_range(sha256, have,
                                                have + client.limits.chunk_bytes - 1)
            except SyncError as exc:
                if exc.code != RANGE_REFUSED or not have:
                    raise
                out.truncate(0)
                have, total = 0, 1
                continue
            if total > limits.max_entry_bytes:
                raise BatchRefused("entry_too_large", name=blob_name(sha256), size=total,
                                   limit=limits.max_entry_bytes)
            out.write(data)
            have += len(data)


def download_photo(client: BatchClient, sha256: str, cache: Path, staging: Path,
                   limits: BatchLimits, reporter: Reporter) -> Path:
    """Fetch one photo into ``staging/blobs/<sha256>``, resuming a piece kept in ``cache``;
    refused (and the piece dropped) when the bytes do not hash to ``sha256``."""
    piece, dest = cache / f"{sha256}.part", staging / blob_name(sha256)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        _fill(client, sha256, piece, limits, reporter)
        digest = hashlib.sha256()
        with piece.open("rb") as fh:
            while chunk := fh.read(limits.read_chunk_bytes):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            piece.unlink()
            raise BatchRefused("hash_mismatch", name=blob_name(sha256))
        piece.replace(dest)
    except OSError as exc:
        raise BatchRefused("staging_failed", path=cache, reason=exc.strerror or exc) from exc
    return dest
