"""The item list and its filters, the overdue list (derived: deadline passed, not closed), the
look-back list and the rectification/closure rates per jurisdiction and period."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from ohinspect.services.rectification import review, submit_correction
from ohinspect.services.rectification_queries import (ItemFilter, look_back_items, overdue_items,
                                                      rectification_rates, search_items)
from ohinspect.store import uow as uow_module
from ohinspect.store.database import Store
from tests.unit.test_rectification import (CLOSER, TODAY, add_closer, evidence, make_enterprise,
                                           open_one)


def close(store: Store, actor, item_id: str, day) -> None:  # type: ignore[no-untyped-def]
    submit_correction(store, actor, item_id, role="enterprise", by_name="郑梅",
                      evidence=evidence(), today=day)
    review(store, actor, item_id, passed=True, role="inspector", by_name=CLOSER, today=day)


def test_lists_filters_and_rates(store: Store, actor, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    add_closer(store, actor)
    heshui = make_enterprise(store, actor, 1, "621024")
    other = make_enterprise(store, actor, 2, "620102")
    a = open_one(store, actor, heshui, deadline=TODAY + timedelta(days=3), finding="未设置警示标识")
    b = open_one(store, actor, heshui, deadline=TODAY + timedelta(days=1), source_type="inspection")
    c = open_one(store, actor, other, deadline=TODAY + timedelta(days=2))
    d = open_one(store, actor, heshui, deadline=TODAY + timedelta(days=20))
    close(store, actor, d, TODAY)                    # closed long before its deadline
    later = TODAY + timedelta(days=10)
    with store.read() as s:
        overdue = overdue_items(s, later)
        assert [(r.id, r.days_overdue) for r in overdue] == [(b, 9), (c, 8), (a, 7)]
        assert overdue[0].enterprise_name == "合水县整改测试有限公司1"
        assert overdue[0].division_code == "621024" and overdue[0].source_type == "inspection"
        assert [r.id for r in overdue_items(s, later, "621000")] == [b, a]
        rows, total = search_items(s, ItemFilter(), later)
        assert [r.id for r in rows] == [b, c, a, d] and total == 4 and not rows[3].overdue
        assert [r.id for r in search_items(s, ItemFilter(text="警示"), later)[0]] == [a]
        assert [r.id for r in search_items(s, ItemFilter(source="inspection"), later)[0]] == [b]
        assert [r.id for r in search_items(s, ItemFilter(status="closed"), later)[0]] == [d]
        first, total = search_items(s, ItemFilter(overdue_only=True), later, limit=2)
        assert [r.id for r in first] == [b, c] and total == 3
        assert overdue_items(s, TODAY) == []         # nothing is late yet
        look = look_back_items(s, TODAY)
        assert [(r.id, r.look_back_on) for r in look] == [(d, TODAY + timedelta(days=90))]
    # closing is stamped with the clock (closed_at): b on the day before its deadline, a late
    on_day = datetime.combine(TODAY, time(12), tzinfo=timezone.utc).astimezone()
    monkeypatch.setattr(uow_module, "utcnow", lambda: on_day.astimezone(timezone.utc))
    close(store, actor, b, TODAY)
    monkeypatch.setattr(uow_module, "utcnow", lambda: (on_day + timedelta(days=12)).astimezone(
        timezone.utc))
    close(store, actor, a, TODAY + timedelta(days=12))
    with store.read() as s:
        rates = {r.jurisdiction: r for r in rectification_rates(
            s, TODAY, TODAY + timedelta(days=30))}
        assert (rates["621024"].due, rates["621024"].on_time, rates["621024"].closed) == (3, 1, 3)
        assert rates["621024"].rectification_rate == 1 / 3 and rates["621024"].closure_rate == 1
        assert (rates["620102"].due, rates["620102"].closed) == (1, 0)
        assert rates["620102"].rectification_rate == 0
        prefectures = rectification_rates(s, TODAY, TODAY + timedelta(days=30), digits=4,
                                          jurisdiction="620000")
        assert [(r.jurisdiction, r.due) for r in prefectures] == [("6201", 1), ("6210", 3)]
        assert rectification_rates(s, TODAY + timedelta(days=300),
                                   TODAY + timedelta(days=301)) == []
