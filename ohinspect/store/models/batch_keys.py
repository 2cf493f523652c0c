"""Local-only state of batch imports (issue 7, docs/batch-format.md "Order").

For every record a batch brought, the device that exported it and that device's change number
for the version: a version older than the one already imported from the same device is
superseded and changes nothing, so batches imported out of order converge to the same store as
in order. Never synced (no SyncMixin).
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base


class BatchVersion(Base):
    __tablename__ = "batch_version"

    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    #: the exporting device's local change number of this version
    seq: Mapped[int] = mapped_column(Integer)
