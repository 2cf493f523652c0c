"""Read side of the enterprise registry, shaped for a lazy list of 100,000+ rows.

A search returns only the ordered ids (one indexed scan); a list view then fetches the rows it
shows in small pages with :func:`fetch_rows`. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError
from ohinspect.i18n import tr
from ohinspect.standards.industries import load_industries
from ohinspect.store.models import Enterprise


#: risk-class filter value meaning "no class recorded yet"
UNCLASSIFIED = "-"


@dataclass(frozen=True)
class EnterpriseFilter:
    text: str = ""          # part of the name, address or legal representative; start of a code
    division: str = ""      # a jurisdiction: the code itself and every division below it
    industry: str = ""      # a section letter or a code prefix (GB/T 4754-2017)
    risk_class: str = ""    # a class code, or UNCLASSIFIED
    show_deleted: bool = False
    org_kind: str = ""      # employer or an institution kind (classifications.yaml org_kinds)


@dataclass(frozen=True)
class EnterpriseRow:
    id: str
    name: str
    uscc: str
    division_code: str
    industry_code: str
    scale: str
    risk_class: str
    risk_rule_set: str
    workforce: int | None
    exposed_count: int | None
    contact_person: str
    contact_phone: str
    modified_at: datetime
    deleted: bool


ROW_COLUMNS = (Enterprise.id, Enterprise.name, Enterprise.uscc, Enterprise.division_code,
               Enterprise.industry_code, Enterprise.scale, Enterprise.risk_class,
               Enterprise.risk_rule_set, Enterprise.workforce, Enterprise.exposed_count,
               Enterprise.contact_person, Enterprise.contact_phone, Enterprise.modified_at)


def division_prefix(code: str) -> str:
    """GB/T 2260 codes are pairs (province/prefecture/county); trailing 00 pairs mean "all below"."""
    prefix = code
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(f: EnterpriseFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if not f.show_deleted:
        conds.append(Enterprise.deleted_at.is_(None))
    text = f.text.strip()
    if text:
        pattern = f"%{_like(text)}%"
        conds.append(or_(
            Enterprise.name.like(pattern, escape="\\"),
            Enterprise.uscc.like(f"{_like(text.upper())}%", escape="\\"),
            Enterprise.address.like(pattern, escape="\\"),
            Enterprise.legal_representative.like(pattern, escape="\\"),
        ))
    if f.division:
        prefix = division_prefix(f.division)
        # a range on the indexed column: every code starting with the prefix
        conds.append(and_(Enterprise.division_code >= prefix,
                          Enterprise.division_code < prefix + "\uffff"))
    if f.industry:
        code = f.industry.upper()
        if code.isalpha():
            table = load_industries()
            divisions = [d.code for d in table.by_level("division")
                         if (table.section_of(d.code) or d).code == code]
            conds.append(or_(func.substr(Enterprise.industry_code, 1, 2).in_(divisions),
                             Enterprise.industry_code == code))
        else:
            conds.append(Enterprise.industry_code.like(f"{_like(code)}%", escape="\\"))
    if f.org_kind:
        conds.append(Enterprise.org_kind == f.org_kind)
    if f.risk_class:
        conds.append(Enterprise.risk_class == ("" if f.risk_class == UNCLASSIFIED else f.risk_class))
    return conds


def search_ids(session: Session, f: EnterpriseFilter) -> list[str]:
    """Ids of the matching enterprises, ordered by name (answered from ix_enterprise_list)."""
    stmt = select(Enterprise.id).where(*_conditions(f)).order_by(Enterprise.name, Enterprise.id)
    return _first_column(session, stmt)


def _first_column(session: Session, stmt: Select[tuple[str]]) -> list[str]:
    """Run ``stmt`` on the driver directly: for 100,000 plain strings SQLAlchemy's per-row result
    processing costs more than the query itself (benchmarks/bench_startup.py)."""
    conn = session.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return [row[0] for row in cursor.execute(str(compiled), params)]
    finally:
        cursor.close()


def fetch_rows(session: Session, ids: Sequence[str]) -> list[EnterpriseRow]:
    """The rows for ``ids``, in the order given (missing ids are skipped)."""
    if not ids:
        return []
    found = {r.id: r for r in session.execute(
        select(*ROW_COLUMNS, Enterprise.deleted_at).where(Enterprise.id.in_(list(ids))))}
    rows = []
    for i in ids:
        r = found.get(i)
        if r is not None:
            rows.append(EnterpriseRow(*r[:-1], deleted=r.deleted_at is not None))
    return rows


def get_enterprise(session: Session, enterprise_id: str) -> Enterprise:
    ent = session.get(Enterprise, enterprise_id)
    if ent is None:
        raise NotFoundError(tr("record.not_found", record_id=enterprise_id))
    session.expunge(ent)
    return ent


def count_live(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Enterprise)
                          .where(Enterprise.deleted_at.is_(None))) or 0
