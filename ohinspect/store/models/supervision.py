"""Supervision records of issue 5: periodic testing/evaluation reports an enterprise had (the
base of its due dates, seed 004), list decisions (黑名单 / 重点监管, each a recorded decision,
never edited) and notices (责令改正通知书, 卫生监督意见书) issued from findings.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin, UtcDateTime
from ohinspect.store.models.project import FK


class PeriodicReport(SyncMixin, Base):
    """A periodic test (定期检测) or evaluation (现状评价) report of an enterprise."""

    __tablename__ = "periodic_report"
    __record_type__ = "periodic_report"
    #: ix_periodic_report_live: an employer's live reports of a kind (dashboards, migration 0008)
    __table_args__ = (Index("ix_periodic_report_latest", "enterprise_id", "kind", "report_date"),
                      Index("ix_periodic_report_live", "enterprise_id", "kind", "deleted_at",
                            "report_date"))

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK))
    kind: Mapped[str] = mapped_column(String(20))        # test | evaluation
    report_date: Mapped[date] = mapped_column(Date)
    report_no: Mapped[str] = mapped_column(String(80), default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(String(20), default="")  # pass | fail | partial | ""
    note: Mapped[str] = mapped_column(Text, default="")


class ListDecision(SyncMixin, Base):
    """Putting an enterprise on (or taking it off) a list, with the recorded decision."""

    __tablename__ = "list_decision"
    __record_type__ = "list_decision"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    list_kind: Mapped[str] = mapped_column(String(30))   # blacklist | key_supervision
    decision: Mapped[str] = mapped_column(String(10))    # add | remove
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(60))
    decided_on: Mapped[date] = mapped_column(Date)
    document_no: Mapped[str] = mapped_column(String(80), default="")


class Notice(SyncMixin, Base):
    """A notice issued from selected findings; frozen once issued (migration 0004 triggers)."""

    __tablename__ = "notice"
    __record_type__ = "notice"

    kind: Mapped[str] = mapped_column(String(30))        # correction_order | supervision_opinion
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    inspection_id: Mapped[str | None] = mapped_column(
        ForeignKey("inspection.id", **FK), nullable=True, index=True)
    number: Mapped[str] = mapped_column(String(60), default="")
    #: the rectification items the notice orders corrected
    item_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    issued_by: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")   # draft | issued
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
