"""Enterprise registry writes: create, edit, soft-delete and restore (undo), one transaction each."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.drafts import discard_in
from ohinspect.services.enterprise_rules import EnterpriseInput, validate_enterprise
from ohinspect.store.changes import OpResult, UndoStep, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise
from ohinspect.store.uow import Actor

RECORD = Enterprise.__record_type__
DRAFT_FORM = "enterprise"


def _duplicate_uscc(session: Session, uscc: str, exclude_id: str | None) -> Enterprise | None:
    stmt = select(Enterprise).where(Enterprise.uscc == uscc, Enterprise.deleted_at.is_(None))
    if exclude_id:
        stmt = stmt.where(Enterprise.id != exclude_id)
    return session.scalars(stmt.limit(1)).first()


def _checked(session: Session, data: EnterpriseInput, exclude_id: str | None) -> dict[str, object]:
    clean, problems = validate_enterprise(data)
    if clean["uscc"] and not any(p.field == "uscc" and not p.overridable for p in problems):
        other = _duplicate_uscc(session, str(clean["uscc"]), exclude_id)
        if other is not None:
            problems.append(FieldProblem("uscc", "enterprise.error.uscc_duplicate",
                                         tr("enterprise.error.uscc_duplicate", name=other.name)))
    if problems:
        raise ValidationError(problems)
    return clean


def _load(session: Session, enterprise_id: str) -> Enterprise:
    ent = session.get(Enterprise, enterprise_id)
    if ent is None:
        raise NotFoundError(tr("record.not_found", record_id=enterprise_id))
    return ent


def create_enterprise(store: Store, actor: Actor, data: EnterpriseInput,
                      draft_key: str | None = None) -> OpResult:
    with store.unit_of_work(actor) as uow:
        clean = _checked(uow.session, data, None)
        ent = Enterprise(**clean)
        uow.record(ent, "enterprise.create",
                   {"uscc_override_reason": clean["uscc_override_reason"]} if clean["uscc_override_reason"] else None)
        discard_in(uow.session, DRAFT_FORM, draft_key)
        uow.commit()
    label = tr("enterprise.action.create", name=ent.name)
    return OpResult(changed(RECORD, ent.id), ent.id,
                    UndoStep(label, partial(delete_enterprise, enterprise_id=ent.id)))


def update_enterprise(store: Store, actor: Actor, enterprise_id: str, data: EnterpriseInput,
                      draft_key: str | None = None) -> OpResult:
    with store.unit_of_work(actor) as uow:
        ent = _load(uow.session, enterprise_id)
        if ent.is_deleted:
            raise ValidationError([FieldProblem("name", "enterprise.error.deleted",
                                                tr("enterprise.error.deleted"))])
        before = EnterpriseInput.from_record(ent)
        clean = _checked(uow.session, data, enterprise_id)
        changed_fields = ent.assign(clean)
        if changed_fields:
            uow.record(ent, "enterprise.update", {"fields": changed_fields})
        discard_in(uow.session, DRAFT_FORM, draft_key)
        uow.commit()
    label = tr("enterprise.action.update", name=ent.name)
    undo = UndoStep(label, partial(update_enterprise, enterprise_id=enterprise_id, data=before))
    return OpResult(changed(RECORD, enterprise_id), enterprise_id,
                    undo if changed_fields else None)


def delete_enterprise(store: Store, actor: Actor, enterprise_id: str) -> OpResult:
    """Soft delete (tombstone); :func:`restore_enterprise` takes it back."""
    return _set_deleted(store, actor, enterprise_id, deleted=True)


def restore_enterprise(store: Store, actor: Actor, enterprise_id: str) -> OpResult:
    return _set_deleted(store, actor, enterprise_id, deleted=False)


def _set_deleted(store: Store, actor: Actor, enterprise_id: str, *, deleted: bool) -> OpResult:
    with store.unit_of_work(actor) as uow:
        ent = _load(uow.session, enterprise_id)
        if ent.is_deleted == deleted:
            key = "enterprise.error.deleted" if deleted else "enterprise.error.not_deleted"
            raise ValidationError([FieldProblem("name", key, tr(key))])
        ent.deleted_at = uow.now if deleted else None
        uow.record(ent, "enterprise.delete" if deleted else "enterprise.restore")
        uow.commit()
    verb = "delete" if deleted else "restore"  # the label names the operation being undone
    inverse = restore_enterprise if deleted else delete_enterprise
    undo = UndoStep(tr(f"enterprise.action.{verb}", name=ent.name),
                    partial(inverse, enterprise_id=enterprise_id))
    return OpResult(changed(RECORD, enterprise_id), enterprise_id, undo)

