"""Construction projects (建设项目) under 三同时 and their stages: create, edit, record a stage.

Validation (every problem named on its field, nothing written when any is found):
- a project belongs to a live enterprise of the registry (the construction unit, 建设单位);
  its site division is in GB/T 2260, its industry in GB/T 4754-2017, its hazards in the 2015
  catalogue, its nature (建设性质) in ``classifications.yaml: project_natures``, its risk class
  in its rule set; the investment is a non-negative whole number of yuan;
- a project classed lower than its enterprise's recorded class needs ``risk_override_reason``
  (shared/DOMAIN.md §1: the class is per project, with the rule set that assigned it);
- stage dates: not in the future, completion not before start, a stage not completed before an
  earlier stage's completion (e.g. acceptance before the control-effect evaluation), and a stage
  begun while the previous one is not completed needs ``out_of_order_reason``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.standards.classifications import Classifications, load_classifications
from ohinspect.standards.divisions import load_divisions
from ohinspect.standards.hazards import load_hazard_catalogue
from ohinspect.standards.industries import load_industries
from ohinspect.store.changes import Changes, OpResult, UndoStep, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Project, ProjectStage
from ohinspect.store.uow import Actor

RECORD = Project.__record_type__
STAGE_RECORD = ProjectStage.__record_type__
REQUIRED = ("enterprise_id", "name", "division_code")
TEXT_FIELDS = ("enterprise_id", "name", "location", "division_code", "industry_code", "nature",
               "risk_class", "risk_rule_set", "risk_override_reason", "notes")
STAGE_TEXT_FIELDS = ("out_of_order_reason", "institution", "institution_qualification",
                     "publication_evidence", "notes")
#: SQLite stores integers in 8 bytes
_MAX_INT = 2**63 - 1
_WHOLE = re.compile(r"^-?[0-9]+$")
#: the stage fact holding the trial-run length (control-effect stage), whole days
TRIAL_RUN_DAYS = "trial_run_days"


def _today() -> date:
    """Today's local date (a seam for tests)."""
    return date.today()


# --------------------------------------------------------------------------- projects

@dataclass
class ProjectInput:
    """What a form (or the demo) supplies; the investment may arrive as text."""

    enterprise_id: str = ""
    name: str = ""
    location: str = ""
    division_code: str = ""
    investment_yuan: int | str | None = None
    industry_code: str = ""
    nature: str = ""
    hazard_codes: list[str] = field(default_factory=list)
    risk_class: str = ""
    risk_rule_set: str = ""
    risk_override_reason: str = ""
    notes: str = ""

    @classmethod
    def from_record(cls, p: Project) -> ProjectInput:
        return cls(**{k: getattr(p, k) for k in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _max_len(model: Any, name: str) -> int | None:
    return getattr(model.__table__.c[name].type, "length", None)


def _investment(value: int | str | None, problems: list[FieldProblem]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "").replace(" ", "")
        number = int(text) if _WHOLE.match(text) else None
    if number is None:
        problems.append(FieldProblem("investment_yuan", "project.error.investment_not_whole",
                                     tr("project.error.investment_not_whole")))
    elif number < 0:
        problems.append(FieldProblem("investment_yuan", "project.error.investment_negative",
                                     tr("project.error.investment_negative")))
        number = None
    elif number > _MAX_INT:
        problems.append(FieldProblem("investment_yuan", "project.error.investment_too_large",
                                     tr("project.error.investment_too_large")))
        number = None
    return number


def _lower_than(classes: Classifications, project: tuple[str, str],
                enterprise: tuple[str, str]) -> bool:
    """Is the project's (rule set, class) less severe than the enterprise's? Compared in the
    project's rule set, else in the enterprise's; unknown when neither holds both classes."""
    for code in (project[0], enterprise[0]):
        rule_set = classes.rule_set(code)
        if rule_set is None:
            continue
        mine, theirs = rule_set.rank(project[1]), rule_set.rank(enterprise[1])
        if mine is not None and theirs is not None:
            return mine > theirs  # ranks count from the most severe class
    return False


def validate_project(session: Session, data: ProjectInput) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The cleaned column values and every problem found (empty list = valid)."""
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {k: str(getattr(data, k) or "").strip() for k in TEXT_FIELDS}

    for name in REQUIRED:
        if not clean[name]:
            problems.append(FieldProblem(name, "field.required", tr("field.required")))
    for name in TEXT_FIELDS:
        limit = _max_len(Project, name)
        if limit and len(clean[name]) > limit:
            problems.append(FieldProblem(name, "field.too_long", tr("field.too_long", max=limit)))

    enterprise: Enterprise | None = None
    if clean["enterprise_id"]:
        enterprise = session.get(Enterprise, clean["enterprise_id"])
        if enterprise is None:
            problems.append(FieldProblem("enterprise_id", "project.error.enterprise_unknown",
                                         tr("project.error.enterprise_unknown")))
        elif enterprise.is_deleted:
            problems.append(FieldProblem("enterprise_id", "project.error.enterprise_deleted",
                                         tr("project.error.enterprise_deleted",
                                            name=enterprise.name)))
            enterprise = None

    if clean["division_code"] and clean["division_code"] not in load_divisions():
        problems.append(FieldProblem("division_code", "project.error.division_unknown",
                                     tr("project.error.division_unknown",
                                        code=clean["division_code"])))
    if clean["industry_code"]:
        clean["industry_code"] = clean["industry_code"].upper()
        if clean["industry_code"] not in load_industries():
            problems.append(FieldProblem("industry_code", "project.error.industry_unknown",
                                         tr("project.error.industry_unknown",
                                            code=clean["industry_code"])))

    classes = load_classifications()
    if clean["nature"] and classes.nature(clean["nature"]) is None:
        problems.append(FieldProblem("nature", "project.error.nature_unknown",
                                     tr("project.error.nature_unknown", value=clean["nature"],
                                        choices="、".join(n.label() for n in classes.natures))))

    if clean["risk_class"] and not clean["risk_rule_set"]:
        clean["risk_rule_set"] = classes.default_rule_set.code  # the class is never stored bare
    rule_set = classes.rule_set(clean["risk_rule_set"]) if clean["risk_rule_set"] else None
    if clean["risk_rule_set"] and rule_set is None:
        problems.append(FieldProblem("risk_rule_set", "project.error.risk_rule_set_unknown",
                                     tr("project.error.risk_rule_set_unknown",
                                        value=clean["risk_rule_set"])))
    elif rule_set is not None and clean["risk_class"] and clean["risk_class"] not in rule_set.class_codes():
        problems.append(FieldProblem("risk_class", "project.error.risk_class_unknown",
                                     tr("project.error.risk_class_unknown",
                                        value=clean["risk_class"], rule_set=rule_set.label())))
    elif enterprise is not None and clean["risk_class"] and enterprise.risk_class:
        project_class = (clean["risk_rule_set"], clean["risk_class"])
        enterprise_class = (enterprise.risk_rule_set, enterprise.risk_class)
        if _lower_than(classes, project_class, enterprise_class):
            if not clean["risk_override_reason"]:
                problems.append(FieldProblem(
                    "risk_override_reason", "project.error.override_reason_required",
                    tr("project.error.override_reason_required",
                       project=classes.risk_label(*project_class),
                       enterprise=classes.risk_label(*enterprise_class)),
                    overridable=True))
        elif project_class[1] == enterprise_class[1]:
            clean["risk_override_reason"] = ""  # nothing differs: do not keep a stale reason

    catalogue = load_hazard_catalogue()
    hazards = sorted({str(c).strip() for c in data.hazard_codes if str(c).strip()})
    for code in hazards:
        if code not in catalogue:
            problems.append(FieldProblem("hazard_codes", "project.error.hazard_unknown",
                                         tr("project.error.hazard_unknown", code=code)))
    clean["hazard_codes"] = hazards
    clean["investment_yuan"] = _investment(data.investment_yuan, problems)
    return clean, problems


def _checked(session: Session, data: ProjectInput) -> dict[str, Any]:
    clean, problems = validate_project(session, data)
    if problems:
        raise ValidationError(problems)
    return clean


def _load(session: Session, project_id: str) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError(tr("record.not_found", record_id=project_id))
    return project


def _live(session: Session, project_id: str) -> Project:
    project = _load(session, project_id)
    if project.is_deleted:
        raise ValidationError([FieldProblem("name", "project.error.deleted",
                                            tr("project.error.deleted"))])
    return project


def create_project(store: Store, actor: Actor, data: ProjectInput) -> OpResult:
    with store.unit_of_work(actor) as uow:
        clean = _checked(uow.session, data)
        project = Project(**clean)
        uow.record(project, "project.create",
                   {"risk_override_reason": clean["risk_override_reason"]}
                   if clean["risk_override_reason"] else None)
        uow.commit()
    undo = UndoStep(tr("project.action.create", name=project.name),
                    partial(delete_project, project_id=project.id))
    return OpResult(changed(RECORD, project.id), project.id, undo)


def update_project(store: Store, actor: Actor, project_id: str, data: ProjectInput) -> OpResult:
    with store.unit_of_work(actor) as uow:
        project = _live(uow.session, project_id)
        before = ProjectInput.from_record(project)
        clean = _checked(uow.session, data)
        changed_fields = project.assign(clean)
        if changed_fields:
            details: dict[str, Any] = {"fields": changed_fields}
            if "risk_class" in changed_fields and clean["risk_override_reason"]:
                details["risk_override_reason"] = clean["risk_override_reason"]
            uow.record(project, "project.update", details)
        uow.commit()
    undo = UndoStep(tr("project.action.update", name=project.name),
                    partial(update_project, project_id=project_id, data=before))
    return OpResult(changed(RECORD, project_id), project_id, undo if changed_fields else None)


def delete_project(store: Store, actor: Actor, project_id: str) -> OpResult:
    """Soft delete (tombstone); :func:`restore_project` takes it back."""
    return _set_deleted(store, actor, project_id, deleted=True)


def restore_project(store: Store, actor: Actor, project_id: str) -> OpResult:
    return _set_deleted(store, actor, project_id, deleted=False)


def _set_deleted(store: Store, actor: Actor, project_id: str, *, deleted: bool) -> OpResult:
    with store.unit_of_work(actor) as uow:
        project = _load(uow.session, project_id)
        if project.is_deleted == deleted:
            key = "project.error.deleted" if deleted else "project.error.not_deleted"
            raise ValidationError([FieldProblem("name", key, tr(key))])
        project.deleted_at = uow.now if deleted else None
        uow.record(project, "project.delete" if deleted else "project.restore")
        uow.commit()
    verb = "delete" if deleted else "restore"
    inverse = restore_project if deleted else delete_project
    undo = UndoStep(tr(f"project.action.{verb}", name=project.name),
                    partial(inverse, project_id=project_id))
    return OpResult(changed(RECORD, project_id), project_id, undo)


# --------------------------------------------------------------------------- stages

@dataclass
class StageInput:
    started_on: date | str | None = None
    completed_on: date | str | None = None
    out_of_order_reason: str = ""
    institution: str = ""
    institution_qualification: str = ""
    #: [{"name": ..., "title": ..., "external": bool}] — severe projects need external experts
    reviewers: list[dict[str, object]] = field(default_factory=list)
    published: bool = False
    publication_evidence: str = ""
    #: stage facts keyed by fact id, e.g. {"trial_run_days": 90} for the control-effect stage
    facts: dict[str, object] = field(default_factory=dict)
    notes: str = ""

    @classmethod
    def from_record(cls, s: ProjectStage) -> StageInput:
        values = {k: getattr(s, k) for k in cls.__dataclass_fields__}
        values["reviewers"] = [dict(r) for r in s.reviewers or []]
        values["facts"] = dict(s.facts or {})
        return cls(**values)


def _stages() -> tuple[Any, ...]:
    from ohinspect.checklists.stages import load_stages

    return load_stages()


def stage_codes() -> tuple[str, ...]:
    """The stage codes in their order (resources/checklists/stages.yaml)."""
    return tuple(s.code for s in _stages())


def stage_name(code: str) -> str:
    return next((s.name() for s in _stages() if s.code == code), code)


def _date(name: str, value: date | str | None, problems: list[FieldProblem]) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(FieldProblem(name, "stage.error.date_invalid",
                                     tr("stage.error.date_invalid", value=value)))
        return None


def _reviewers(raw: list[dict[str, object]], problems: list[FieldProblem]) -> list[dict[str, object]]:
    clean: list[dict[str, object]] = []
    for index, item in enumerate(raw or [], start=1):
        if not isinstance(item, dict):
            problems.append(FieldProblem("reviewers", "stage.error.reviewer_name",
                                         tr("stage.error.reviewer_name", index=index)))
            continue
        name = str(item.get("name") or "").strip()
        if not name:
            problems.append(FieldProblem("reviewers", "stage.error.reviewer_name",
                                         tr("stage.error.reviewer_name", index=index)))
        clean.append({"name": name, "title": str(item.get("title") or "").strip(),
                      "external": bool(item.get("external", False))})
    return clean


def _facts(raw: dict[str, object], problems: list[FieldProblem]) -> dict[str, object]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) and k for k in raw):
        problems.append(FieldProblem("facts", "stage.error.facts", tr("stage.error.facts")))
        return {}
    facts = dict(raw)
    if facts.get(TRIAL_RUN_DAYS) not in (None, ""):
        value = facts[TRIAL_RUN_DAYS]
        text = str(value).strip()
        if isinstance(value, bool) or not _WHOLE.match(text) or int(text) < 0:
            problems.append(FieldProblem("facts", "stage.error.trial_run_days",
                                         tr("stage.error.trial_run_days", value=value)))
        else:
            facts[TRIAL_RUN_DAYS] = int(text)
    try:
        json.dumps(facts)
    except (TypeError, ValueError):
        problems.append(FieldProblem("facts", "stage.error.facts", tr("stage.error.facts")))
        return {}
    return facts


def _stage_rows(session: Session, project_id: str) -> dict[str, ProjectStage]:
    return {s.stage: s for s in session.scalars(
        select(ProjectStage).where(ProjectStage.project_id == project_id))}


def validate_stage(stage: str, data: StageInput, others: dict[str, ProjectStage],
                   today: date | None = None) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Clean values of one stage and its problems, given the project's other stage records."""
    problems: list[FieldProblem] = []
    today = today or _today()
    codes = stage_codes()
    clean: dict[str, Any] = {k: str(getattr(data, k) or "").strip() for k in STAGE_TEXT_FIELDS}
    for name in STAGE_TEXT_FIELDS:
        limit = _max_len(ProjectStage, name)
        if limit and len(clean[name]) > limit:
            problems.append(FieldProblem(name, "field.too_long", tr("field.too_long", max=limit)))
    started = clean["started_on"] = _date("started_on", data.started_on, problems)
    completed = clean["completed_on"] = _date("completed_on", data.completed_on, problems)
    clean["reviewers"] = _reviewers(data.reviewers, problems)
    clean["facts"] = _facts(data.facts, problems)
    clean["published"] = bool(data.published)
    if stage not in codes:
        problems.append(FieldProblem("stage", "stage.error.unknown",
                                     tr("stage.error.unknown", stage=stage,
                                        choices=", ".join(codes))))
        return clean, problems

    for name, value in (("started_on", started), ("completed_on", completed)):
        if value is not None and value > today:
            problems.append(FieldProblem(name, "stage.error.future",
                                         tr("stage.error.future", date=value.isoformat())))
    if started and completed and completed < started:
        problems.append(FieldProblem("completed_on", "stage.error.completed_before_started",
                                     tr("stage.error.completed_before_started",
                                        completed=completed.isoformat(),
                                        started=started.isoformat())))

    position = codes.index(stage)
    live = {code: s for code, s in others.items() if code != stage and not s.is_deleted}
    if completed:
        for code in codes[:position]:  # an earlier stage finished after this one: impossible
            other = live.get(code)
            if other is not None and other.completed_on and completed < other.completed_on:
                problems.append(FieldProblem(
                    "completed_on", "stage.error.completed_before_earlier",
                    tr("stage.error.completed_before_earlier", stage=stage_name(stage),
                       date=completed.isoformat(), other=stage_name(code),
                       other_date=other.completed_on.isoformat())))
                break
        for code in codes[position + 1:]:
            other = live.get(code)
            if other is not None and other.completed_on and completed > other.completed_on:
                problems.append(FieldProblem(
                    "completed_on", "stage.error.completed_after_later",
                    tr("stage.error.completed_after_later", stage=stage_name(stage),
                       date=completed.isoformat(), other=stage_name(code),
                       other_date=other.completed_on.isoformat())))
                break

    begun = started or completed
    if begun and position > 0:
        previous_code = codes[position - 1]
        previous = live.get(previous_code)
        if previous is None or previous.completed_on is None:
            message = tr("stage.error.previous_not_completed", stage=stage_name(stage),
                         previous=stage_name(previous_code))
        elif begun < previous.completed_on:
            message = tr("stage.error.started_before_previous", stage=stage_name(stage),
                         date=begun.isoformat(), previous=stage_name(previous_code),
                         previous_date=previous.completed_on.isoformat())
        else:
            message = ""
        if message and not clean["out_of_order_reason"]:
            problems.append(FieldProblem("out_of_order_reason", "stage.error.out_of_order",
                                         message, overridable=True))
        elif not message:
            clean["out_of_order_reason"] = ""  # in order: do not keep a stale reason
    else:
        clean["out_of_order_reason"] = ""  # not begun, or the first stage: nothing is out of order
    return clean, problems


def save_stage(store: Store, actor: Actor, project_id: str, stage: str, data: StageInput) -> OpResult:
    """Create or update the record of one stage of a project."""
    with store.unit_of_work(actor) as uow:
        project = _live(uow.session, project_id)
        rows = _stage_rows(uow.session, project_id)
        clean, problems = validate_stage(stage, data, rows)
        if problems:
            raise ValidationError(problems)
        record = rows.get(stage)
        before = StageInput.from_record(record) if record is not None and not record.is_deleted else None
        if record is None:
            record = ProjectStage(project_id=project_id, stage=stage)
        record.deleted_at = None
        changed_fields = record.assign(clean)
        if before is None or changed_fields:
            details: dict[str, Any] = {"stage": stage, "fields": changed_fields}
            if clean["out_of_order_reason"]:
                details["out_of_order_reason"] = clean["out_of_order_reason"]
            uow.record(record, "project_stage.create" if before is None else "project_stage.update",
                       details)
        uow.commit()
    undo = None
    if before is not None and changed_fields:
        undo = UndoStep(tr("stage.action.update", stage=stage_name(stage), name=project.name),
                        partial(save_stage, project_id=project_id, stage=stage, data=before))
    changes = changed(STAGE_RECORD, record.id) | Changes(frozenset({RECORD}), frozenset({project_id}))
    return OpResult(changes, record.id, undo)
