"""All ORM models. Importing this package registers every table on ``Base.metadata``."""

from ohinspect.store.base import Base, SyncMixin
from ohinspect.store.models.attachment import Attachment
from ohinspect.store.models.batch_keys import BatchVersion
from ohinspect.store.models.enterprise import Enterprise
from ohinspect.store.models.inspection import Inspection, InspectionAnswer, Signature
from ohinspect.store.models.institution import (BlindSampleResult, Certificate, Instrument,
                                                StaffMember)
from ohinspect.store.models.numbering import IssuedNumber, NumberBlock
from ohinspect.store.models.project import Project, ProjectStage
from ohinspect.store.models.rectification import RectificationEvent, RectificationItem
from ohinspect.store.models.review import ReviewDecision
from ohinspect.store.models.sampling import (CustodyTransfer, LabResult, NoiseMeasurement, Sample,
                                              SamplingPost, SamplingTask)
from ohinspect.store.models.staff import Inspector
from ohinspect.store.models.sync_state import SyncBatch, SyncConflict, SyncPending, SyncRecord
from ohinspect.store.models.supervision import ListDecision, Notice, PeriodicReport
from ohinspect.store.models.system import AuditEntry, FormDraft, OutboxEntry, StoreMeta
from ohinspect.store.models.verdicts import SamplingVerdict, SamplingVerdictSet

#: record-type name → model, for every syncable record
RECORD_TYPES: dict[str, type[SyncMixin]] = {
    m.__record_type__: m for m in (Enterprise, Project, ProjectStage, Attachment, Inspection,
                                   InspectionAnswer, Signature, RectificationItem, Inspector,
                                   SamplingTask, SamplingPost, Sample, NoiseMeasurement,
                                   CustodyTransfer, LabResult, RectificationEvent, StaffMember,
                                   Certificate, Instrument, BlindSampleResult, PeriodicReport,
                                   ListDecision, Notice, ReviewDecision)
}

__all__ = [
    "Attachment", "AuditEntry", "Base", "BatchVersion", "BlindSampleResult", "Certificate",
    "CustodyTransfer", "Enterprise", "FormDraft", "Inspection",
    "InspectionAnswer", "Inspector", "Instrument", "IssuedNumber", "LabResult", "ListDecision",
    "NoiseMeasurement", "Notice", "NumberBlock", "OutboxEntry", "PeriodicReport", "Project",
    "ProjectStage", "RECORD_TYPES", "RectificationEvent", "RectificationItem", "ReviewDecision",
    "Sample",
    "SamplingPost", "SamplingTask", "SamplingVerdict", "SamplingVerdictSet", "Signature",
    "StaffMember", "StoreMeta", "SyncBatch",
    "SyncConflict", "SyncMixin", "SyncPending", "SyncRecord",
]
