"""All ORM models. Importing this package registers every table on ``Base.metadata``."""

from ohinspect.store.base import Base, SyncMixin
from ohinspect.store.models.enterprise import Enterprise
from ohinspect.store.models.system import AuditEntry, FormDraft, OutboxEntry, StoreMeta

#: record-type name → model, for every syncable record
RECORD_TYPES: dict[str, type[SyncMixin]] = {
    m.__record_type__: m for m in (Enterprise,)
}

__all__ = [
    "AuditEntry", "Base", "Enterprise", "FormDraft", "OutboxEntry", "RECORD_TYPES",
    "StoreMeta", "SyncMixin",
]
