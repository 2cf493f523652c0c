"""Institutions' capability records (seed 002; shared/DOMAIN.md §5): staff and their
certificates, instruments with calibration due dates, and blind-sample (盲样) results.

Institutions (CDC, technical-service institution, health-exam or diagnosis institution,
pneumoconiosis rehabilitation station) are rows of the enterprise registry with an
``org_kind`` other than ``employer``: they share its USCC, division and address rules.
Instruments are first-class records because sampling uses them: sampling with an instrument
past its calibration date warns (GBZ 159-2004 §5: instruments calibrated before use).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin
from ohinspect.store.models.project import FK


class StaffMember(SyncMixin, Base):
    """A person of an institution (名单, 职称, 岗位)."""

    __tablename__ = "staff_member"
    __record_type__ = "staff_member"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    name: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(60), default="")      # 职称
    position: Mapped[str] = mapped_column(String(60), default="")   # 岗位
    id_no: Mapped[str] = mapped_column(String(40), default="")


class Certificate(SyncMixin, Base):
    """A certificate with an expiry date (a certificate without one is refused)."""

    __tablename__ = "certificate"
    __record_type__ = "certificate"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    staff_member_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff_member.id", **FK), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(40))        # resources data: certificate kinds
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    expires_on: Mapped[date] = mapped_column(Date)


class Instrument(SyncMixin, Base):
    """A measuring instrument (采样泵, 流量校准器, 声级计, 声校准器…) and its calibration."""

    __tablename__ = "instrument"
    __record_type__ = "instrument"
    __table_args__ = (UniqueConstraint("enterprise_id", "asset_no"),)

    #: the institution (or CDC) that owns it
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    asset_no: Mapped[str] = mapped_column(String(60))    # the id written on sampling sheets
    kind: Mapped[str] = mapped_column(String(40))        # resources data: instrument kinds
    name: Mapped[str] = mapped_column(String(120), default="")
    model: Mapped[str] = mapped_column(String(60), default="")
    serial_no: Mapped[str] = mapped_column(String(60), default="")
    calibrated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    calibration_due: Mapped[date] = mapped_column(Date)
    certificate_no: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="in_use")  # in_use | retired


class BlindSampleResult(SyncMixin, Base):
    """A proficiency-test (盲样考核) result: reported vs assigned value and its z-score."""

    __tablename__ = "blind_sample_result"
    __record_type__ = "blind_sample_result"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    #: the institution audit it was checked in, if any (frozen with it once signed)
    inspection_id: Mapped[str | None] = mapped_column(
        ForeignKey("inspection.id", **FK), nullable=True, index=True)
    scheme: Mapped[str] = mapped_column(String(120), default="")   # the PT round
    analyte: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(20), default="")
    reported_value: Mapped[float] = mapped_column(Float)
    assigned_value: Mapped[float] = mapped_column(Float)
    #: σ_pt, the standard deviation for proficiency assessment of the round
    sigma: Mapped[float] = mapped_column(Float)
    z_score: Mapped[float] = mapped_column(Float)
    verdict: Mapped[str] = mapped_column(String(20))   # satisfactory | questionable | unsatisfactory
    tested_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
