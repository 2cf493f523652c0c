"""What a document needs, read from the store into plain, detached dataclasses.

The renderers never touch the ORM: :func:`load_inspection_document` reads the inspection, its
enterprise, project, answers, findings (rectification items), signatures and photos once, in one
read session, and returns an :class:`InspectionDocument`. Checklist wording comes from the
template snapshot stored in the inspection (a new template version never changes an old record).
Times are shown in the computer's local time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError, OHInspectError
from ohinspect.i18n import current_language, tr
from ohinspect.resources import load_resource
from ohinspect.services.inspection_inputs import rectification_source
from ohinspect.store.database import Store
from ohinspect.store.models import (
    Attachment,
    Enterprise,
    Inspection,
    InspectionAnswer,
    Project,
    RectificationItem,
    Signature,
)


class ReportError(OHInspectError):
    """A document cannot be made for this record (not signed, no findings…)."""


@dataclass(frozen=True)
class Person:
    name: str
    id_no: str = ""


@dataclass(frozen=True)
class FactLine:
    """One checklist item as found on site: the objective fact, nothing else."""

    number: int
    item_id: str
    text: str
    answer: str          # the answer's label (符合 / 不符合 / 不适用 …)
    answer_code: str
    note: str
    finding: bool        # the answer is one that makes a finding
    photo_numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class FactSection:
    title: str
    lines: tuple[FactLine, ...]


@dataclass(frozen=True)
class FindingLine:
    number: int
    item_id: str
    finding: str
    legal_basis: str
    requirement: str
    deadline: date


@dataclass(frozen=True)
class SignatureLine:
    role: str            # inspector | party | recorder | witness
    name: str
    id_no: str
    image: Path | None   # the drawn signature (PNG) if there is one
    image_missing: bool  # an image was recorded but its file is not there
    refused: bool
    witness: str
    signed_at: datetime | None


@dataclass(frozen=True)
class PhotoLine:
    number: int
    path: Path | None    # None: the file is missing (shown as such, never silently dropped)
    caption: str
    item_text: str
    item_number: int | None  # the fact line it documents (None: a photo of the whole inspection)
    taken_at: datetime | None
    sha256: str


@dataclass(frozen=True)
class InspectionDocument:
    inspection_id: str
    kind: str
    status: str
    locked: bool
    record_number: str
    opinion_number: str
    # the party (被检查单位 / 当事人)
    party: str
    legal_representative: str
    party_representative: str
    party_title: str
    address: str
    phone: str
    uscc: str
    # what was inspected
    project_name: str
    project_location: str
    stage: str
    stage_name: str
    template_title: str
    template_ref: str
    # who, when, where
    authority: str
    started_at: datetime | None
    ended_at: datetime | None
    place: str
    inspectors: tuple[Person, ...]
    recorder: str
    summary: str
    sections: tuple[FactSection, ...]
    findings: tuple[FindingLine, ...]
    signatures: tuple[SignatureLine, ...]
    photos: tuple[PhotoLine, ...]
    amends_number: str = ""
    amendment_reason: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def signatures_of(self, role: str) -> list[SignatureLine]:
        return [s for s in self.signatures if s.role == role]

    @property
    def party_signature(self) -> SignatureLine | None:
        found = self.signatures_of("party")
        return found[0] if found else None

    @property
    def signed_on(self) -> date | None:
        when = self.ended_at or self.started_at
        return when.date() if when else None

    @property
    def fact_count(self) -> int:
        return sum(len(s.lines) for s in self.sections)


# --- checklist wording from the snapshot ------------------------------------------------------

@dataclass(frozen=True)
class _Item:
    id: str
    section: str
    text: str
    answer_type: str


@dataclass
class _Template:
    title: str
    ref: str
    items: list[_Item]
    #: (answer_type, code) → (label, is_finding)
    options: dict[tuple[str, str], tuple[str, bool]]


def _zh() -> bool:
    return current_language().startswith("zh")


def _pick(data: Mapping[str, Any], base: str) -> str:
    zh, en = str(data.get(f"{base}_zh") or ""), str(data.get(f"{base}_en") or "")
    if _zh():
        return zh or en or str(data.get(base) or "")
    return en or zh or str(data.get(base) or "")


def _template_from_engine(snapshot: Mapping[str, Any]) -> _Template | None:
    """Read the snapshot with the checklist engine when it is there (the canonical reader)."""
    try:
        from ohinspect.checklists.model import ChecklistTemplate
    except ImportError:
        return None
    try:
        t = ChecklistTemplate.from_snapshot(snapshot)
        zh = _zh()
        items = [_Item(i.id, (i.section_zh if zh else i.section_en) or i.section_zh,
                       (i.text_zh if zh else i.text_en) or i.text_zh, i.answer_type)
                 for i in t.items]
        options = {(type_id, o.code): ((o.label_zh if zh else o.label_en) or o.label_zh, o.finding)
                   for type_id, at in t.answer_types.items() for o in at.options}
        title = (t.title_zh if zh else t.title_en) or t.title_zh
        return _Template(title, f"{t.id} v{t.version}", items, options)
    except Exception:  # noqa: BLE001 — an older/foreign snapshot: read it as plain data below
        return None


def _template_from_dict(snapshot: Mapping[str, Any]) -> _Template:
    items = []
    for raw in snapshot.get("items") or ():
        if isinstance(raw, Mapping) and raw.get("id"):
            items.append(_Item(str(raw["id"]), _pick(raw, "section"), _pick(raw, "text"),
                               str(raw.get("answer_type") or "")))
    options: dict[tuple[str, str], tuple[str, bool]] = {}
    types = snapshot.get("answer_types") or {}
    entries: Iterable[tuple[str, Any]]
    if isinstance(types, Mapping):
        entries = types.items()
    else:
        entries = ((str(t.get("id", "")), t) for t in types if isinstance(t, Mapping))
    for type_id, at in entries:
        opts = at.get("options", ()) if isinstance(at, Mapping) else at
        for o in opts or ():
            if isinstance(o, Mapping) and o.get("code"):
                key = (str(type_id), str(o["code"]))
                options[key] = (_pick(o, "label"), bool(o.get("finding")))
    ref = f"{snapshot.get('id', '')} v{snapshot.get('version', '')}".strip()
    return _Template(_pick(snapshot, "title"), ref, items, options)


def _template(snapshot: Mapping[str, Any] | None) -> _Template:
    snapshot = snapshot or {}
    return _template_from_engine(snapshot) or _template_from_dict(snapshot)


def _answer_label(t: _Template, answer_type: str, code: str) -> tuple[str, bool]:
    if (answer_type, code) in t.options:
        label, finding = t.options[(answer_type, code)]
        return label or code, finding
    for (_, c), (label, finding) in t.options.items():
        if c == code:
            return label or code, finding
    key = f"report.answer.{code}"
    label = tr(key)
    return (code if label == key else label), code == "not_conform"


def _stage_name(code: str) -> str:
    if not code:
        return ""
    try:
        from ohinspect.checklists.stages import stage

        s = stage(code)
        return s.name_zh if _zh() else (s.name_en or s.name_zh)
    except Exception:  # noqa: BLE001 — the engine is not there or does not know the code
        key = f"report.stage.{code}"
        label = tr(key)
        return code if label == key else label


# --- the store --------------------------------------------------------------------------------

def attachment_file(store: Store, sha256: str) -> Path:
    """Where the attachment file named ``sha256`` lives (attachments/ab/abcdef…)."""
    return store.attachments_dir / sha256[:2] / sha256


def find_inspection_id(session: Session, key: str) -> str:
    """An inspection id from its id or its record/opinion number (what the user may type)."""
    key = key.strip()
    row = session.get(Inspection, key)
    if row is not None:
        return row.id
    found = session.scalars(select(Inspection.id).where(
        or_(Inspection.record_number == key, Inspection.opinion_number == key))).all()
    if len(found) == 1:
        return found[0]
    raise NotFoundError(tr("report.error.not_found", key=key))


def _local(dt: datetime | None) -> datetime | None:
    """Documents show 北京时间 (resources/documents/presentation.yaml), not the laptop's zone."""
    if dt is None:
        return None
    hours = load_resource("documents/presentation.yaml")["utc_offset_hours"]
    return dt.astimezone(timezone(timedelta(hours=hours)))


def _photo_attachments(session: Session, inspection_id: str,
                       answers: Mapping[str, InspectionAnswer]) -> list[Attachment]:
    owners = [a.id for a in answers.values()] or [""]
    stmt = select(Attachment).where(
        Attachment.deleted_at.is_(None), Attachment.kind == "photo",
        or_((Attachment.owner_type == "inspection_answer") & Attachment.owner_id.in_(owners),
            (Attachment.owner_type == "inspection") & (Attachment.owner_id == inspection_id)))
    return list(session.scalars(stmt))


def load_inspection_document(store: Store, inspection_id: str) -> InspectionDocument:
    """Everything the record and the opinion show, read once (NotFoundError if no such record)."""
    with store.read() as session:
        ins = session.get(Inspection, find_inspection_id(session, inspection_id))
        if ins is None or ins.is_deleted:
            raise NotFoundError(tr("report.error.not_found", key=inspection_id))
        ent = session.get(Enterprise, ins.enterprise_id)
        project = session.get(Project, ins.project_id) if ins.project_id else None
        answers = {a.item_id: a for a in session.scalars(
            select(InspectionAnswer).where(InspectionAnswer.inspection_id == ins.id,
                                           InspectionAnswer.deleted_at.is_(None)))}
        findings_rows = list(session.scalars(
            select(RectificationItem).where(RectificationItem.source_type
                                            == rectification_source(ins.kind),
                                            RectificationItem.source_id == ins.id,
                                            RectificationItem.deleted_at.is_(None))))
        signature_rows = list(session.scalars(
            select(Signature).where(Signature.inspection_id == ins.id,
                                    Signature.deleted_at.is_(None))
            .order_by(Signature.signed_at, Signature.created_at)))
        photo_rows = _photo_attachments(session, ins.id, answers)
        amended = session.get(Inspection, ins.amends_id) if ins.amends_id else None
        amends_number = amended.record_number if amended is not None else ""

    template = _template(ins.template_snapshot)
    order = {item.id: n for n, item in enumerate(template.items)}
    item_by_id = {item.id: item for item in template.items}
    answer_by_id = {a.id: a for a in answers.values()}

    # photos: in checklist order, then in the order taken
    def photo_key(a: Attachment) -> tuple[int, datetime, str]:
        ans = answer_by_id.get(a.owner_id) if a.owner_type == "inspection_answer" else None
        pos = order.get(ans.item_id, len(order)) if ans else len(order) + 1
        return pos, a.taken_at or a.created_at, a.id

    known = [i for i in template.items if i.id in answers]
    unknown = [_Item(item_id, "", item_id, "") for item_id in answers if item_id not in item_by_id]
    fact_number = {item.id: n for n, item in enumerate(known + unknown, 1)}

    photos: list[PhotoLine] = []
    photo_numbers: dict[str, list[int]] = {}
    for n, a in enumerate(sorted(photo_rows, key=photo_key), 1):
        ans = answer_by_id.get(a.owner_id) if a.owner_type == "inspection_answer" else None
        item = item_by_id.get(ans.item_id) if ans else None
        path = attachment_file(store, a.sha256)
        photos.append(PhotoLine(n, path if path.is_file() else None, a.caption or "",
                                item.text if item else "",
                                fact_number.get(ans.item_id) if ans else None,
                                _local(a.taken_at), a.sha256))
        if ans is not None:
            photo_numbers.setdefault(ans.item_id, []).append(n)

    # facts: every answered item, by section, in checklist order
    sections: list[FactSection] = []
    current: tuple[str, list[FactLine]] | None = None
    for item in known + unknown:
        ans = answers[item.id]
        label, finding = _answer_label(template, item.answer_type, ans.answer)
        line = FactLine(fact_number[item.id], item.id, item.text, label, ans.answer,
                        ans.note or "", finding,
                        tuple(photo_numbers.get(item.id, ())))
        if current is None or current[0] != item.section:
            current = (item.section, [])
            sections.append(FactSection(current[0], ()))
        current[1].append(line)
        sections[-1] = FactSection(current[0], tuple(current[1]))

    findings_rows.sort(key=lambda r: (order.get(r.item_id, len(order)), r.deadline, r.created_at))
    findings = tuple(FindingLine(n, r.item_id, r.finding, r.legal_basis, r.requirement, r.deadline)
                     for n, r in enumerate(findings_rows, 1))

    signatures = []
    for s in signature_rows:
        image, missing = None, False
        if s.image_sha256:
            path = attachment_file(store, s.image_sha256)
            image, missing = (path, False) if path.is_file() else (None, True)
        signatures.append(SignatureLine(s.role, s.signer_name, s.signer_id_no or "", image, missing,
                                        bool(s.refused), s.witness_name or "", _local(s.signed_at)))

    ended = ins.locked_at or max((s.signed_at for s in signature_rows), default=None)
    return InspectionDocument(
        inspection_id=ins.id, kind=ins.kind, status=ins.status, locked=ins.locked_at is not None,
        record_number=ins.record_number or "", opinion_number=ins.opinion_number or "",
        party=ins.party_name or (ent.name if ent else ""),
        legal_representative=ent.legal_representative if ent else "",
        party_representative=ins.party_representative or "", party_title=ins.party_title or "",
        address=ent.address if ent else "", phone=ent.contact_phone if ent else "",
        uscc=ent.uscc if ent else "",
        project_name=project.name if project else "",
        project_location=project.location if project else "",
        stage=ins.stage or "", stage_name=_stage_name(ins.stage or ""),
        template_title=template.title, template_ref=template.ref,
        authority=ins.authority or "", started_at=_local(ins.started_at), ended_at=_local(ended),
        place=ins.place or (project.location if project else "") or (ent.address if ent else ""),
        inspectors=tuple(Person(str(p.get("name", "")), str(p.get("id_no", "")))
                         for p in (ins.inspectors or []) if isinstance(p, Mapping)),
        recorder=ins.recorder or "", summary=ins.summary or "",
        sections=tuple(sections), findings=findings, signatures=tuple(signatures),
        photos=tuple(photos), amends_number=amends_number,
        amendment_reason=ins.amendment_reason or "",
    )
