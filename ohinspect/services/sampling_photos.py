"""Photos of samples (issue 4: "photos" in the field record): the pump on the worker, the
sampling point, the production state at the time — attached to the sample they document.

A photo is an :class:`~ohinspect.store.models.Attachment` (kind ``photo``) owned by the
``sample`` record, stored through :func:`ohinspect.services.attachments.add_attachment` (file
named by its SHA-256, written and fsynced before the row; large images downscaled, limits in
``resources/documents/attachments.yaml``). A signed task is frozen: adding a photo to one of its
samples raises :class:`~ohinspect.errors.LockedRecordError` before anything is written.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.sampling_tasks import (ATTACHMENT_RECORD, SAMPLE_RECORD, TASK_RECORD,
                                               ensure_unlocked, load_task)
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, Sample
from ohinspect.store.uow import Actor, UnitOfWork

PHOTO_KIND = "photo"


def _read_image(image_path: Path) -> tuple[bytes, str]:
    """The bytes and media type of an image file; a clear problem on the ``photo`` field when
    it cannot be read or is no image (nothing is written)."""
    path = Path(image_path)
    media_type = mimetypes.guess_type(path.name)[0] or ""
    if not media_type.startswith("image/"):
        raise ValidationError([FieldProblem("photo", "sampling.error.photo_not_image",
                                            tr("sampling.error.photo_not_image", name=path.name))])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError([FieldProblem(
            "photo", "sampling.error.photo_unreadable",
            tr("sampling.error.photo_unreadable", name=path.name,
               reason=exc.strerror or exc))]) from exc
    return data, media_type


def add_sample_photo_in(uow: UnitOfWork, sample: Sample, data: bytes, media_type: str,
                        caption: str = "", *, original_name: str = "",
                        attachment_id: str | None = None) -> Attachment:
    """Attach one photo to ``sample`` inside ``uow``; refused when its task is signed."""
    from ohinspect.services.attachments import add_attachment

    ensure_unlocked(load_task(uow.session, sample.task_id))
    if not str(media_type or "").startswith("image/"):
        raise ValidationError([FieldProblem("photo", "sampling.error.photo_not_image",
                                            tr("sampling.error.photo_not_image",
                                               name=original_name or media_type))])
    result = add_attachment(uow.store, uow.actor, SAMPLE_RECORD, sample.id, data,
                            kind=PHOTO_KIND, media_type=media_type, caption=caption.strip(),
                            original_name=original_name, uow=uow, attachment_id=attachment_id)
    att = uow.session.get(Attachment, result.record_id)
    assert att is not None
    return att


def add_sample_photo(store: Store, actor: Actor, sample_id: str, image_path: Path,
                     caption: str = "") -> OpResult:
    """Attach the image file at ``image_path`` to a sample of a task still in the field."""
    with store.unit_of_work(actor) as uow:
        sample = uow.session.get(Sample, sample_id)
        if sample is None or sample.is_deleted:
            raise NotFoundError(tr("record.not_found", record_id=sample_id))
        ensure_unlocked(load_task(uow.session, sample.task_id))
        data, media_type = _read_image(Path(image_path))
        att = add_sample_photo_in(uow, sample, data, media_type, caption,
                                  original_name=Path(image_path).name)
        uow.commit()
    return OpResult(changed(ATTACHMENT_RECORD, att.id) | changed(SAMPLE_RECORD, sample_id)
                    | changed(TASK_RECORD, sample.task_id), att.id)


def sample_photos(session: Session, sample_ids: Sequence[str]) -> dict[str, list[Attachment]]:
    """sample id → its live photos, oldest first (detached from the session)."""
    ids = list(sample_ids)
    result: dict[str, list[Attachment]] = {sid: [] for sid in ids}
    for start in range(0, len(ids), 500):
        rows = session.scalars(select(Attachment).where(
            Attachment.owner_type == SAMPLE_RECORD, Attachment.kind == PHOTO_KIND,
            Attachment.owner_id.in_(ids[start:start + 500]), Attachment.deleted_at.is_(None))
            .order_by(Attachment.created_at, Attachment.id)).all()
        for row in rows:
            session.expunge(row)
            result[row.owner_id].append(row)
    return result
