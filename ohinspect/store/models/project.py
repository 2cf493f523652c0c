"""Construction projects (建设项目) under the "three simultaneities" (三同时) rule and their four
stages (shared/DOMAIN.md §1; 《建设项目职业病防护设施"三同时"监督管理办法》, Order No. 90, 2017)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin

FK = {"deferrable": True, "initially": "DEFERRED"}  # records may arrive in any order (sync)


class Project(SyncMixin, Base):
    __tablename__ = "project"
    __record_type__ = "project"
    #: the live projects of a jurisdiction by class, covering (dashboards, migration 0008)
    __table_args__ = (Index("ix_project_scope", "division_code", "deleted_at", "risk_class", "id"),)

    #: the construction unit (建设单位), an enterprise of the registry
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(300), default="")
    #: GB/T 2260 division of the site: the jurisdiction that verifies the project
    division_code: Mapped[str] = mapped_column(String(6), index=True)
    investment_yuan: Mapped[int | None] = mapped_column(Integer, nullable=True)
    industry_code: Mapped[str] = mapped_column(String(5), default="")
    #: new | expansion | renovation | technical (classifications.yaml: project_natures)
    nature: Mapped[str] = mapped_column(String(20), default="")
    hazard_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk_class: Mapped[str] = mapped_column(String(20), default="")
    risk_rule_set: Mapped[str] = mapped_column(String(40), default="")
    #: the class differs from what the rule set suggests: why (recorded, audited)
    risk_override_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ProjectStage(SyncMixin, Base):
    """One of 预评价 / 防护设施设计 / 控制效果评价 / 竣工验收 (resources/checklists/stages.yaml)."""

    __tablename__ = "project_stage"
    __record_type__ = "project_stage"
    #: ix_project_stage_dates: a project's stage dates, covering (dashboards, migration 0008)
    __table_args__ = (UniqueConstraint("project_id", "stage"),
                      Index("ix_project_stage_dates", "project_id", "stage", "deleted_at",
                            "completed_on", "started_on"))

    project_id: Mapped[str] = mapped_column(ForeignKey("project.id", **FK), index=True)
    stage: Mapped[str] = mapped_column(String(30))  # pre_assessment|design|control_effect|acceptance
    started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: stage begun before the previous one was completed: why (required then)
    out_of_order_reason: Mapped[str] = mapped_column(Text, default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    institution_qualification: Mapped[str] = mapped_column(String(200), default="")
    #: [{"name": ..., "title": ..., "external": bool}] — severe projects need external experts
    reviewers: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=False)  # 公示
    publication_evidence: Mapped[str] = mapped_column(Text, default="")
    #: trial-run days (control-effect stage) and other stage facts, keyed by fact id
    facts: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
