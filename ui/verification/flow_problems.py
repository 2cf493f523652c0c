"""A refused signing shown in the verification flow: each problem next to what it is about
(item, finding row, signer box, opinion deadline), then the step with the first thing to fix.
A part of :class:`ui.verification.flow.VerificationFlow`."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ohinspect.services.inspections import ROLE_INSPECTOR, ROLE_PARTY, item_label
from ui.verification.flow_steps import CHECKLIST, FINDINGS, SUMMARY
from ui.verification.signatures_step import SignerBox
from ui.widgets.messages import ERROR_STYLE

#: the service's "no signature" problems, shown next to the pad as "签名为空"
BLANK_CODES = ("inspection.error.signature_blank", "inspection.error.signature_missing")


class FlowSignProblems:
    """The refused signing of :class:`~ui.verification.flow.VerificationFlow` (a mixin: it uses
    the flow's model, steps and status line)."""

    def show_sign_problems(self, problems: list[FieldProblem]) -> None:
        """Each problem next to what it is about; then go where the first thing to fix is."""
        assert self.model is not None
        boxes: dict[int, list[str]] = {}
        findings: dict[str, list[str]] = {}
        items: dict[str, str] = {}
        days: list[str] = []
        other: list[str] = []
        sent = getattr(self, "_sent_boxes", self.signatures.boxes)
        taken: dict[tuple[str, str], set[int]] = {}   # the same words about two people
        for p in problems:
            if p.field in ("answers", "photos"):
                item_id = self._item_of(p)
                if item_id:
                    items.setdefault(item_id, tr("ver_ui.sign.item_photo_missing")
                                     if p.field == "photos" else tr("ver_ui.sign.item_unanswered"))
                else:
                    other.append(p.message)
            elif p.field == "signatures":
                targets = self._boxes_of(p, sent)
                used = taken.setdefault((p.code, p.message), set())
                targets = [b for b in targets if id(b) not in used][:1] or targets
                used.update(id(b) for b in targets)
                text = tr("ver_ui.sign.blank") if p.code in BLANK_CODES else p.message
                for box in targets:
                    boxes.setdefault(id(box), []).append(text)
                if not targets:
                    other.append(p.message)
            elif p.field == "findings":
                row_ids = [i for i in self.findings.rows
                           if item_label(self.model.view.template.item(i)) in p.message]
                for item_id in row_ids:
                    findings.setdefault(item_id, []).append(p.message)
                if not row_ids:
                    other.append(p.message)
            elif p.field == "opinion_deadline_days":
                days.append(p.message)
            else:
                other.append(p.message)
        for box in self.signatures.boxes:
            box.show_messages(boxes.get(id(box), []))
        self.findings.show_problems(findings, [])
        self.summary.show_problems([], days)
        for item_id, message in items.items():
            self.model.sig_item_message.emit(item_id, message)
        summary = [tr("ver_ui.sign.refused_count", count=len(problems))] + other
        if items:
            summary.append(tr("ver_ui.sign.items_open", count=len(items)))
        self.signatures.message.show_messages(summary, ERROR_STYLE)
        if items or findings or days:   # the step with the summary is left: say it here too
            self.status.show_messages([tr("ver_ui.sign.refused_count", count=len(problems))],
                                      ERROR_STYLE)
            self._sign_status = True
        if items:
            first = next(i.id for i in self.model.items() if i.id in items)
            self.go_to_step(CHECKLIST)
            self.checklist.focus_item(first, items[first])
        elif findings:
            self.go_to_step(FINDINGS)
            row = self.findings.first_problem_row()
            if row is not None:
                row.requirement.setFocus(Qt.FocusReason.OtherFocusReason)
        elif days:
            self.go_to_step(SUMMARY)
            self.summary.days.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            first_box = next((b for b in self.signatures.boxes if id(b) in boxes), None)
            if first_box is not None:
                target = first_box.witness if first_box.is_refused() and first_box.witness \
                    else first_box.pad.clear_button
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _item_of(self, problem: FieldProblem) -> str:
        assert self.model is not None
        for item in self.model.items():
            if item_label(item) in problem.message:
                return item.id
        return ""

    def _boxes_of(self, problem: FieldProblem, boxes: list[SignerBox]) -> list[SignerBox]:
        code = problem.code
        if code in ("inspection.error.refusal_needs_witness", "inspection.error.party_missing"):
            return [b for b in boxes if b.role == ROLE_PARTY]
        if code == "inspection.error.inspector_missing":
            return [b for b in boxes if b.role == ROLE_INSPECTOR]
        found = []
        for box in boxes:
            role = tr(f"inspection.role.{box.role}")
            who = box.signer_name() or role
            if problem.message in (_format(code, signer=who), _format(code, role=role)):
                found.append(box)
        if code in BLANK_CODES and len(found) > 1:   # one person in two roles: the blank pad
            found = [b for b in found if b.pad.is_blank()] or found
        return found


def _format(key: str, **values: object) -> str:
    """The message ``key`` with ``values``; "" when it takes other placeholders."""
    try:
        return tr(key, **values)
    except (KeyError, IndexError):
        return ""
