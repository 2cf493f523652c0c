"""The enterprise registry (用人单位): the base list inspection targets are drawn from (seed 004)."""

from __future__ import annotations

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin


class Enterprise(SyncMixin, Base):
    __tablename__ = "enterprise"
    __record_type__ = "enterprise"

    name: Mapped[str] = mapped_column(String(200))
    #: Unified Social Credit Code, GB 32100-2015 (normalised: upper-case, half-width)
    uscc: Mapped[str] = mapped_column(String(18))
    #: why a code with a bad check character was accepted (GB 32100 warning overridden)
    uscc_override_reason: Mapped[str] = mapped_column(Text, default="")
    #: employer (用人单位) or an institution kind (resources/standards/classifications.yaml
    #: org_kinds): CDC, technical-service, health-exam, diagnosis, pneumoconiosis rehabilitation
    org_kind: Mapped[str] = mapped_column(String(30), default="employer")
    #: GB/T 2260 administrative division of the workplace
    division_code: Mapped[str] = mapped_column(String(6))
    address: Mapped[str] = mapped_column(String(300), default="")
    legal_representative: Mapped[str] = mapped_column(String(60), default="")
    contact_person: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    #: GB/T 4754-2017 code at any level (section letter, 2-, 3- or 4-digit)
    industry_code: Mapped[str] = mapped_column(String(5), default="")
    scale: Mapped[str] = mapped_column(String(10), default="")  # classifications.yaml: scales
    workforce: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exposed_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: declared hazard factors: codes from the 2015 hazard catalogue
    hazard_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: risk class code and the rule set that assigned it (classifications.yaml: risk_rule_sets)
    risk_class: Mapped[str] = mapped_column(String(20), default="")
    risk_rule_set: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        # covering index for the registry list: every filter and the name order are answered
        # from the index alone (100,000 rows searched in tens of ms; benchmarks/bench_startup.py)
        Index("ix_enterprise_list", "deleted_at", "name", "id", "uscc", "division_code",
              "industry_code", "risk_class", "address", "legal_representative"),
        Index("ix_enterprise_uscc", "uscc"),
        Index("ix_enterprise_division", "division_code"),
        # the dashboards (migration 0008): an enterprise's division by id, the jurisdiction's
        # live employers by class
        Index("ix_enterprise_scope", "id", "division_code"),
        Index("ix_enterprise_employers", "org_kind", "deleted_at", "division_code",
              "risk_class", "id"),
    )
