"""Rectification items (整改项): a finding with its legal basis, requirement, deadline and owner.

Issue 3 opens them from 三同时 findings; issue 5 adds the full state machine (corrected,
re-inspected, closed 销号, overdue, escalated) and the other sources.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin
from ohinspect.store.models.project import FK


class RectificationItem(SyncMixin, Base):
    __tablename__ = "rectification_item"
    __record_type__ = "rectification_item"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    source_type: Mapped[str] = mapped_column(String(40))   # inspection | sampling | audit
    source_id: Mapped[str] = mapped_column(String(36), index=True)
    item_id: Mapped[str] = mapped_column(String(60), default="")  # the checklist item
    finding: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    requirement: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(30), default="open", index=True)
