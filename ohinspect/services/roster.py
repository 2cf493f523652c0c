"""The inspector roster (执法人员名录) of a jurisdiction: who may be drawn for a 双随机 check
and whose enforcement-ID numbers (执法证号) appear on documents."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.standards.divisions import load_divisions
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Inspector
from ohinspect.store.uow import Actor

RECORD = Inspector.__record_type__


def _limit(name: str) -> int:
    return int(Inspector.__table__.c[name].type.length)


def add_inspector(store: Store, actor: Actor, name: str, id_no: str, jurisdiction: str,
                  unit: str = "") -> OpResult:
    """Add an inspector; the enforcement-ID number must be unique among live inspectors."""
    values = {"name": name.strip(), "id_no": id_no.strip().upper(),
              "jurisdiction": jurisdiction.strip(), "unit": unit.strip()}
    problems = [FieldProblem(k, "field.required", tr("field.required"))
                for k in ("name", "id_no", "jurisdiction") if not values[k]]
    problems += [FieldProblem(k, "field.too_long", tr("field.too_long", max=_limit(k)))
                 for k, v in values.items() if len(v) > _limit(k)]
    if values["jurisdiction"] and values["jurisdiction"] not in load_divisions():
        problems.append(FieldProblem("jurisdiction", "roster.error.division_unknown",
                                     tr("roster.error.division_unknown",
                                        code=values["jurisdiction"])))
    with store.unit_of_work(actor) as uow:
        if values["id_no"]:
            other = uow.session.scalars(select(Inspector).where(
                Inspector.id_no == values["id_no"], Inspector.deleted_at.is_(None))).first()
            if other is not None:
                problems.append(FieldProblem("id_no", "roster.error.id_no_duplicate",
                                             tr("roster.error.id_no_duplicate", name=other.name)))
        if problems:
            raise ValidationError(problems)
        person = Inspector(**values, active=True)
        uow.record(person, "inspector.add")
        uow.commit()
    return OpResult(changed(RECORD, person.id), person.id)


def list_inspectors(session: Session, jurisdiction: str) -> list[Inspector]:
    """Active inspectors of a jurisdiction (exactly that code; "" = every jurisdiction), by name;
    detached from the session."""
    stmt = select(Inspector).where(Inspector.deleted_at.is_(None), Inspector.active.is_(True))
    if jurisdiction:
        stmt = stmt.where(Inspector.jurisdiction == jurisdiction)
    rows = list(session.scalars(stmt.order_by(Inspector.name, Inspector.id)))
    for row in rows:
        session.expunge(row)
    return rows
