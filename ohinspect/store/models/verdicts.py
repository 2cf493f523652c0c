"""Derived data the dashboards read (issue 7 target "dashboard over 1,000,000 records opens in
≤ 1 s"): stored verdicts of signed sampling tasks, and the tallies of periodic reports,
inspections and rectification items that SQLite triggers keep (migration 0010,
:mod:`ohinspect.services.tallies`).

A row of :class:`SamplingVerdict` is one verdict (符合 / 不符合 / 不判定) on one hazard factor at
one post (noise: one post) of a signed task, exactly as
:func:`ohinspect.services.evaluation.evaluate_task` works it out (GBZ 2.1-2019 / GBZ 2.2-2007);
:class:`SamplingVerdictSet` holds, per task, the fingerprint of the inputs the verdicts were
worked out from, so a stale set is found by one query and recomputed
(:mod:`ohinspect.services.verdicts`). Never synced, never audited (no SyncMixin): every device
rebuilds the same rows from the same records.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, UtcDateTime


class SamplingVerdictSet(Base):
    """The verdicts of one task are stored, worked out from inputs with this fingerprint."""

    __tablename__ = "sampling_verdict_set"

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200))


class SamplingVerdict(Base):
    """One verdict of a task, in the order evaluate_task lists them (``seq``)."""

    __tablename__ = "sampling_verdict"

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    hazard_code: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(20))   # conform | not_conform | not_judged


class PeriodicLatest(Base):
    """The date of an enterprise's last live periodic report of a kind, with the enterprise's
    division, risk class, kind of organisation and whether it is live (copied by the triggers,
    so the overdue indicator scans one index instead of looking up every employer's reports).
    No row: the enterprise has no live report of that kind."""

    __tablename__ = "periodic_latest"
    #: one range per class and kind owed, in division order (ohinspect/dashboards/periodic.py)
    __table_args__ = (Index("ix_periodic_latest_scope", "org_kind", "live", "risk_class", "kind",
                            "division_code", "last_date", "enterprise_id"),)

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_date: Mapped[date] = mapped_column(Date)
    #: None while the enterprise has not arrived (sync delivers records in any order)
    division_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    risk_class: Mapped[str | None] = mapped_column(String(20), nullable=True)
    org_kind: Mapped[str | None] = mapped_column(String(30), nullable=True)
    live: Mapped[bool] = mapped_column(Boolean)


class InspectionTally(Base):
    """An inspection the inspections-per-inspector indicator counts: a live one that is not an
    amendment (an amendment corrects an inspection, it is not another one), with its start,
    its enterprise's division and whether it is signed."""

    __tablename__ = "inspection_tally"
    __table_args__ = (Index("ix_inspection_tally_period", "started_at", "division_code",
                            "signed"),)

    inspection_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), index=True)
    division_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signed: Mapped[bool] = mapped_column(Boolean)


class InspectionTallyPerson(Base):
    """An inspector named on a counted inspection (once, however often named), known by the
    enforcement-ID number, else the name (``person_key``), with the inspection's tally."""

    __tablename__ = "inspection_tally_person"
    #: per inspector, the period's inspections are one range (ohinspect/dashboards/inspectors.py)
    __table_args__ = (Index("ix_inspection_tally_person_key", "person_key", "started_at",
                            "division_code", "signed", "name"),)

    inspection_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), index=True)
    division_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signed: Mapped[bool] = mapped_column(Boolean)


class RectificationTally(Base):
    """A live rectification item with its enterprise's division (copied by the triggers, so the
    rectification rates read one index in division order instead of looking up each item's
    enterprise)."""

    __tablename__ = "rectification_tally"
    #: one range per jurisdiction, grouped by division without sorting
    __table_args__ = (Index("ix_rectification_tally_scope", "division_code", "deadline",
                            "status", "closed_at"),)

    item_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), index=True)
    division_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
