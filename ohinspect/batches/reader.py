"""Reading a batch file safely (docs/batch-format.md "Import"): the archive's names, sizes and
compression ratios are checked against resources/rules/batch_limits.yaml, the manifest is
parsed with size and depth limits and its signature verified against a trusted device key —
all before a single byte is unpacked. Only then is every part streamed into the staging folder,
hashed on the way; any difference from the signed manifest refuses the whole file."""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.format import (BLOB_PREFIX, MANIFEST, RECORDS, SHA256, SIGNATURE, Manifest,
                                      Part, manifest_fields, read_manifest, signer_of)
from ohinspect.batches.keys import TrustedKey, trusted_key
from ohinspect.batches.limits import BatchLimits
from ohinspect.progress import Reporter
from ohinspect.store import migrations
from ohinspect.sync.device_key import verify_body

ZIP_MAGIC = b"PK\x03\x04"
_DRIVE = re.compile(r"^[A-Za-z]:")
#: errors the zip and deflate code raise on a damaged or truncated archive
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            zipfile.LargeZipFile)


@dataclass
class StagedBatch:
    manifest: Manifest
    signer: TrustedKey
    folder: Path
    records: Path
    blobs: dict[str, Path] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _known_revisions() -> frozenset[str]:
    return frozenset(migrations.known_revisions())


def _check_name(info: zipfile.ZipInfo, seen: set[str]) -> None:
    """No escape from the staging folder, no links, no duplicates, only our own names."""
    name = info.orig_filename
    parts = name.split("/")
    if ("\\" in name or "\x00" in name or name.startswith("/") or _DRIVE.match(name)
            or any(p in ("", ".", "..") for p in parts)):
        raise BatchRefused("path_unsafe", name=name)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BatchRefused("link_entry", name=name)
    if name in seen:
        raise BatchRefused("duplicate_entry", name=name)
    seen.add(name)
    blob = name.startswith(BLOB_PREFIX) and SHA256.match(name[len(BLOB_PREFIX):])
    if name not in (MANIFEST, SIGNATURE, RECORDS) and not blob:
        raise BatchRefused("unexpected_entry", name=name)
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise BatchRefused("unsupported_entry", name=name)


def _check_sizes(infos: list[zipfile.ZipInfo], limits: BatchLimits) -> None:
    """Zip-bomb limits on the declared sizes; reading never goes past a declared size."""
    if len(infos) > limits.max_entries:
        raise BatchRefused("too_many_entries", count=len(infos), limit=limits.max_entries)
    total = 0
    for info in infos:
        if info.file_size > limits.max_entry_bytes:
            raise BatchRefused("entry_too_large", name=info.filename, size=info.file_size,
                               limit=limits.max_entry_bytes)
        if (info.file_size >= limits.ratio_min_bytes
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            raise BatchRefused("ratio_too_high", name=info.filename, limit=limits.max_ratio)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise BatchRefused("total_too_large", size=total, limit=limits.max_total_bytes)


def _read_small(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with zf.open(name) as fh:
        return fh.read(limit + 1)


def _open(path: Path, limits: BatchLimits) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            magic = fh.read(len(ZIP_MAGIC))
    except OSError as exc:
        raise BatchRefused("unreadable", path=path, reason=exc.strerror or exc) from exc
    if magic != ZIP_MAGIC:
        raise BatchRefused("not_a_batch")
    if size > limits.max_file_bytes:
        raise BatchRefused("file_too_large", size=size, limit=limits.max_file_bytes)
    try:
        return zipfile.ZipFile(path)
    except _CORRUPT as exc:
        raise BatchRefused("corrupt") from exc


def _verify(zf: zipfile.ZipFile, names: set[str], session: Session,
            limits: BatchLimits) -> tuple[Manifest, TrustedKey]:
    if MANIFEST not in names:
        raise BatchRefused("not_a_batch")
    declared = zf.getinfo(MANIFEST).file_size
    if declared > limits.max_manifest_bytes:
        raise BatchRefused("json_too_large", part=MANIFEST, size=declared,
                           limit=limits.max_manifest_bytes)
    body = _read_small(zf, MANIFEST, limits.max_manifest_bytes)
    raw = read_manifest(body, limits)
    if SIGNATURE not in names:
        raise BatchRefused("signature_missing")
    signature = _read_small(zf, SIGNATURE, limits.max_signature_bytes)
    key_id, device_id = signer_of(raw)
    signer = trusted_key(session, key_id)
    if signer is None or signer.device_id != device_id:
        raise BatchRefused("unknown_key", device=device_id, author=str(raw.get("author"))[:64])
    if (len(signature) > limits.max_signature_bytes
            or not verify_body(signer.public_key, body, signature.decode("ascii", "replace"))):
        raise BatchRefused("bad_signature", device=device_id)
    manifest = manifest_fields(raw)
    if manifest.schema_revision not in _known_revisions():
        raise BatchRefused("schema_unknown", revision=manifest.schema_revision,
                           head=migrations.head_revision())
    listed = {p.name for p in manifest.parts}
    extra, missing = sorted(names - listed - {MANIFEST, SIGNATURE}), sorted(listed - names)
    if extra:
        raise BatchRefused("extra_part", name=extra[0])
    if missing:
        raise BatchRefused("missing_part", name=missing[0])
    return manifest, signer


def _staged(dest: Path) -> BinaryIO:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest.open("wb")
    except OSError as exc:
        raise BatchRefused("staging_failed", path=dest.parent, reason=exc.strerror or exc) from exc


def _stream(zf: zipfile.ZipFile, part: Part, dest: Path, limits: BatchLimits,
            reporter: Reporter) -> None:
    """Copy one part to ``dest``, hashing and counting; stop at the signed size."""
    if zf.getinfo(part.name).file_size != part.size:
        raise BatchRefused("hash_mismatch", name=part.name)
    digest, size = hashlib.sha256(), 0
    with zf.open(part.name) as src, _staged(dest) as out:
        while chunk := src.read(limits.read_chunk_bytes):
            reporter.check()
            size += len(chunk)
            if size > part.size:
                raise BatchRefused("hash_mismatch", name=part.name)
            digest.update(chunk)
            try:
                out.write(chunk)
            except OSError as exc:
                raise BatchRefused("staging_failed", path=dest.parent,
                                   reason=exc.strerror or exc) from exc
    if size != part.size or digest.hexdigest() != part.sha256:
        raise BatchRefused("hash_mismatch", name=part.name)


def stage_batch(path: Path, session: Session, staging: Path, limits: BatchLimits,
                reporter: Reporter) -> StagedBatch:
    """Verify ``path`` and unpack it into ``staging`` (which the caller removes afterwards)."""
    zf = _open(path, limits)
    try:
        infos = zf.infolist()
        seen: set[str] = set()
        for info in infos:
            _check_name(info, seen)
        _check_sizes(infos, limits)
        manifest, signer = _verify(zf, seen, session, limits)
        staged = StagedBatch(manifest, signer, staging, staging / RECORDS)
        for n, part in enumerate(manifest.parts):
            reporter.progress(n, len(manifest.parts))
            dest = staged.records if part.name == RECORDS else staging / part.name
            _stream(zf, part, dest, limits, reporter)
            if part.name != RECORDS:
                staged.blobs[part.sha256] = dest
        return staged
    except _CORRUPT as exc:
        raise BatchRefused("corrupt") from exc
    finally:
        zf.close()
