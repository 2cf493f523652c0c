"""Photos, scans and signature images as files named by their SHA-256 beside the store
(``<data_dir>/attachments/ab/abcdef…``; ARCHITECTURE "Data that survives the field").

A file is written to a temporary ``*.partial`` file in its final folder, fsynced, renamed over
its final name and the folder fsynced — only then is the ``attachment`` row inserted, so a row
never points at a missing or half-written file. Identical content is stored once. Images whose
longer edge exceeds the configured limit are downscaled (Pillow); the full-size original is kept
only if the data file says so. Limits live in ``resources/documents/attachments.yaml``.

A failed write (disk full, permissions…) removes its temporary file and raises
:class:`~ohinspect.errors.StoreError` with a clear message: no partial file, no row.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import DataFileError, FieldProblem, NotFoundError, StoreError, ValidationError
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import RECORD_TYPES, Attachment
from ohinspect.store.uow import Actor, UnitOfWork

RESOURCE = "documents/attachments.yaml"
PARTIAL_SUFFIX = ".partial"  # ohinspect check skips these
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_FULL_DISK = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
#: fsyncs in flight at once when many files are stored together (the disk merges them)
FSYNC_THREADS = 8


@dataclass(frozen=True)
class AttachmentRules:
    kinds: tuple[str, ...]
    media_types: tuple[str, ...]
    max_bytes: int
    max_long_edge_px: int
    keep_original: bool
    jpeg_quality: int
    downscale_media_types: tuple[str, ...]


@lru_cache(maxsize=1)
def load_attachment_rules() -> AttachmentRules:
    data = load_resource(RESOURCE)
    try:
        images = data["images"]
        rules = AttachmentRules(
            kinds=tuple(str(k) for k in data["kinds"]),
            media_types=tuple(str(m) for m in data["media_types"]),
            max_bytes=int(data["max_bytes"]),
            max_long_edge_px=int(images["max_long_edge_px"]),
            keep_original=bool(images["keep_original"]),
            jpeg_quality=int(images["jpeg_quality"]),
            downscale_media_types=tuple(str(m) for m in images["downscale_media_types"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(str(resources_dir() / RESOURCE), f"malformed: {exc!r}") from exc
    if rules.max_bytes <= 0 or rules.max_long_edge_px <= 0 or not 1 <= rules.jpeg_quality <= 95:
        raise DataFileError(str(resources_dir() / RESOURCE),
                            "max_bytes and max_long_edge_px must be positive, jpeg_quality 1–95")
    return rules


@dataclass(frozen=True)
class Blob:
    """A stored file: its hash (= file name), size, media type and, if the original was
    downscaled and kept, the original's hash ("" otherwise)."""

    sha256: str
    size: int
    media_type: str
    original_sha256: str = ""


def attachment_path(store: Store, sha256: str) -> Path:
    """Where the file with this SHA-256 lives (``attachments/ab/abcdef…``)."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return store.attachments_dir / sha256[:2] / sha256


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` durable (not possible on Windows: skipped)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _file_matches(path: Path, sha256: str, size: int) -> bool:
    try:
        if path.stat().st_size != size:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def write_blob_file(store: Store, sha256: str, data: bytes) -> None:
    """Store ``data`` under its hash: temp file, fsync, rename, fsync folder. Idempotent.

    Bytes that already carry their hash (a photo received by sync or in a batch file) come
    here directly; new photos go through :func:`put_blob`, which checks and downscales first."""
    final = attachment_path(store, sha256)
    if _file_matches(final, sha256, len(data)):
        return  # identical content is stored once
    folder = final.parent
    tmp = folder / f"{sha256}.{secrets.token_hex(4)}{PARTIAL_SUFFIX}"
    try:
        new_dirs = [d for d in (store.attachments_dir, folder) if not d.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        for d in new_dirs:  # the new folder entries themselves must survive a power cut
            _fsync_dir(d.parent)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, final)
        _fsync_dir(folder)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise _write_error(store, exc) from exc


def _write_error(store: Store, exc: OSError) -> StoreError:
    if exc.errno in _FULL_DISK:
        return StoreError(tr("attachment.error.disk_full", path=store.attachments_dir))
    return StoreError(tr("attachment.error.write_failed", path=store.attachments_dir,
                         reason=exc.strerror or exc))


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows flushes writable only
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_blob_files(store: Store, files: dict[str, Path]) -> int:
    """Move files already checked against their hash (a batch's staged photos, same disk) in
    under that hash, as durably as :func:`write_blob_file` — contents, then the renames, on
    disk before this returns — but with the fsyncs of all the files issued together: a batch
    brings dozens of photos, and one fsync at a time waits for the disk once per file. A hash
    already stored is left as it is. Returns how many files were new."""
    todo = {sha: path for sha, path in files.items() if not attachment_path(store, sha).is_file()}
    if not todo:
        return 0
    folders = {attachment_path(store, sha).parent for sha in todo}
    try:
        new_dirs = [d for d in (store.attachments_dir, *folders) if not d.exists()]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=FSYNC_THREADS) as pool:
            list(pool.map(_fsync_file, todo.values()))
            for sha, path in todo.items():
                try:
                    os.replace(path, attachment_path(store, sha))
                except OSError as exc:
                    if exc.errno != errno.EXDEV:
                        raise
                    write_blob_file(store, sha, path.read_bytes())  # attachments on another disk
            list(pool.map(_fsync_dir, folders | {d.parent for d in new_dirs}))
    except OSError as exc:
        raise _write_error(store, exc) from exc
    return len(todo)


def _downscaled(data: bytes, media_type: str, rules: AttachmentRules) -> bytes | None:
    """The image re-encoded with its longer edge at the limit, or None if it is within it."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            if max(img.size) <= rules.max_long_edge_px:
                return None
            img.load()
            upright = ImageOps.exif_transpose(img)  # the orientation tag is lost on re-encode
            upright.thumbnail((rules.max_long_edge_px, rules.max_long_edge_px),
                              Image.Resampling.LANCZOS)
            fmt = _PIL_FORMATS[media_type]
            if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            options = {"quality": rules.jpeg_quality} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            upright.save(out, format=fmt, **options)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError([FieldProblem("data", "attachment.error.bad_image",
                                            tr("attachment.error.bad_image", reason=exc))]) from exc


def _check_content(data: bytes, media_type: str, rules: AttachmentRules) -> None:
    if not data:
        raise ValidationError([FieldProblem("data", "attachment.error.empty",
                                            tr("attachment.error.empty"))])
    if media_type not in rules.media_types:
        raise ValidationError([FieldProblem("media_type", "attachment.error.media_type",
                                            tr("attachment.error.media_type", media_type=media_type,
                                               choices=", ".join(rules.media_types)))])
    if len(data) > rules.max_bytes:
        raise ValidationError([FieldProblem("data", "attachment.error.too_large",
                                            tr("attachment.error.too_large",
                                               size_mb=round(len(data) / 1048576, 1),
                                               max_mb=round(rules.max_bytes / 1048576, 1)))])


def put_blob(store: Store, data: bytes, media_type: str) -> Blob:
    """Store ``data`` as a file named by its SHA-256 (downscaled first if it is an image larger
    than the limit) and describe it. The caller inserts the row that points at it."""
    rules = load_attachment_rules()
    media_type = media_type.strip().lower()
    _check_content(data, media_type, rules)
    original_sha = ""
    if media_type in rules.downscale_media_types:
        smaller = _downscaled(data, media_type, rules)
        if smaller is not None:
            if rules.keep_original:
                original_sha = hashlib.sha256(data).hexdigest()
                write_blob_file(store, original_sha, data)
            data = smaller
    sha = hashlib.sha256(data).hexdigest()
    write_blob_file(store, sha, data)
    return Blob(sha, len(data), media_type, original_sha)


def _owner_exists(session: Session, owner_type: str, owner_id: str) -> bool:
    model = RECORD_TYPES[owner_type]
    if any(isinstance(o, model) and o.id == owner_id for o in session.new):
        return True  # added earlier in the caller's unit of work, not flushed yet
    owner = session.get(model, owner_id)
    return owner is not None and not owner.is_deleted


def add_attachment(store: Store, actor: Actor, owner_type: str, owner_id: str, data: bytes, *,
                   kind: str, media_type: str, original_name: str = "", caption: str = "",
                   uow: UnitOfWork | None = None, attachment_id: str | None = None) -> OpResult:
    """Attach a file to a record: the file first, then the row — in its own unit of work, or
    inside ``uow`` (which the caller commits) when given. ``attachment_id`` fixes the row's id
    (deterministic demo data); an existing row with that id is left as it is."""
    rules = load_attachment_rules()
    problems = []
    if owner_type not in RECORD_TYPES:
        problems.append(FieldProblem("owner_type", "attachment.error.owner_type",
                                     tr("attachment.error.owner_type", owner_type=owner_type)))
    if kind not in rules.kinds:
        problems.append(FieldProblem("kind", "attachment.error.kind",
                                     tr("attachment.error.kind", kind=kind,
                                        choices=", ".join(rules.kinds))))
    name_limit = Attachment.__table__.c["original_name"].type.length
    if len(original_name) > name_limit:
        problems.append(FieldProblem("original_name", "field.too_long",
                                     tr("field.too_long", max=name_limit)))
    if problems:
        raise ValidationError(problems)
    if uow is not None:
        return _add(store, uow, owner_type, owner_id, data, kind, media_type, original_name,
                    caption, attachment_id)
    with store.unit_of_work(actor) as own:
        result = _add(store, own, owner_type, owner_id, data, kind, media_type, original_name,
                      caption, attachment_id)
        own.commit()
    return result


def _add(store: Store, uow: UnitOfWork, owner_type: str, owner_id: str, data: bytes, kind: str,
         media_type: str, original_name: str, caption: str,
         attachment_id: str | None) -> OpResult:
    changes = changed(owner_type, owner_id)
    if attachment_id is not None and uow.session.get(Attachment, attachment_id) is not None:
        return OpResult(changes, attachment_id)
    if not _owner_exists(uow.session, owner_type, owner_id):
        raise NotFoundError(tr("record.not_found", record_id=owner_id))
    blob = put_blob(store, data, media_type)
    att = Attachment(id=attachment_id, owner_type=owner_type, owner_id=owner_id,
                     sha256=blob.sha256, kind=kind,
                     media_type=blob.media_type, size=blob.size, original_name=original_name,
                     caption=caption.strip(), original_sha256=blob.original_sha256)
    uow.record(att, "attachment.add", {"owner_type": owner_type, "owner_id": owner_id,
                                       "sha256": blob.sha256, "kind": kind})
    return OpResult(changed(Attachment.__record_type__, att.id) | changes, att.id)


def list_attachments(session: Session, owner_type: str, owner_id: str) -> list[Attachment]:
    """The live attachments of one record, oldest first (detached from the session)."""
    rows = list(session.scalars(
        select(Attachment).where(Attachment.owner_type == owner_type,
                                 Attachment.owner_id == owner_id,
                                 Attachment.deleted_at.is_(None))
        .order_by(Attachment.created_at, Attachment.id)))
    for row in rows:
        session.expunge(row)
    return rows
