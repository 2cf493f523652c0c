"""The photos a reviewer sees beside a record (issue 7 item 3 "open a record read-only with its
photos"): an inspection's item photos, a sampling task's sample photos, a closure's evidence."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.services.inspection_inputs import PHOTO_OWNER
from ohinspect.services.sampling_photos import sample_photos
from ohinspect.store.models import (Attachment, InspectionAnswer, RectificationEvent, Sample,
                                    SamplingTask)


@dataclass(frozen=True)
class Photo:
    sha256: str
    caption: str
    media_type: str


def _photo(a: Attachment) -> Photo:
    return Photo(a.sha256, a.caption or a.original_name, a.media_type)


def record_photos(session: Session, record_type: str, record_id: str) -> list[Photo]:
    """The live image attachments of a reviewed record, in the order they were taken."""
    if record_type == RectificationEvent.__record_type__:
        event = session.get(RectificationEvent, record_id)
        shas = list(event.evidence) if event is not None else []
        rows = session.scalars(select(Attachment).where(
            Attachment.sha256.in_(shas), Attachment.deleted_at.is_(None))).all()
        first = {a.sha256: a for a in rows}   # one photo per file, even if attached twice
        return [_photo(first[s]) for s in shas if s in first
                and first[s].media_type.startswith("image/")]
    if record_type == SamplingTask.__record_type__:
        ids = list(session.scalars(select(Sample.id).where(Sample.task_id == record_id,
                                                           Sample.deleted_at.is_(None))))
        return [_photo(a) for group in sample_photos(session, ids).values() for a in group]
    answers = select(InspectionAnswer.id).where(InspectionAnswer.inspection_id == record_id)
    return [_photo(a) for a in session.scalars(select(Attachment).where(
        Attachment.owner_type == PHOTO_OWNER, Attachment.owner_id.in_(answers),
        Attachment.deleted_at.is_(None)).order_by(Attachment.taken_at, Attachment.created_at))]
