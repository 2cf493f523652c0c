"""``ohinspect rectification list`` (整改项, ``--overdue`` for the overdue list) and
``ohinspect due list`` (periodic testing/evaluation due soon, overdue or never reported)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict

from ohinspect.i18n import tr
from ohinspect.paths import resolve_data_dir
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.database import Store
from ohinspect.store.serialize import to_jsonable


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    p = sub.add_parser("rectification", help="rectification items (整改项) and the overdue list")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("list", help="items, overdue first (most overdue first)")
    a.add_argument("--overdue", action="store_true", help="only items past their deadline")
    a.add_argument("--status", default="", choices=load_rectification_rules().states,
                   help="only items in this state")
    a.add_argument("--jurisdiction", default="", help="GB/T 2260 code (and everything below)")
    a.add_argument("--limit", type=int, default=0, help="at most N items (0 = all)")
    a.add_argument("--json", action="store_true")
    p = sub.add_parser("due", help="periodic testing / evaluation due dates (定期检测、现状评价)")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("list", help="due soon, overdue and never reported, with the reason")
    a.add_argument("--all", action="store_true", help="also the enterprises not yet due")
    a.add_argument("--jurisdiction", default="", help="GB/T 2260 code (and everything below)")
    a.add_argument("--json", action="store_true")
    return {"rectification": cmd_rectification, "due": cmd_due}


def _store(args: argparse.Namespace) -> Store:
    return Store.open(resolve_data_dir(args.data_dir))


def _print_json(rows: list[dict[str, object]]) -> None:
    print(json.dumps([{k: to_jsonable(v) for k, v in r.items()} for r in rows],
                     ensure_ascii=False, indent=2))


def cmd_rectification(args: argparse.Namespace) -> int:
    from ohinspect.services.rectification_queries import ItemFilter, search_items

    today = local_today()
    store = _store(args)
    try:
        with store.read() as session:
            rows, total = search_items(session, ItemFilter(
                status=args.status, overdue_only=args.overdue,
                jurisdiction=args.jurisdiction), today, limit=args.limit)
    finally:
        store.close()
    if args.json:
        _print_json([asdict(r) for r in rows])
        return 0
    for r in rows:
        late = tr("rectification.cli.days_overdue", days=r.days_overdue) if r.overdue else ""
        print("\t".join((r.deadline.isoformat(), tr(f"rectification.status.{r.status}"), late,
                         r.enterprise_name, r.division_code,
                         tr(f"rectification.source.{r.source_type}"), r.finding, r.id)))
    print(tr("rectification.cli.count", shown=len(rows), total=total))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    from ohinspect.services.due_dates import due_dates, due_list
    from ohinspect.settings import load_settings

    today = local_today()
    store = _store(args)
    try:
        overrides = load_settings(store.data_dir).periodic_testing
        with store.read() as session:
            pick = due_dates if args.all else due_list
            rows = pick(session, today, overrides=overrides, jurisdiction=args.jurisdiction)
    finally:
        store.close()
    if args.json:
        _print_json([asdict(r) for r in rows])
        return 0
    for d in rows:
        print("\t".join((tr(f"due.state.{d.state}"), d.enterprise_name, d.division_code,
                         d.reason, d.enterprise_id)))
    print(tr("rectification.cli.due_count", count=len(rows)))
    return 0
