"""The inspector roster: who may be drawn for a 双随机 check and whose enforcement IDs appear
on documents."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin


class Inspector(SyncMixin, Base):
    __tablename__ = "inspector"
    __record_type__ = "inspector"

    name: Mapped[str] = mapped_column(String(60))
    id_no: Mapped[str] = mapped_column(String(40))  # 执法证号
    jurisdiction: Mapped[str] = mapped_column(String(6), index=True)
    unit: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
