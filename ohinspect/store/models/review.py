"""Supervisor review decisions (issue 7 item 3): a supervisor approves, returns with comments
(has issues) or rejects a record that arrived from a field device. The decision is itself a
synced record that travels back to the author's device.

"Review decisions are audited (who, when, why) and cannot be altered after they synced":
migration 0007's triggers refuse deleting a decision, and changing it once the platform
acknowledged it (a ``sync_record`` row) or it arrived from elsewhere (``sync_record`` or
``batch_version`` row).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin, UtcDateTime

APPROVE, RETURN, REJECT = "approve", "return", "reject"
DECISIONS = (APPROVE, RETURN, REJECT)


class ReviewDecision(SyncMixin, Base):
    """One reviewer's decision on one version (payload hash) of one record."""

    __tablename__ = "review_decision"
    __record_type__ = "review_decision"
    __table_args__ = (Index("ix_review_decision_record", "record_type", "record_id"),)

    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    #: SHA-256 of the canonical payload the reviewer saw (the record's version, as in sync)
    record_hash: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(10))        # approve | return | reject
    comments: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: GB/T 2260 division of the reviewed record (its sync scope)
    jurisdiction: Mapped[str] = mapped_column(String(12), default="")
    #: the author of the reviewed record (whose device shows a returned item for correction)
    record_author: Mapped[str] = mapped_column(String(64), default="")
