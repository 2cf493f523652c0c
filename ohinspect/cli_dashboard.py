"""``ohinspect dashboard`` (issue 7 item 4): the supervisor dashboard of a jurisdiction and
period, printed, as JSON, or exported to Excel (.xlsx) and PDF."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.paths import resolve_data_dir


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    p = sub.add_parser("dashboard",
                       help="supervision dashboard (监管统计) of a jurisdiction and period")
    p.add_argument("--jurisdiction", required=True, help="GB/T 2260 code (and everything below)")
    p.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--xlsx", type=Path, help="write the figures to this Excel file")
    p.add_argument("--pdf", type=Path, help="write the dashboard with charts to this PDF")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    return {"dashboard": cmd_dashboard}


def parse_day(field: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError([FieldProblem(field, "dash.error.date",
                                            tr("dash.error.date", value=value))]) from None


def as_json(dash: Any) -> dict[str, Any]:
    s = dash.scope
    return {"jurisdiction": s.jurisdiction, "from": s.start.isoformat(),
            "to": s.end.isoformat(), "as_of": s.as_of.isoformat(),
            "indicators": [{"id": ind.id, "title": tr(f"dash.ind.{ind.id}"), "chart": ind.chart,
                            "overall": ind.overall(),
                            "figures": [{"key": f.key, "label": f.label, **f.values}
                                        for f in ind.figures]} for ind in dash.indicators]}


def cmd_dashboard(args: argparse.Namespace) -> int:
    from ohinspect.dashboards import Scope, compute_dashboard
    from ohinspect.reports.dashboard_pdf import fmt
    from ohinspect.services.inspection_helpers import local_today
    from ohinspect.settings import load_settings
    from ohinspect.store.database import Store

    scope = Scope(args.jurisdiction, parse_day("from", args.start), parse_day("to", args.end),
                  local_today())
    store = Store.open(resolve_data_dir(args.data_dir))
    try:
        overrides = load_settings(store.data_dir).periodic_testing
        with store.read() as session:
            dash = compute_dashboard(session, scope, overrides=overrides, store=store)
    finally:
        store.close()
    if args.xlsx:
        from ohinspect.reports.dashboard_xlsx import write_dashboard_xlsx

        print(tr("dash.cli.written", path=write_dashboard_xlsx(dash, args.xlsx)))
    if args.pdf:
        from ohinspect.reports.dashboard_pdf import write_dashboard_pdf

        print(tr("dash.cli.written", path=write_dashboard_pdf(dash, args.pdf)))
    if args.json:
        print(json.dumps(as_json(dash), ensure_ascii=False, indent=2))
    elif not (args.xlsx or args.pdf):
        for ind in dash.indicators:
            column = ind.chart_column()
            print(f"{tr(f'dash.ind.{ind.id}')}\t{fmt(ind.overall(), column)}")
            for f in ind.figures:
                print(f"\t{f.label}\t{fmt(f.values.get(column.id), column)}")
    return 0
