"""The input widgets of a project stage's form, one per ``StageInput`` field (the trial-run days
stand for the stage's facts), with get/set by field name."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QLineEdit

from ohinspect.i18n import tr
from ohinspect.services.projects import TRIAL_RUN_DAYS, StageInput
from ui.projects.queries import STAGE_FIELDS
from ui.projects.widgets import DateField, ReviewerTable
from ui.widgets.field_form import FieldSet
from ui.widgets.inputs import NotesEdit

#: form order = tab order of the left column; reviewers and documents sit on the right
FORM_ORDER = ("started_on", "completed_on", "out_of_order_reason", "institution",
              "institution_qualification", "published", "publication_evidence", "facts",
              "notes")
#: the stage whose facts include the trial-run length (试运行天数)
TRIAL_RUN_STAGE = "control_effect"


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        return None


class StageFields(FieldSet):
    """The widgets; ``collect()`` → draft values, ``fill(values)``, ``to_input()``."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.started_on = DateField()
        self.completed_on = DateField()
        self.out_of_order_reason = QLineEdit()
        self.out_of_order_reason.setPlaceholderText(tr("prj_ui.stage.reason_placeholder"))
        self.out_of_order_reason.setClearButtonEnabled(True)
        self.institution = QLineEdit()
        self.institution.setMaxLength(200)
        self.institution.setPlaceholderText(tr("prj_ui.stage.institution_placeholder"))
        self.institution_qualification = QLineEdit()
        self.institution_qualification.setMaxLength(200)
        self.institution_qualification.setPlaceholderText(
            tr("prj_ui.stage.qualification_placeholder"))
        self.published = QCheckBox(tr("prj_ui.stage.published_box"))
        self.publication_evidence = QLineEdit()
        self.publication_evidence.setPlaceholderText(tr("prj_ui.stage.evidence_placeholder"))
        self.facts = QLineEdit()  # the trial-run days (the only fact the form edits)
        self.facts.setMaximumWidth(120)
        self.facts.setPlaceholderText(tr("prj_ui.stage.days_placeholder"))
        self.facts.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,5}"),
                                                            self.facts))
        self.notes = NotesEdit()
        self.reviewers = ReviewerTable()
        self._other_facts: dict[str, Any] = {}

    def collect(self) -> dict[str, Any]:
        facts = dict(self._other_facts)
        days = self.facts.text().strip()
        if self.stage == TRIAL_RUN_STAGE and days:
            facts[TRIAL_RUN_DAYS] = days
        return {
            "started_on": self.started_on.text(),
            "completed_on": self.completed_on.text(),
            "out_of_order_reason": self.out_of_order_reason.text(),
            "institution": self.institution.text(),
            "institution_qualification": self.institution_qualification.text(),
            "reviewers": self.reviewers.reviewers(),
            "published": self.published.isChecked(),
            "publication_evidence": self.publication_evidence.text(),
            "facts": facts,
            "notes": self.notes.toPlainText(),
        }

    def to_input(self) -> StageInput:
        values = {k: v for k, v in self.collect().items() if k in STAGE_FIELDS}
        for key in ("started_on", "completed_on"):
            values[key] = values[key] or None
        return StageInput(**values)

    def fill(self, values: dict[str, Any]) -> None:
        self.started_on.set_value(str(values.get("started_on") or ""))
        self.completed_on.set_value(str(values.get("completed_on") or ""))
        for key in ("out_of_order_reason", "institution", "institution_qualification",
                    "publication_evidence"):
            self.widget(key).setText(str(values.get(key) or ""))  # type: ignore[attr-defined]
        self.published.setChecked(bool(values.get("published")))
        facts = dict(values.get("facts") or {})
        days = facts.pop(TRIAL_RUN_DAYS, "") if self.stage == TRIAL_RUN_STAGE else ""
        self._other_facts = facts
        self.facts.setText("" if days in (None, "") else str(days))
        self.notes.setPlainText(str(values.get("notes") or ""))
        self.reviewers.set_reviewers(list(values.get("reviewers") or []))
