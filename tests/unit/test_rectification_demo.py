"""The demo store holds rectification items in every state (and overdue ones, and a sampling
exceedance awaiting its re-test), periodic reports making employers due soon and overdue, a
repeatedly-overdue employer on the blacklist; building it again changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from ohinspect.demo import build_demo
from ohinspect.demo.projects import REFERENCE_DATE
from ohinspect.services.due_dates import due_dates, repeatedly_overdue
from ohinspect.services.list_decisions import current_lists
from ohinspect.services.rectification import item_events
from ohinspect.services.rectification_queries import ItemFilter, look_back_items, search_items
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.database import Store
from ohinspect.store.models import OutboxEntry
from tests.demo_store import demo_copy


def test_demo_rectification(tmp_path: Path) -> None:
    store = Store.open(demo_copy(tmp_path / "demo"))   # built once per session
    try:
        with store.read() as s:
            outbox = s.scalar(select(func.count()).select_from(OutboxEntry))
        build_demo(store)
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(OutboxEntry)) == outbox
            rows, _ = search_items(s, ItemFilter(), REFERENCE_DATE)
            assert {r.status for r in rows} == set(load_rectification_rules().states)
            assert any(r.overdue and r.status == "open" for r in rows)
            assert any(not r.overdue and r.status == "open" for r in rows)
            assert any(r.requires_retest and r.source_type == "sampling" for r in rows)
            failed = [r for r in rows if any(e.action == "review_fail"
                                              for e in item_events(s, r.id))]
            assert len(failed) == 1 and failed[0].status == "open"
            closed = next(r for r in rows if r.status == "closed")
            (submitted, *_rest) = [e for e in item_events(s, closed.id)
                                   if e.action == "submit_correction"]
            assert len(submitted.evidence) == 1
            assert [r.id for r in look_back_items(s, REFERENCE_DATE)] == [closed.id]
            states = {d.state for d in due_dates(s, REFERENCE_DATE)}
            assert {"due_soon", "overdue", "never", "ok"} <= states
            (listed,) = current_lists(s)
            assert listed.list_kind == "blacklist"
            assert listed.enterprise_id in {e for e, _, _ in repeatedly_overdue(s, REFERENCE_DATE)}
    finally:
        store.close()
