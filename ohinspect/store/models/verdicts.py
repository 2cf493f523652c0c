"""Stored verdicts of signed sampling tasks: derived data, a cache the dashboards read
(issue 7 target "dashboard over 1,000,000 records opens in ≤ 1 s").

A row of :class:`SamplingVerdict` is one verdict (符合 / 不符合 / 不判定) on one hazard factor at
one post (noise: one post) of a signed task, exactly as
:func:`ohinspect.services.evaluation.evaluate_task` works it out (GBZ 2.1-2019 / GBZ 2.2-2007);
:class:`SamplingVerdictSet` holds, per task, the fingerprint of the inputs the verdicts were
worked out from, so a stale set is found by one query and recomputed
(:mod:`ohinspect.services.verdicts`). Never synced, never audited (no SyncMixin): every device
rebuilds the same rows from the same records.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base


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
