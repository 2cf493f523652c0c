"""Notices from findings: create, issue (numbered, frozen), render; refusals write nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pypdf import PdfReader

from ohinspect.errors import LockedRecordError, ValidationError
from ohinspect.services.institutions import frozen_guard
from ohinspect.services.notices import create_and_issue, create_notice, issue_notice
from ohinspect.services.numbering import ensure_demo_blocks
from ohinspect.services.rectification import open_item_in
from ohinspect.store.models import Notice, RectificationItem
from tests.unit.test_institutions import make_enterprise

TODAY = datetime.now().astimezone().date()
DEADLINE = date(TODAY.year + 1, 1, 15)


def _items(store, actor, ent: str) -> list[str]:  # type: ignore[no-untyped-def]
    specs = [("未设置职业卫生管理机构，未配备专职职业卫生管理人员",
              "《中华人民共和国职业病防治法》第二十条", "设置或者指定职业卫生管理机构并配备专职管理人员"),
             ("粉碎工序除尘设施未运行", "《中华人民共和国职业病防治法》第二十五条",
              "恢复除尘设施正常运行并建立维护检修记录")]
    with store.unit_of_work(actor) as uow:
        ids = [open_item_in(uow, enterprise_id=ent, source_type="audit", source_id="audit-1",
                            source_ref="合卫职查〔2026〕0001号", finding=f, legal_basis=b,
                            requirement=r, deadline=DEADLINE, today=TODAY).id
               for f, b, r in specs]
        uow.commit()
    return ids


@pytest.fixture
def party(store, actor):  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor, "合水县示例水泥有限公司", "employer")
    ensure_demo_blocks(store, actor, "621024", TODAY.year)
    return ent, _items(store, actor, ent)


def test_issue_numbers_freezes_and_renders(store, actor, party, tmp_path) -> None:
    ent, items = party
    notice_id = create_notice(store, actor, kind="correction_order", enterprise_id=ent,
                              item_ids=items, deadline=DEADLINE).record_id
    with store.read() as s:
        draft = s.get(Notice, notice_id)
        assert draft.status == "draft" and draft.number == ""
        assert draft.body == ("《中华人民共和国职业病防治法》第二十条；"
                              "《中华人民共和国职业病防治法》第二十五条")
    issue_notice(store, actor, notice_id)
    with store.read() as s:
        notice = s.get(Notice, notice_id)
    assert notice.status == "issued" and notice.issued_at is not None
    assert notice.number == f"合卫职改〔{TODAY.year}〕0001号"
    with pytest.raises(LockedRecordError):
        issue_notice(store, actor, notice_id)
    with pytest.raises(LockedRecordError, match="frozen"):   # the trigger underneath
        with store.unit_of_work(actor) as uow, frozen_guard("frozen"):
            uow.session.get(Notice, notice_id).deadline = date(2030, 1, 1)
            uow.session.flush()

    from ohinspect.reports.notice import render_notice
    out = render_notice(store, notice.number, tmp_path / "notice.pdf")
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for expected in ("责令改正通知书", notice.number, "合水县示例水泥有限公司",
                     "未设置职业卫生管理机构", "粉碎工序除尘设施未运行", "第二十五条",
                     f"{DEADLINE.year}年01月15日"):
        assert expected in compact, expected


def test_opinion_in_one_step(store, actor, party) -> None:
    ent, items = party
    notice_id = create_and_issue(store, actor, kind="supervision_opinion", enterprise_id=ent,
                                 item_ids=items[:1], deadline=DEADLINE).record_id
    with store.read() as s:
        notice = s.get(Notice, notice_id)
    assert notice.number.startswith("合卫职意") and notice.item_ids == items[:1]


def test_refusals_write_nothing(store, actor, party) -> None:
    ent, items = party
    other = make_enterprise(store, actor, "合水县另一家企业", "employer", body="MA71CD09")
    cases = [
        (dict(kind="fine", item_ids=items, deadline=DEADLINE), "kind"),
        (dict(kind="correction_order", item_ids=[], deadline=DEADLINE), "item_ids"),
        (dict(kind="correction_order", item_ids=items, deadline=None), "deadline"),
        (dict(kind="correction_order", item_ids=items, deadline=date(2020, 1, 1)), "deadline"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as err:
            create_notice(store, actor, enterprise_id=ent, **kwargs)  # type: ignore[arg-type]
        assert err.value.for_field(field), field
    with pytest.raises(ValidationError) as err:
        create_notice(store, actor, kind="correction_order", enterprise_id=other,
                      item_ids=items, deadline=DEADLINE)
    assert "合水县另一家企业" in err.value.for_field("item_ids")[0].message
    with store.unit_of_work(actor) as uow:   # a closed item cannot be ordered corrected again
        uow.session.get(RectificationItem, items[0]).status = "closed"
        uow.commit()
    with pytest.raises(ValidationError) as err:
        create_notice(store, actor, kind="correction_order", enterprise_id=ent,
                      item_ids=items, deadline=DEADLINE)
    assert "已销号" in err.value.for_field("item_ids")[0].message
    with store.read() as s:
        assert s.query(Notice).count() == 0
