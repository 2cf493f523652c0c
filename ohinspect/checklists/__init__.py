"""The checklist engine: versioned templates under ``resources/checklists/``, the stages of
三同时, answer types and snapshots that freeze a template inside an inspection.

One engine for every checklist-driven inspection (三同时 verification now; workplace and
institution audits later). Templates are data; nothing here knows a particular item.
"""

from ohinspect.checklists.loader import (
    TemplateLibrary,
    load_answer_types,
    load_conditions,
    load_library,
    load_template_file,
)
from ohinspect.checklists.model import (
    PHOTO_RULES,
    AnswerOption,
    AnswerType,
    ChecklistItem,
    ChecklistTemplate,
    PhotoRule,
)
from ohinspect.checklists.source import SourceError
from ohinspect.checklists.stages import Stage, load_stages, stage

#: the inspection kind of a 三同时 verification (Inspection.kind)
THREE_SIMULTANEITIES = "three_simultaneities"

__all__ = [
    "PHOTO_RULES",
    "THREE_SIMULTANEITIES",
    "AnswerOption",
    "AnswerType",
    "ChecklistItem",
    "ChecklistTemplate",
    "PhotoRule",
    "SourceError",
    "Stage",
    "TemplateLibrary",
    "load_answer_types",
    "load_conditions",
    "load_library",
    "load_stages",
    "load_template_file",
    "stage",
]
