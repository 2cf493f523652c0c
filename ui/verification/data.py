"""What the verification screens read and compute, as plain functions run off the GUI thread
(through ``ctx.runner``) or cheap helpers over an :class:`InspectionView`. No widgets here."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from ohinspect.checklists.model import AnswerOption, ChecklistItem
from ohinspect.i18n import tr
from ohinspect.services.attachments import attachment_path
from ohinspect.services.drafts import Draft, load_draft
from ohinspect.services.inspection_queries import InspectionView, get_inspection_view
from ohinspect.services.inspection_inputs import AUDIT_KINDS
from ohinspect.services.inspections import add_item_photo
from ohinspect.store.changes import OpResult
from ohinspect.store.database import Store
from ohinspect.store.uow import Actor

DRAFT_FORM = "verification"          # unsaved findings / summary edits, keyed by inspection id
THUMB = QSize(96, 72)
PHOTO_FILTER = "*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff"


@dataclass
class FlowState:
    view: InspectionView
    draft: Draft | None
    signature_images: dict[str, bytes] = field(default_factory=dict)  # signature id → PNG


def load_flow_state(store: Store, inspection_id: str) -> FlowState:
    """The inspection as stored, its unsaved draft and (when signed) the signature images."""
    with store.read() as session:
        view = get_inspection_view(session, inspection_id)
    images: dict[str, bytes] = {}
    for sig in view.signatures:
        if sig.image_sha256:
            path = attachment_path(store, sig.image_sha256)
            if path.exists():
                images[sig.id] = path.read_bytes()
    return FlowState(view, load_draft(store, DRAFT_FORM, inspection_id), images)


def load_thumbnails(store: Store, sha256s: list[str]) -> dict[str, QImage]:
    """Small images of stored photos (QImage is safe to build off the GUI thread)."""
    out: dict[str, QImage] = {}
    for sha in sha256s:
        image = QImage(str(attachment_path(store, sha)))
        if not image.isNull():
            out[sha] = image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)
    return out


def add_photo_file(store: Store, actor: Actor, inspection_id: str, item_id: str,
                   path: str) -> OpResult:
    """Read a photo file and attach it to an item (runs on the write thread)."""
    file = Path(path)
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return add_item_photo(store, actor, inspection_id, item_id, file.read_bytes(), media_type,
                          caption=file.name)


def documents_dir(store: Store) -> Path:
    return store.data_dir / "documents"


#: the documents of a signed record, by kind: the name of each file
FILE_KEYS = {"record": "ver_ui.file.record", "opinion": "ver_ui.file.opinion",
             "audit": "aud_ui.file.audit"}


def is_audit(view: InspectionView) -> bool:
    return view.inspection.kind in AUDIT_KINDS


def document_kinds(view: InspectionView) -> tuple[str, ...]:
    """The documents of a signed record: an audit has its audit record (a notice is issued from
    its findings afterwards); a verification its 现场检查笔录 and 卫生监督意见书."""
    return ("audit",) if is_audit(view) else ("record", "opinion")


def flow_title(view: InspectionView) -> str:
    """The flow's title: 三同时核查 of party · project · stage, or the audit's kind: party ·
    checklist."""
    ins = view.inspection
    if is_audit(view):
        what = " · ".join((view.enterprise.name, view.template.title()))
        return tr("aud_ui.title", kind=tr(f"audit.kind.{ins.kind}"), what=what)
    project = view.project.name if view.project is not None else ""
    parts = [view.enterprise.name, project, stage_name(ins.stage)]
    return tr("ver_ui.title", what=" · ".join(p for p in parts if p))


def document_file(store: Store, view: InspectionView, kind: str) -> Path:
    """Where a generated PDF goes: ``documents/<kind>_<number>.pdf`` beside the store."""
    ins = view.inspection
    number = (ins.opinion_number if kind == "opinion" else ins.record_number) or ins.id[:8]
    stem = tr(FILE_KEYS[kind], number=number)
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in stem)
    return documents_dir(store) / f"{safe}.pdf"


# -- helpers over the view ---------------------------------------------------------------------
def option_label(option: AnswerOption) -> str:
    return option.label()


def options_for(view: InspectionView, item: ChecklistItem) -> tuple[AnswerOption, ...]:
    answer_type = view.template.answer_types.get(item.answer_type)
    return answer_type.options if answer_type is not None else ()


def is_finding(view: InspectionView, item: ChecklistItem, answer: str) -> bool:
    if not answer:
        return False
    answer_type = view.template.answer_types.get(item.answer_type)
    option = answer_type.option(answer) if answer_type is not None else None
    return bool(option and option.finding)


def photo_required(view: InspectionView, item: ChecklistItem, answer: str) -> bool:
    """Whether the item needs a photo: by the template's rule once answered; before the answer
    only when it always does."""
    if not answer:
        return item.photo == "always"
    try:
        return view.template.photo_required(item.id, answer)
    except (KeyError, ValueError):
        return False


def resume_item(view: InspectionView) -> str | None:
    """Where to continue: the stored resume point if still open, else the first unanswered
    item after it, else (all answered) the first item."""
    if not view.items:
        return None
    return view.next_unanswered() or view.items[0].id


def stage_name(code: str) -> str:
    from ohinspect.checklists.stages import stage

    try:
        return stage(code).name()
    except KeyError:
        return code


def default_opinion_days(view: InspectionView, finding_ids: list[str]) -> int:
    days = [view.template.item(i).deadline_days for i in finding_ids]
    known = [d for d in days if d]
    return max(known) if known else 0


def render_document(store: Store, kind: str, inspection_id: str, out: Path) -> Path:
    """现场检查笔录 (``record``), 卫生监督意见书 (``opinion``) or an audit record (``audit``) as
    a PDF (runs off the GUI thread)."""
    from ohinspect.reports import render_inspection_record, render_supervision_opinion
    from ohinspect.reports.audit import render_audit_report

    out.parent.mkdir(parents=True, exist_ok=True)
    render = {"opinion": render_supervision_opinion, "audit": render_audit_report}.get(
        kind, render_inspection_record)
    return Path(render(store, inspection_id, out))
