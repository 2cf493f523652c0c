"""Exporting a batch (issue 7 item 1): every syncable record changed since a local change
number (or all), parents first, with the photos they name, in one ``.ohbatch`` file whose
manifest lists every part's SHA-256 and is signed with the device key. The records carry their
content hash, so exporting twice gives batches that import as no-ops the second time."""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect import __version__
from ohinspect.batches.errors import export_failed
from ohinspect.batches.format import (FORMAT_VERSION, KIND_BLOB, KIND_RECORDS, MANIFEST, RECORDS,
                                      SIGNATURE, Manifest, Part, blob_name)
from ohinspect.batches.keys import device_jurisdiction, device_key
from ohinspect.batches.scope import batch_jurisdiction
from ohinspect.progress import Reporter
from ohinspect.services.attachments import attachment_path
from ohinspect.store.database import Store
from ohinspect.store.models import RECORD_TYPES, Attachment, StoreMeta
from ohinspect.store.serialize import canonical_json, content_hash, to_jsonable
from ohinspect.store.uow import CHANGE_SEQ_KEY, Actor
from ohinspect.sync import local
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.device_key import sign_body

#: a fixed entry time: the manifest holds the real one, and equal content gives equal entries
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    batch_id: str
    records: int
    blobs: int
    since: int | None
    until: int


def _records(session: Session, since: int | None) -> Iterator[tuple[str, dict[str, Any], int]]:
    """(record_type, payload, change number) of every record changed after ``since``, parents
    first."""
    for record_type in local.type_order():
        model = RECORD_TYPES[record_type]
        stmt = select(model).order_by(model.change_seq, model.id)
        if since is not None:
            stmt = stmt.where(model.change_seq > since)
        for obj in session.scalars(stmt):
            yield record_type, obj.sync_payload(), obj.change_seq


def _blobs(store: Store, payloads: list[tuple[str, dict[str, Any], int]]) -> list[str]:
    """Files named by the exported attachments: the photo itself must be here; a kept
    full-size original travels when this device has it."""
    needed: set[str] = set()
    for record_type, payload, _ in payloads:
        if record_type != Attachment.__record_type__:
            continue
        if not attachment_path(store, payload["sha256"]).is_file():
            raise export_failed("blob_missing", sha256=payload["sha256"][:12],
                                name=payload.get("original_name") or payload["id"])
        needed.add(payload["sha256"])
        original = payload.get("original_sha256")
        if original and attachment_path(store, original).is_file():
            needed.add(original)
    return sorted(needed)


def _entry(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ENTRY_TIME)
    info.compress_type = compress
    return info


def _write_records(zf: zipfile.ZipFile, payloads: list[tuple[str, dict[str, Any], int]]) -> Part:
    digest, size = hashlib.sha256(), 0
    with zf.open(_entry(RECORDS, zipfile.ZIP_DEFLATED), "w", force_zip64=True) as fh:
        for record_type, payload, seq in payloads:
            line = (canonical_json({"record_type": record_type, "id": payload["id"],
                                    "hash": content_hash(payload), "seq": seq,
                                    "payload": payload})
                    + "\n").encode("utf-8")
            digest.update(line)
            size += len(line)
            fh.write(line)
    return Part(RECORDS, digest.hexdigest(), size, KIND_RECORDS, len(payloads))


def _write_blob(zf: zipfile.ZipFile, store: Store, sha256: str) -> Part:
    data = attachment_path(store, sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:  # never pass on a damaged photo
        raise export_failed("blob_corrupt", sha256=sha256[:12])
    zf.writestr(_entry(blob_name(sha256), zipfile.ZIP_STORED), data)
    return Part(blob_name(sha256), sha256, len(data), KIND_BLOB, 1)


def export_batch(store: Store, actor: Actor, out: Path, *, since: int | None = None,
                 credentials: CredentialStore | None = None,
                 reporter: Reporter | None = None) -> ExportResult:
    """Write the batch to ``out`` (temp file, fsync, rename: a failed export leaves nothing)
    and audit it."""
    from ohinspect.reports.styles import atomic_output

    reporter = reporter or Reporter()
    key = device_key(store, credentials or CredentialStore())
    with store.read() as session:
        payloads = list(_records(session, since))
        meta = session.get(StoreMeta, CHANGE_SEQ_KEY)
        until = int(meta.value) if meta is not None else 0
        jurisdiction = device_jurisdiction(session) or batch_jurisdiction(
            session, {(t, p["id"]): p for t, p, _ in payloads})
    blobs = _blobs(store, payloads)
    batch_id = str(uuid.uuid4())
    with store.unit_of_work(actor) as uow:
        with atomic_output(out) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            parts = [_write_records(zf, payloads)]
            for n, sha256 in enumerate(blobs):
                reporter.check()
                reporter.progress(n, len(blobs))
                parts.append(_write_blob(zf, store, sha256))
            manifest = Manifest(FORMAT_VERSION, store.schema_revision() or "", batch_id,
                                to_jsonable(uow.now), store.device_id, key.key_id, actor.user,
                                jurisdiction, __version__, since, until, tuple(parts))
            body = manifest.to_json().encode("utf-8")
            zf.writestr(_entry(MANIFEST, zipfile.ZIP_DEFLATED), body)
            zf.writestr(_entry(SIGNATURE, zipfile.ZIP_STORED), sign_body(key.private, body))
        uow.audit("batch.exported", details={"batch_id": batch_id, "file": out.name,
                                             "records": len(payloads), "blobs": len(blobs),
                                             "since": since, "until": until})
        uow.commit()
    return ExportResult(out, batch_id, len(payloads), len(blobs), since, until)
