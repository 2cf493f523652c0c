"""Workplace (用人单位) and institution audits — the same checklist engine and records as the
三同时 verification (shared/DOMAIN.md §5; seed 002): an audit is an ``Inspection`` of kind
``workplace_audit`` or ``institution_audit`` without project or stage, its template
snapshotted when it starts. Answers, photos, signatures, the lock and amendments are the
inspection services' (:mod:`ohinspect.services.inspections`); signing an audit also computes its
overall result (resources/checklists/grading.yaml) and opens a rectification item per 不符合 /
基本符合 finding (source ``audit``).

Who may be audited with what: a workplace audit is of an employer (``org_kind`` employer), an
institution audit of an institution (any other ``org_kind``), and the template must be of the
audit's kind and list the party's ``org_kind``.
"""

from __future__ import annotations

from datetime import datetime

from ohinspect.checklists.loader import load_library
from ohinspect.checklists.model import ChecklistTemplate
from ohinspect.errors import FieldProblem, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import _clean_header
from ohinspect.services.inspection_inputs import (AUDIT_KINDS, INSTITUTION_AUDIT, RECORD,
                                                  WORKPLACE_AUDIT, IdMaker, InspectionHeader,
                                                  _random_id)
from ohinspect.services.inspection_start import new_inspection_in
from ohinspect.services.institutions import org_kind_label
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Inspection
from ohinspect.store.uow import Actor, UnitOfWork

#: the org_kind of an employer (用人单位); every other org_kind is an institution
EMPLOYER = "employer"

__all__ = ["AUDIT_KINDS", "EMPLOYER", "INSTITUTION_AUDIT", "WORKPLACE_AUDIT", "audit_templates",
           "start_audit", "start_audit_in"]


def audit_templates(kind: str, org_kind: str = "") -> list[ChecklistTemplate]:
    """The shipped templates (newest versions) for audits of ``kind``, of an ``org_kind``
    party when given."""
    return [t for t in load_library().templates()
            if t.kind == kind and (not org_kind or not t.org_kinds or org_kind in t.org_kinds)]


def _problem(field: str, key: str, **values: object) -> FieldProblem:
    return FieldProblem(field, key, tr(key, **values))


def start_audit_in(uow: UnitOfWork, *, kind: str, enterprise_id: str, template_id: str,
                   header: InspectionHeader, at: datetime | None = None,
                   ids: IdMaker = _random_id) -> Inspection:
    """Check and start a draft audit in ``uow`` (no commit)."""
    if kind not in AUDIT_KINDS:
        raise ValidationError([_problem("kind", "audit.error.kind", kind=kind,
                                        choices=", ".join(AUDIT_KINDS))])
    enterprise = uow.session.get(Enterprise, enterprise_id) if enterprise_id else None
    if enterprise is None or enterprise.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=enterprise_id))
    problems: list[FieldProblem] = []
    org_kind = enterprise.org_kind or EMPLOYER
    if kind == WORKPLACE_AUDIT and org_kind != EMPLOYER:
        problems.append(_problem("enterprise_id", "audit.error.not_employer",
                                 name=enterprise.name))
    if kind == INSTITUTION_AUDIT and org_kind == EMPLOYER:
        problems.append(_problem("enterprise_id", "audit.error.not_institution",
                                 name=enterprise.name))
    try:
        template = load_library().get(template_id)
    except KeyError:
        template = None
        problems.append(_problem("template_id", "audit.error.template_unknown",
                                 template=template_id))
    if template is not None and template.kind != kind:
        problems.append(_problem("template_id", "audit.error.template_kind",
                                 template=template.title(), kind=tr(f"audit.kind.{kind}")))
    elif template is not None and template.org_kinds and org_kind not in template.org_kinds \
            and not problems:
        problems.append(_problem("template_id", "audit.error.template_org_kind",
                                 template=template.title(), name=enterprise.name,
                                 org_kind=org_kind_label(org_kind)))
    try:
        clean = _clean_header(header)
    except ValidationError as exc:
        problems += exc.problems
    if problems:
        raise ValidationError(problems)
    assert template is not None
    return new_inspection_in(uow, kind, enterprise, template, clean, at=at, ids=ids)


def start_audit(store: Store, actor: Actor, *, kind: str, enterprise_id: str, template_id: str,
                header: InspectionHeader) -> OpResult:
    """Start a draft audit; ``record_id`` is the new inspection's id."""
    with store.unit_of_work(actor) as uow:
        insp = start_audit_in(uow, kind=kind, enterprise_id=enterprise_id,
                              template_id=template_id, header=header)
        uow.commit()
    return OpResult(changed(RECORD, insp.id), insp.id)
