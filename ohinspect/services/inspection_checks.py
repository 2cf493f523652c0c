"""What signing requires of signatures (roles, names, readable non-blank ink, a witness for a
refusal, enough officers) and of findings (one per finding answer, a requirement, a deadline
not in the past)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from ohinspect.checklists.model import ChecklistItem, ChecklistTemplate
from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import _text, item_label, required_inspectors
from ohinspect.services.inspection_inputs import (INK_CONTRAST, INK_MIN_PIXELS, ROLE_INSPECTOR,
                                                  ROLE_PARTY, ROLES, FindingInput, SignatureInput)
from ohinspect.store.models import InspectionAnswer


def signature_ink(data: bytes) -> int | None:
    """How many pixels of a PNG differ clearly from its background; None if it is not a PNG.

    Decoded with Pillow: transparent areas are laid on white, the background is the most common
    grey level (and alpha), and a pixel is ink when its grey level or alpha differs by more than
    :data:`INK_CONTRAST`.
    """
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                return None
            img.load()
            rgba = img.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat.alpha_composite(rgba)
    ink = 0
    for channel in (flat.convert("L"), rgba.getchannel("A")):
        hist = channel.histogram()
        background = max(range(256), key=hist.__getitem__)
        ink = max(ink, sum(n for value, n in enumerate(hist)
                           if abs(value - background) > INK_CONTRAST))
    return ink


def _check_signatures(signatures: list[SignatureInput]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []

    def problem(key: str, **values: object) -> None:
        problems.append(FieldProblem("signatures", key, tr(key, **values)))

    parties = inspectors = 0  # present (their own problems, if any, are reported above)
    for sig in signatures:
        role = _text(sig.role)
        if role not in ROLES:
            problem("inspection.error.role_unknown", role=role, choices=", ".join(ROLES))
            continue
        who = _text(sig.signer_name) or tr(f"inspection.role.{role}")
        parties += role == ROLE_PARTY
        inspectors += role == ROLE_INSPECTOR and not sig.refused
        if sig.refused:
            if role != ROLE_PARTY:
                problem("inspection.error.only_party_refuses", signer=who)
            elif not _text(sig.witness_name):
                problem("inspection.error.refusal_needs_witness")
            continue
        if not _text(sig.signer_name):
            problem("inspection.error.signer_name", role=tr(f"inspection.role.{role}"))
        elif not sig.image_png:
            problem("inspection.error.signature_missing", signer=who)
        else:
            ink = signature_ink(sig.image_png)
            if ink is None:
                problem("inspection.error.signature_unreadable", signer=who)
            elif ink < INK_MIN_PIXELS:
                problem("inspection.error.signature_blank", signer=who)
    if not parties:
        problem("inspection.error.party_missing")
    needed = required_inspectors()
    if inspectors < needed:  # 行政处罚法 第四十二条: at least two officers
        problem("inspection.error.inspector_missing", needed=needed, count=inspectors)
    return problems


def _check_findings(template: ChecklistTemplate, items: list[ChecklistItem],
                    answers: Mapping[str, InspectionAnswer], findings: list[FindingInput],
                    today: date) -> list[FieldProblem]:
    problems: list[FieldProblem] = []

    def problem(key: str, **values: object) -> None:
        problems.append(FieldProblem("findings", key, tr(key, **values)))

    applicable = {i.id for i in items}
    covered: set[str] = set()
    for f in findings:
        try:
            item = template.item(f.item_id)
        except KeyError:
            problem("inspection.error.item_unknown", item=f.item_id)
            continue
        label = item_label(item)
        answer = answers.get(f.item_id)
        if f.item_id not in applicable or answer is None or not answer.answer \
                or not template.is_finding(f.item_id, answer.answer):
            problem("inspection.error.finding_not_a_finding", item=label)
            continue
        covered.add(f.item_id)
        if not _text(f.requirement):
            problem("inspection.error.finding_requirement", item=label)
        if not isinstance(f.deadline, date):
            problem("inspection.error.finding_deadline_missing", item=label)
        elif f.deadline < today:
            problem("inspection.error.finding_deadline_past", item=label,
                    deadline=f.deadline.isoformat())
    for item in items:
        answer = answers.get(item.id)
        if answer is not None and answer.answer and template.is_finding(item.id, answer.answer) \
                and item.id not in covered:
            problem("inspection.error.finding_missing", item=item_label(item))
    return problems
