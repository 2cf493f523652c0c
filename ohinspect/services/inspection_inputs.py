"""The vocabulary of checklist-driven inspection records (三同时 verifications, workplace and
institution audits): kinds, record and attachment types, document types, signer roles,
statuses, the signature-ink thresholds, and the inputs of :mod:`ohinspect.services.inspections`
(header, finding, signature)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ohinspect.store.base import new_id
from ohinspect.store.models import (Attachment, Inspection, InspectionAnswer, RectificationItem,
                                    Signature)

KIND = "three_simultaneities"
#: audits (issue 5): the same records, without a project or stage, graded with an overall result
WORKPLACE_AUDIT, INSTITUTION_AUDIT = "workplace_audit", "institution_audit"
AUDIT_KINDS = (WORKPLACE_AUDIT, INSTITUTION_AUDIT)
KINDS = (KIND, *AUDIT_KINDS)
RECORD = Inspection.__record_type__
ANSWER_RECORD = InspectionAnswer.__record_type__
SIGNATURE_RECORD = Signature.__record_type__
RECTIFICATION_RECORD = RectificationItem.__record_type__
ATTACHMENT_RECORD = Attachment.__record_type__

#: attachment owner types and kinds used here
PHOTO_OWNER, PHOTO_KIND = ANSWER_RECORD, "photo"
SIGNATURE_OWNER, SIGNATURE_KIND = SIGNATURE_RECORD, "signature"
SIGNATURE_MEDIA_TYPE = "image/png"
RECTIFICATION_SOURCE = "inspection"
AUDIT_RECTIFICATION_SOURCE = "audit"

#: document types of resources/documents/numbering.yaml
RECORD_DOC_TYPE = "inspection_record"        # 现场检查笔录
OPINION_DOC_TYPE = "supervision_opinion"     # 卫生监督意见书

ROLE_INSPECTOR, ROLE_PARTY, ROLE_RECORDER, ROLE_WITNESS = "inspector", "party", "recorder", "witness"
ROLES = (ROLE_INSPECTOR, ROLE_PARTY, ROLE_RECORDER, ROLE_WITNESS)

STATUS_DRAFT, STATUS_SIGNED = "draft", "signed"

#: a signature image has "ink" when enough pixels differ clearly from its background
#: (image-processing thresholds, not regulatory values)
INK_CONTRAST = 48
INK_MIN_PIXELS = 12

#: an id for a new record from a key naming it ("answer:ts.acc.01", "signature:0"…);
#: the services use random ids, the demo deterministic ones
IdMaker = Callable[[str], str]


def _random_id(_key: str) -> str:
    return new_id()


def rectification_source(kind: str) -> str:
    """``RectificationItem.source_type`` of the findings of an inspection of ``kind``."""
    return AUDIT_RECTIFICATION_SOURCE if kind in AUDIT_KINDS else RECTIFICATION_SOURCE


def opinion_at_signing(kind: str) -> bool:
    """Whether signing with findings issues a 卫生监督意见书 number at once (三同时); an audit's
    findings lead to a notice issued afterwards from the chosen findings (ohinspect.services
    .notices), so its signing takes only the record number."""
    return kind not in AUDIT_KINDS


@dataclass
class InspectionHeader:
    place: str = ""
    authority: str = ""
    #: [{"name": ..., "id_no": ...}] with their enforcement-ID numbers (执法证号)
    inspectors: list[dict[str, str]] = field(default_factory=list)
    recorder: str = ""
    party_representative: str = ""
    party_title: str = ""
    summary: str = ""

    @classmethod
    def from_record(cls, insp: Inspection) -> InspectionHeader:
        return cls(place=insp.place, authority=insp.authority,
                   inspectors=[dict(i) for i in insp.inspectors or []], recorder=insp.recorder,
                   party_representative=insp.party_representative, party_title=insp.party_title,
                   summary=insp.summary)


@dataclass
class FindingInput:
    item_id: str
    requirement: str
    deadline: date
    legal_basis: str = ""


@dataclass
class SignatureInput:
    role: str
    signer_name: str
    signer_id_no: str = ""
    image_png: bytes | None = None
    refused: bool = False
    witness_name: str = ""
