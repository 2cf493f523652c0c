"""Checklist-driven inspections: a 三同时 verification now; workplace and institution audits
(issue 5) use the same tables — one checklist engine, not two.

An inspection is *locked* once signed: triggers (migration 0002) refuse any UPDATE or DELETE of
a locked inspection, of its answers and of its signatures; a correction is a new inspection
that ``amends`` the locked one and is itself signed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin, UtcDateTime
from ohinspect.store.models.project import FK


class Inspection(SyncMixin, Base):
    __tablename__ = "inspection"
    __record_type__ = "inspection"
    #: the inspections of a period and their inspectors, covering; a project's signed
    #: verifications (dashboards, migration 0008)
    __table_args__ = (Index("ix_inspection_period", "started_at", "deleted_at", "enterprise_id",
                            "locked_at", "id", "inspectors"),
                      Index("ix_inspection_verification", "project_id", "kind", "stage",
                            "locked_at", "deleted_at"))

    kind: Mapped[str] = mapped_column(String(30), index=True)  # three_simultaneities | …
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    project_id: Mapped[str | None] = mapped_column(ForeignKey("project.id", **FK), nullable=True,
                                                   index=True)
    stage: Mapped[str] = mapped_column(String(30), default="")
    #: the checklist as it was when the inspection started (id, version and every item):
    #: a new template version never changes an old record
    template_id: Mapped[str] = mapped_column(String(60))
    template_version: Mapped[int] = mapped_column()
    template_snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    authority: Mapped[str] = mapped_column(String(200), default="")  # 执法机关
    #: [{"name": ..., "id_no": ...}] inspectors with their enforcement-ID numbers
    inspectors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    recorder: Mapped[str] = mapped_column(String(60), default="")
    party_name: Mapped[str] = mapped_column(String(200), default="")   # 被检查单位
    party_representative: Mapped[str] = mapped_column(String(60), default="")
    party_title: Mapped[str] = mapped_column(String(60), default="")
    current_item: Mapped[str] = mapped_column(String(60), default="")  # resume point
    summary: Mapped[str] = mapped_column(Text, default="")
    #: draft → signed (locked); status of the flow, not of the findings
    status: Mapped[str] = mapped_column(String(20), default="draft")
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the graded roll-up of an audit (resources/checklists/grading.yaml), set when signed
    overall_result: Mapped[str] = mapped_column(String(30), default="")
    record_number: Mapped[str] = mapped_column(String(60), default="")    # 现场检查笔录 号
    opinion_number: Mapped[str] = mapped_column(String(60), default="")   # 卫生监督意见书 号
    opinion_deadline_days: Mapped[int | None] = mapped_column(nullable=True)
    #: a correction of a locked inspection: its id and why
    amends_id: Mapped[str | None] = mapped_column(ForeignKey("inspection.id", **FK),
                                                  nullable=True, index=True)
    amendment_reason: Mapped[str] = mapped_column(Text, default="")


class InspectionAnswer(SyncMixin, Base):
    """The answer to one checklist item, saved the moment it is given."""

    __tablename__ = "inspection_answer"
    __record_type__ = "inspection_answer"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)

    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id", **FK), index=True)
    item_id: Mapped[str] = mapped_column(String(60))
    #: a code of the item's answer type: conform | not_conform | not_applicable (or grades)
    answer: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Signature(SyncMixin, Base):
    """A signature drawn on screen (an attachment image), or a recorded refusal with a witness."""

    __tablename__ = "signature"
    __record_type__ = "signature"

    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id", **FK), index=True)
    role: Mapped[str] = mapped_column(String(20))  # inspector | party | recorder | witness
    signer_name: Mapped[str] = mapped_column(String(60))
    signer_id_no: Mapped[str] = mapped_column(String(40), default="")
    image_sha256: Mapped[str] = mapped_column(String(64), default="")
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    witness_name: Mapped[str] = mapped_column(String(60), default="")
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)
