"""Document numbers (《卫生行政执法文书规范》: region + 卫 + category + nature + 〔year〕 + sequence
+ 号). A device issues numbers only from blocks reserved for it, so numbers made offline never
collide; an issued number is never reused (unique), even if its document is abandoned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, UtcDateTime, utcnow


class NumberBlock(Base):
    """A range of sequence numbers this device may issue for one series (local, not synced)."""

    __tablename__ = "number_block"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series: Mapped[str] = mapped_column(String(80), index=True)  # e.g. "合卫职检〔2026〕"
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    next: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(40))  # platform | admin | demo
    reserved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IssuedNumber(Base):
    """Every number issued, with what it was issued for (kept even if the document is dropped)."""

    __tablename__ = "issued_number"
    __table_args__ = (UniqueConstraint("number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(80))
    series: Mapped[str] = mapped_column(String(80))
    sequence: Mapped[int] = mapped_column(Integer)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
