"""Notices issued from findings: 责令改正通知书 (order to correct) and 卫生监督意见书
(supervision opinion) — issue 5, shared/DOMAIN.md §5.

:func:`create_notice` makes a draft from selected open rectification items of one party (the
items come from ``ohinspect.services.rectification.open_items_for``), with a correction deadline
and the legal basis composed from the items. :func:`issue_notice` takes the next number of the
document type (``resources/documents/numbering.yaml``: ``correction_order`` /
``supervision_opinion``; region of the party's division), sets it issued and freezes it: an
issued notice is never edited or deleted — a new notice is made instead (the service refuses,
and the triggers of migration 0004 refuse underneath). Each is one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, LockedRecordError, NotFoundError, ValidationError
from ohinspect.i18n import catalogue, tr
from ohinspect.services.institutions import frozen_guard
from ohinspect.services.numbering import issue_number
from ohinspect.services.rectification import open_items_for
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Inspection, Notice, RectificationItem
from ohinspect.store.uow import Actor, UnitOfWork

NOTICE_RECORD = Notice.__record_type__
#: the notice kinds; each is a document type of resources/documents/numbering.yaml
KINDS = ("correction_order", "supervision_opinion")
DRAFT, ISSUED = "draft", "issued"
#: the documents are written in Chinese whatever the screen language
DOCUMENT_LANGUAGE = "zh_CN"


def kind_label(kind: str) -> str:
    return tr(f"ntc.kind.{kind}") if kind in KINDS else kind


def compose_basis(items: list[RectificationItem]) -> str:
    """The legal basis of the notice: the items' bases, each once, in the order of the items."""
    seen: list[str] = []
    for item in items:
        basis = item.legal_basis.strip().rstrip("。；;")
        if basis and basis not in seen:
            seen.append(basis)
    return catalogue(DOCUMENT_LANGUAGE)["ntc.basis_join"].join(seen)


def _problem(field: str, key: str, **values: object) -> FieldProblem:
    return FieldProblem(field, key, tr(key, **values))


def _selected_items(session: Session, enterprise: Enterprise, item_ids: list[str],
                    problems: list[FieldProblem]) -> list[RectificationItem]:
    wanted = list(dict.fromkeys(i for i in item_ids if i))
    if not wanted:
        problems.append(_problem("item_ids", "ntc.error.no_items"))
        return []
    open_ids = {i.id for i in open_items_for(session, enterprise.id)}
    rows = {r.id: r for r in session.scalars(select(RectificationItem).where(
        RectificationItem.id.in_(wanted)))}
    items = []
    for item_id in wanted:
        row = rows.get(item_id)
        if row is None or row.is_deleted or row.enterprise_id != enterprise.id:
            problems.append(_problem("item_ids", "ntc.error.item_unknown", item=item_id,
                                     party=enterprise.name))
        elif row.id not in open_ids:
            problems.append(_problem("item_ids", "ntc.error.item_closed", finding=row.finding))
        else:
            items.append(row)
    return items


def create_notice_in(uow: UnitOfWork, *, kind: str, enterprise_id: str,
                     inspection_id: str | None, item_ids: list[str], deadline: date | None,
                     today: date, notice_id: str | None = None) -> Notice:
    session = uow.session
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None or enterprise.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=enterprise_id))
    problems: list[FieldProblem] = []
    if kind not in KINDS:
        problems.append(_problem("kind", "ntc.error.kind", value=kind,
                                 choices="、".join(kind_label(k) for k in KINDS)))
    if inspection_id:
        insp = session.get(Inspection, inspection_id)
        if insp is None or insp.is_deleted or insp.enterprise_id != enterprise_id:
            problems.append(_problem("inspection_id", "ntc.error.inspection",
                                     record_id=inspection_id))
    items = _selected_items(session, enterprise, item_ids, problems)
    if isinstance(deadline, datetime):
        deadline = deadline.date()
    if deadline is None:
        problems.append(_problem("deadline", "ntc.error.deadline_required"))
    elif deadline < today:
        problems.append(_problem("deadline", "ntc.error.deadline_past",
                                 deadline=deadline.isoformat(), today=today.isoformat()))
    if problems:
        raise ValidationError(problems)
    notice = Notice(id=notice_id or new_id(), kind=kind, enterprise_id=enterprise_id,
                    inspection_id=inspection_id or None, item_ids=[i.id for i in items],
                    body=compose_basis(items), deadline=deadline, status=DRAFT)
    uow.record(notice, "notice.create", {"kind": kind, "items": len(items),
                                         "deadline": deadline.isoformat()})  # type: ignore[union-attr]
    return notice


def create_notice(store: Store, actor: Actor, *, kind: str, enterprise_id: str,
                  inspection_id: str | None = None, item_ids: list[str],
                  deadline: date | None, today: date | None = None) -> OpResult:
    """A draft notice of ``kind`` ordering the selected open items corrected by ``deadline``
    (not before ``today``)."""
    today = today or datetime.now().astimezone().date()
    with store.unit_of_work(actor) as uow:
        notice = create_notice_in(uow, kind=kind, enterprise_id=enterprise_id,
                                  inspection_id=inspection_id, item_ids=item_ids,
                                  deadline=deadline, today=today)
        uow.commit()
    return OpResult(changed(NOTICE_RECORD, notice.id), notice.id)


def issue_notice_in(uow: UnitOfWork, notice_id: str, *, at: datetime | None = None) -> Notice:
    session = uow.session
    notice = session.get(Notice, notice_id)
    if notice is None or notice.is_deleted:
        raise NotFoundError(tr("ntc.error.not_found", key=notice_id))
    if notice.status == ISSUED:
        raise LockedRecordError(tr("ntc.error.issued", number=notice.number))
    enterprise = session.get(Enterprise, notice.enterprise_id)
    at = at or uow.now
    notice.number = issue_number(uow, notice.kind, enterprise.division_code if enterprise else "",
                                 at.astimezone().year, NOTICE_RECORD, notice.id)
    with session.no_autoflush:  # issued in one UPDATE, the last one (the triggers freeze it)
        notice.status = ISSUED
        notice.issued_at = at
        notice.issued_by = uow.actor.user
        uow.record(notice, "notice.issue", {"number": notice.number, "kind": notice.kind})
    with frozen_guard(tr("ntc.error.issued", number=notice.number)):
        session.flush()
    return notice


def issue_notice(store: Store, actor: Actor, notice_id: str) -> OpResult:
    """Number, date and freeze a draft notice (no number left → NumberingError, nothing
    written)."""
    with store.unit_of_work(actor) as uow:
        notice = issue_notice_in(uow, notice_id)
        uow.commit()
    return OpResult(changed(NOTICE_RECORD, notice.id), notice.id)


def create_and_issue(store: Store, actor: Actor, *, kind: str, enterprise_id: str,
                     inspection_id: str | None = None, item_ids: list[str],
                     deadline: date | None, today: date | None = None) -> OpResult:
    """Make and issue a notice in one unit of work (the dialog's one action)."""
    today = today or datetime.now().astimezone().date()
    with store.unit_of_work(actor) as uow:
        notice = create_notice_in(uow, kind=kind, enterprise_id=enterprise_id,
                                  inspection_id=inspection_id, item_ids=item_ids,
                                  deadline=deadline, today=today)
        issue_notice_in(uow, notice.id)
        uow.commit()
    return OpResult(changed(NOTICE_RECORD, notice.id), notice.id)


def find_notice(session: Session, key: str) -> Notice:
    """A notice by id or by its number."""
    key = key.strip()
    notice = session.scalars(select(Notice).where(
        or_(Notice.id == key, Notice.number == key), Notice.deleted_at.is_(None))).first()
    if notice is None:
        raise NotFoundError(tr("ntc.error.not_found", key=key))
    return notice


@dataclass(frozen=True)
class NoticeRow:
    id: str
    kind: str
    number: str
    status: str
    deadline: date | None
    issued_at: datetime | None
    items: int


def notices_for(session: Session, enterprise_id: str) -> list[NoticeRow]:
    rows = session.scalars(select(Notice).where(Notice.enterprise_id == enterprise_id,
                                                Notice.deleted_at.is_(None))
                           .order_by(Notice.created_at.desc()))
    return [NoticeRow(n.id, n.kind, n.number, n.status, n.deadline, n.issued_at,
                      len(n.item_ids or [])) for n in rows]
