"""Background reads for the projects screen, composed only of core query functions (no SQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import fields as dc_fields
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ohinspect.i18n import tr
from ohinspect.services.drafts import NEW_KEY, load_draft
from ohinspect.services.enterprise_queries import (
    EnterpriseFilter,
    fetch_rows,
    search_ids,
)
from ohinspect.services.project_queries import ProjectDetail, get_project_detail
from ohinspect.services.projects import ProjectInput, StageInput
from ohinspect.store.database import Store

PROJECT_FORM = "project"
ENTERPRISE_MATCHES = 30

PROJECT_FIELDS = tuple(f.name for f in dc_fields(ProjectInput))
STAGE_FIELDS = tuple(f.name for f in dc_fields(StageInput))


def stage_form(stage: str) -> str:
    """The draft form of one stage's editor (the key is the project id)."""
    return f"project_stage.{stage}"


def enterprise_label(name: str, uscc: str) -> str:
    return tr("prj_ui.enterprise.label", name=name, uscc=uscc) if uscc else name


def search_enterprises(session: Session, text: str,
                       limit: int = ENTERPRISE_MATCHES) -> list[tuple[str, str]]:
    """``(id, "name（USCC）")`` of the first registry matches for ``text`` (live units only)."""
    if not text.strip():
        return []
    ids = search_ids(session, EnterpriseFilter(text=text))[:limit]
    return [(r.id, enterprise_label(r.name, r.uscc)) for r in fetch_rows(session, ids)]


def _plain(value: Any) -> Any:
    """A value as the form holds it (JSON-ready)."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def project_values(detail: ProjectDetail) -> dict[str, Any]:
    p = detail.project
    values = {name: _plain(getattr(p, name, "")) for name in PROJECT_FIELDS}
    values["hazard_codes"] = sorted(p.hazard_codes or [])
    return values


def stage_values(detail: ProjectDetail | None, stage: str) -> dict[str, Any]:
    """What the stage editor shows for a stored stage (or an empty stage)."""
    rec = detail.stages.get(stage) if detail is not None else None
    values: dict[str, Any] = {name: "" for name in STAGE_FIELDS}
    values.update(reviewers=[], published=False, facts={})
    if rec is not None:
        for name in STAGE_FIELDS:
            values[name] = _plain(getattr(rec, name, ""))
        values["reviewers"] = [dict(r) for r in rec.reviewers or []]
        values["facts"] = dict(rec.facts or {})
        values["published"] = bool(rec.published)
    return values


@dataclass(frozen=True)
class ProjectState:
    """What the project dialog opens with: the stored project (None for a new one) and any
    drafts of the project form and of each stage form."""

    project_id: str | None
    detail: ProjectDetail | None
    draft: dict[str, Any] | None
    draft_stale: bool = False
    stage_drafts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def draft_key(self) -> str:
        return self.project_id or NEW_KEY


def _stale(updated_at: datetime, modified_at: datetime | None) -> bool:
    return modified_at is not None and updated_at < modified_at


def load_project_state(store: Store, project_id: str | None,
                       stage_codes: tuple[str, ...] = ()) -> ProjectState:
    detail = None
    if project_id is not None:
        with store.read() as session:
            detail = get_project_detail(session, project_id)
    draft = load_draft(store, PROJECT_FORM, project_id or NEW_KEY)
    stale = draft is not None and detail is not None and _stale(
        draft.updated_at, detail.project.modified_at)
    stage_drafts: dict[str, dict[str, Any]] = {}
    if project_id is not None:
        for code in stage_codes:
            d = load_draft(store, stage_form(code), project_id)
            if d is not None:
                stage_drafts[code] = d.values
    return ProjectState(project_id, detail, draft.values if draft else None, stale, stage_drafts)


def load_detail(store: Store, project_id: str) -> ProjectDetail:
    with store.read() as session:
        return get_project_detail(session, project_id)
