"""On-site workplace sampling (GBZ 159-2004 air, GBZ/T 189.8-2007 noise) and lab results.

A task is planned per enterprise and monitoring type; posts carry the GBZ 159 proposal and what
was accepted; samples, blanks and noise measurements are recorded in the field. Signing by the
sampler and the company escort locks the task, its posts, samples and noise (triggers, migration
0003). Custody transfers (hand-over to the lab) and lab results come after signing as their own
records with provenance and never change a locked sample — a corrected result supersedes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from ohinspect.store.base import Base, SyncMixin, UtcDateTime
from ohinspect.store.models.project import FK


class SamplingTask(SyncMixin, Base):
    __tablename__ = "sampling_task"
    __record_type__ = "sampling_task"
    #: the tasks of a period (dashboards, migration 0008)
    __table_args__ = (Index("ix_sampling_task_planned_on", "planned_on"),)

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", **FK), index=True)
    task_number: Mapped[str] = mapped_column(String(60), default="")
    #: evaluation | routine | supervisory | incident (GBZ 159-2004, resources/standards)
    monitoring_type: Mapped[str] = mapped_column(String(20))
    planned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    detection_standard: Mapped[str] = mapped_column(Text, default="")   # 检测依据
    samplers: Mapped[list[str]] = mapped_column(JSON, default=list)
    escort_name: Mapped[str] = mapped_column(String(60), default="")    # 企业陪同人
    #: {"conditions", "temp_min_c", "temp_max_c", "humidity_pct", "wind", "pressure_kpa"}
    weather: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    production_status: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")    # draft | signed
    sampler_signature_sha256: Mapped[str] = mapped_column(String(64), default="")
    escort_signature_sha256: Mapped[str] = mapped_column(String(64), default="")
    escort_refused: Mapped[bool] = mapped_column(Boolean, default=False)
    escort_witness: Mapped[str] = mapped_column(String(60), default="")
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: a correction of a signed task (issue 7 item 3): the task it corrects and why; the
    #: original stays locked and unchanged (ohinspect/services/sampling_amendments.py)
    amends_id: Mapped[str | None] = mapped_column(ForeignKey("sampling_task.id", **FK),
                                                  nullable=True, index=True)
    amendment_reason: Mapped[str] = mapped_column(Text, default="")


class SamplingPost(SyncMixin, Base):
    """A post (岗位) of a workshop with its workers and hazards, the GBZ 159 proposal and what
    was accepted (with the reason when it differs)."""

    __tablename__ = "sampling_post"
    __record_type__ = "sampling_post"

    task_id: Mapped[str] = mapped_column(ForeignKey("sampling_task.id", **FK), index=True)
    workshop: Mapped[str] = mapped_column(String(100))
    post: Mapped[str] = mapped_column(String(100))
    job_type: Mapped[str] = mapped_column(String(100), default="")
    workers: Mapped[int] = mapped_column(Integer, default=0)
    most_exposed_identifiable: Mapped[bool] = mapped_column(Boolean, default=True)
    same_type_units: Mapped[int] = mapped_column(Integer, default=0)   # same-type equipment
    hazard_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    exposure_hours_per_day: Mapped[float | None] = mapped_column(Float, nullable=True)
    days_per_week: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: {"fixed_points", "personal_samples", "shifts", "periods"} per the rules, and as accepted
    proposed: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    accepted: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    adjust_reason: Mapped[str] = mapped_column(Text, default="")


class Sample(SyncMixin, Base):
    """One air sample (personal, fixed-point or blank), as on the paper sampling sheet."""

    __tablename__ = "sample"
    __record_type__ = "sample"
    #: ix_sample_task: a task's sample ids from the index (dashboards, migration 0008)
    __table_args__ = (UniqueConstraint("sample_number"), Index("ix_sample_task", "task_id", "id"))

    task_id: Mapped[str] = mapped_column(ForeignKey("sampling_task.id", **FK), index=True)
    post_id: Mapped[str | None] = mapped_column(ForeignKey("sampling_post.id", **FK),
                                                nullable=True, index=True)
    sample_number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))        # personal | fixed | blank
    hazard_code: Mapped[str] = mapped_column(String(60))
    fraction: Mapped[str] = mapped_column(String(20), default="")   # dust: total | respirable
    wearer: Mapped[str] = mapped_column(String(60), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    instrument_id: Mapped[str] = mapped_column(String(60), default="")
    calibrator_id: Mapped[str] = mapped_column(String(60), default="")
    flow_before_lpm: Mapped[float | None] = mapped_column(Float, nullable=True)
    flow_after_lpm: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: a drift above the limit that the sampler accepted, and why
    drift_reason: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    representative_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    temperature_c: Mapped[float | None] = mapped_column(Float, nullable=True)
    pressure_kpa: Mapped[float | None] = mapped_column(Float, nullable=True)
    humidity_pct: Mapped[float | None] = mapped_column(Float, nullable=True)
    production_status: Mapped[str] = mapped_column(Text, default="")
    ppe: Mapped[str] = mapped_column(Text, default="")
    volume_l: Mapped[float | None] = mapped_column(Float, nullable=True)
    standard_volume_l: Mapped[float | None] = mapped_column(Float, nullable=True)
    silica_percent: Mapped[float | None] = mapped_column(Float, nullable=True)  # free SiO₂ (lab)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")


class NoiseMeasurement(SyncMixin, Base):
    """Noise at one point or for one worker (GBZ/T 189.8-2007): readings, L_Aeq,Te, exposure
    time, impulse peaks, and the calibrator check before and after."""

    __tablename__ = "noise_measurement"
    __record_type__ = "noise_measurement"

    task_id: Mapped[str] = mapped_column(ForeignKey("sampling_task.id", **FK), index=True)
    post_id: Mapped[str | None] = mapped_column(ForeignKey("sampling_post.id", **FK),
                                                nullable=True, index=True)
    point: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20), default="fixed")  # fixed | dosimeter
    meter_id: Mapped[str] = mapped_column(String(60), default="")
    readings_db: Mapped[list[float]] = mapped_column(JSON, default=list)
    laeq_te_db: Mapped[float | None] = mapped_column(Float, nullable=True)
    exposure_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    days_per_week: Mapped[float | None] = mapped_column(Float, nullable=True)
    impulse_peak_db: Mapped[float | None] = mapped_column(Float, nullable=True)
    pulses_per_minute: Mapped[float | None] = mapped_column(Float, nullable=True)
    calibrator_before_db: Mapped[float | None] = mapped_column(Float, nullable=True)
    calibrator_after_db: Mapped[float | None] = mapped_column(Float, nullable=True)
    measured_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class CustodyTransfer(SyncMixin, Base):
    """Samples handed to the lab (样品交接): who, to whom, when, how many, in what condition."""

    __tablename__ = "custody_transfer"
    __record_type__ = "custody_transfer"

    task_id: Mapped[str] = mapped_column(ForeignKey("sampling_task.id", **FK), index=True)
    sample_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    handed_by: Mapped[str] = mapped_column(String(60))
    received_by: Mapped[str] = mapped_column(String(60))
    lab: Mapped[str] = mapped_column(String(200), default="")
    transferred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(Integer)
    condition: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class LabResult(SyncMixin, Base):
    """A laboratory result for one sample and analyte, with its provenance. Never edited: a
    correction is a new result that ``supersedes`` this one."""

    __tablename__ = "lab_result"
    __record_type__ = "lab_result"
    #: the stored verdicts' fingerprint read from the index (dashboards, migration 0008)
    __table_args__ = (Index("ix_lab_result_fingerprint", "sample_id", "change_seq",
                            "modified_at", "deleted_at"),)

    sample_id: Mapped[str] = mapped_column(ForeignKey("sample.id", **FK), index=True)
    analyte: Mapped[str] = mapped_column(String(60))        # hazard code
    value: Mapped[float | None] = mapped_column(Float, nullable=True)   # None when < LOD
    below_lod: Mapped[bool] = mapped_column(Boolean, default=False)
    lod: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(20))            # mg/m³ | ug | ppm | f/mL …
    method: Mapped[str] = mapped_column(Text, default="")
    lab_sample_id: Mapped[str] = mapped_column(String(60), default="")
    lab: Mapped[str] = mapped_column(String(200), default="")
    analysed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(20), default="manual")   # manual | csv
    source_file: Mapped[str] = mapped_column(String(260), default="")
    source_line: Mapped[int | None] = mapped_column(Integer, nullable=True)
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("lab_result.id", **FK),
                                                      nullable=True)
