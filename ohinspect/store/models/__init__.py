"""All ORM models. Importing this package registers every table on ``Base.metadata``."""

from ohinspect.store.base import Base, SyncMixin
from ohinspect.store.models.attachment import Attachment
from ohinspect.store.models.enterprise import Enterprise
from ohinspect.store.models.inspection import Inspection, InspectionAnswer, Signature
from ohinspect.store.models.numbering import IssuedNumber, NumberBlock
from ohinspect.store.models.project import Project, ProjectStage
from ohinspect.store.models.rectification import RectificationItem
from ohinspect.store.models.sampling import (CustodyTransfer, LabResult, NoiseMeasurement, Sample,
                                              SamplingPost, SamplingTask)
from ohinspect.store.models.staff import Inspector
from ohinspect.store.models.system import AuditEntry, FormDraft, OutboxEntry, StoreMeta

#: record-type name → model, for every syncable record
RECORD_TYPES: dict[str, type[SyncMixin]] = {
    m.__record_type__: m for m in (Enterprise, Project, ProjectStage, Attachment, Inspection,
                                   InspectionAnswer, Signature, RectificationItem, Inspector,
                                   SamplingTask, SamplingPost, Sample, NoiseMeasurement,
                                   CustodyTransfer, LabResult)
}

__all__ = [
    "Attachment", "AuditEntry", "Base", "CustodyTransfer", "Enterprise", "FormDraft", "Inspection",
    "InspectionAnswer", "Inspector", "IssuedNumber", "LabResult", "NoiseMeasurement",
    "NumberBlock", "OutboxEntry", "Project", "ProjectStage", "RECORD_TYPES", "RectificationItem",
    "Sample", "SamplingPost", "SamplingTask", "Signature", "StoreMeta", "SyncMixin",
]
