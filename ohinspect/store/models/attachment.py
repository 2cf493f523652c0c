"""Photos, scans and signature images: files named by their SHA-256 beside the store
(attachments/ab/abcdef…), written to a temp file, fsynced and renamed before this row exists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin, UtcDateTime


class Attachment(SyncMixin, Base):
    __tablename__ = "attachment"
    __record_type__ = "attachment"

    #: what it belongs to: a record type and id (project_stage, inspection_answer, signature…)
    owner_type: Mapped[str] = mapped_column(String(40), index=True)
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # photo | scan | signature | document
    media_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(260), default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    #: the original was larger than the limit: its hash if kept, else ""
    original_sha256: Mapped[str] = mapped_column(String(64), default="")
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
