"""Rectification items (整改项) and their history, from every source (seed 002: 问题清单,
整改到位率 100 %, 销号; shared/DOMAIN.md §5).

An item is opened by a 三同时 finding, an audit finding or a sampling exceedance. Its status
moves by the state machine in ``resources/rules/rectification.yaml`` (open → corrected,
awaiting review → closed 销号; overdue and escalated; a sampling exceedance needs a re-test to
close). Every move is a :class:`RectificationEvent`: an append-only record (triggers of
migration 0004 refuse changing or deleting one) saying who, when, why and with what evidence.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin, UtcDateTime
from ohinspect.store.models.project import FK


class RectificationItem(SyncMixin, Base):
    __tablename__ = "rectification_item"
    __record_type__ = "rectification_item"
    #: ix_rectification_item_period covers the dashboard's rates (migration 0008)
    __table_args__ = (Index("ix_rectification_item_due", "status", "deadline", "id"),
                      Index("ix_rectification_item_period", "deadline", "status",
                            "enterprise_id", "closed_at", "deleted_at"))

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    source_type: Mapped[str] = mapped_column(String(40))   # inspection | audit | sampling
    source_id: Mapped[str] = mapped_column(String(36), index=True)
    #: a readable reference to the source document (record number, task number…)
    source_ref: Mapped[str] = mapped_column(String(80), default="")
    item_id: Mapped[str] = mapped_column(String(60), default="")  # the checklist item
    #: the hazard factor of a sampling exceedance (hazard catalogue code), else ""
    hazard_code: Mapped[str] = mapped_column(String(20), default="")
    finding: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    requirement: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(30), default="open")
    #: closing needs a passing re-test (sampling exceedances), not only evidence
    requires_retest: Mapped[bool] = mapped_column(Boolean, default=False)
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_by: Mapped[str] = mapped_column(String(60), default="")
    #: 回头看: when this closed item is to be looked at again (None = not on the list)
    look_back_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class RectificationEvent(SyncMixin, Base):
    """One transition of a rectification item; never changed or deleted."""

    __tablename__ = "rectification_event"
    __record_type__ = "rectification_event"

    item_id: Mapped[str] = mapped_column(ForeignKey("rectification_item.id", **FK), index=True)
    action: Mapped[str] = mapped_column(String(30))       # a transition of the state machine
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    by_name: Mapped[str] = mapped_column(String(60))      # who did it (the authorised person)
    note: Mapped[str] = mapped_column(Text, default="")
    #: SHA-256 of the evidence attachments (photos, scanned documents)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the re-test that closes a sampling exceedance (a sampling task or inspection id)
    retest_ref: Mapped[str] = mapped_column(String(36), default="")
