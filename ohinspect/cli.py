"""The ``ohinspect`` command: the store, its checks and (in later issues) reports, sync, batches.

Errors print one clear line to stderr and exit non-zero; a traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ohinspect import __version__, cli_admin, cli_batches, cli_maintenance, cli_platform, cli_sync
from ohinspect import cli_rectification
from ohinspect import cli_dashboard
from ohinspect.errors import OHInspectError
from ohinspect.i18n import LANGUAGES, set_language, tr
from ohinspect.paths import resolve_data_dir

EXIT_OK, EXIT_ERROR, EXIT_CHECK_FAILED = 0, 1, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ohinspect", description="OHInspect 职业卫生现场检查")
    parser.add_argument("--version", action="version", version=f"OHInspect {__version__}")
    parser.add_argument("--data-dir", help="data folder (default: $OHINSPECT_DATA_DIR or the user-data folder)")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help="message language")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--user", help="who makes changes (default: the login name)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="create or upgrade the store")
    p.add_argument("--demo", action="store_true", help="fill it with the demo county (deterministic)")
    p = sub.add_parser("stats", help="counts per record type, outbox size, schema version")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("list", help="records of a kind")
    p.add_argument("kind", help="enterprises")
    p.add_argument("--json", action="store_true")
    p.add_argument("--include-deleted", action="store_true")
    p.add_argument("--limit", type=int, default=0, help="at most N records (0 = all)")
    sub.add_parser("check", help="integrity of the store and attachments; exit 0 only if all is well")
    p = sub.add_parser("backup", help="a consistent copy of the store (safe while the app is open)")
    p.add_argument("--out", required=True, type=Path,
                   help="FILE.zip: store + attachments + manifest (for restore); else the store alone")
    p = sub.add_parser("report", help="a document as PDF: inspection record (现场检查笔录), "
                                      "supervision opinion (卫生监督意见书) or the sampling "
                                      "documents of a signed sampling task (采样记录…评价表)")
    p.add_argument("document", choices=sorted(REPORTS), help="which document")
    p.add_argument("id", help="the inspection id (or its record/opinion number); for sampling "
                              "the task id (or its task number)")
    p.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    p = sub.add_parser("results", help="laboratory results of sampling tasks (检测结果)")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("import", help="import the lab's results file (docs/results-csv.md); "
                                       "all or nothing")
    a.add_argument("file", type=Path, help="the CSV file (UTF-8 or GB18030)")
    COMMANDS.update(cli_admin.register(sub))
    COMMANDS.update(cli_maintenance.register(sub))
    COMMANDS.update(cli_sync.register(sub))
    COMMANDS.update(cli_platform.register(sub))
    COMMANDS.update(cli_batches.register(sub))
    COMMANDS.update(cli_rectification.register(sub))
    COMMANDS.update(cli_dashboard.register(sub))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    cli_maintenance.start_logging(args)
    handler = COMMANDS[args.command]
    try:
        return handler(args)
    except OHInspectError as exc:
        if args.debug:
            raise
        print(f"ohinspect: {exc.user_message()}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 — the user sees one line, never a traceback
        if args.debug:
            raise
        print(f"ohinspect: {tr('cli.unexpected', error=f'{type(exc).__name__}: {exc}')}",
              file=sys.stderr)
        return EXIT_ERROR


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from ohinspect.store.database import Store

    return Store.open(resolve_data_dir(args.data_dir))


def cmd_init(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        if args.demo:
            from ohinspect.demo import build_demo

            build_demo(store)
        print(tr("cli.init_done", path=store.path, revision=store.schema_revision()))
    finally:
        store.close()
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from ohinspect.services.stats import store_stats

    store = _open(args)
    try:
        stats = store_stats(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        for key, value in stats.items():
            print(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from ohinspect.services.listing import LISTINGS, resolve_kind

    kind = resolve_kind(args.kind)
    store = _open(args)
    try:
        with store.read() as session:
            rows = LISTINGS[kind](session, include_deleted=args.include_deleted, limit=args.limit)
    finally:
        store.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        _print_table(rows)
    return EXIT_OK


def _print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print(tr("cli.no_records"))
        return
    keys = list(rows[0])
    print("\t".join(keys))
    for row in rows:
        print("\t".join("" if row[k] is None else str(row[k]) for k in keys))


def cmd_check(args: argparse.Namespace) -> int:
    from ohinspect.store.integrity import check_store

    store = _open(args)
    try:
        report = check_store(store)
    finally:
        store.close()
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(", ".join(f"{k}: {v}" for k, v in sorted(report.checked.items())))
    if report.ok:
        print(tr("check.ok"))
        return EXIT_OK
    print(tr("check.failed", count=len(report.problems)), file=sys.stderr)
    return EXIT_CHECK_FAILED


def cmd_backup(args: argparse.Namespace) -> int:
    from ohinspect.store.backup import backup_store
    from ohinspect.store.database import DB_FILE, preflight

    source = resolve_data_dir(args.data_dir) / DB_FILE
    if not source.exists():
        raise OHInspectError(tr("cli.no_store", path=source))
    preflight(source)  # read-only: works while the app has the store open and is writing
    if args.out.suffix.lower() == ".zip":  # the full archive: store, attachments, manifest
        from ohinspect.store.backup import create_backup

        dest = create_backup(source.parent, args.out)
    else:
        dest = backup_store(source, args.out)
    print(tr("cli.backup_done", path=dest))
    return EXIT_OK


#: report sub-command: document name → renderer (module, function), imported when used
REPORTS = {
    "inspection": ("ohinspect.reports.record", "render_inspection_record"),
    "opinion": ("ohinspect.reports.opinion", "render_supervision_opinion"),
    "sampling": ("ohinspect.reports.sampling", "render_sampling_report"),
    "labels": ("ohinspect.reports.sample_labels", "render_sample_labels"),
    "notice": ("ohinspect.reports.notice", "render_notice"),
    "audit": ("ohinspect.reports.audit", "render_audit_report"),
}


def cmd_report(args: argparse.Namespace) -> int:
    """Render one document; the renderer writes a temp file and renames it, so a failed
    render leaves nothing (and an older file of that name untouched)."""
    import importlib

    from ohinspect.store.database import DB_FILE

    source = resolve_data_dir(args.data_dir) / DB_FILE
    if not source.exists():
        raise OHInspectError(tr("cli.no_store", path=source))
    module, name = REPORTS[args.document]
    render = getattr(importlib.import_module(module), name)
    store = _open(args)
    try:
        out = render(store, args.id, args.out)
    finally:
        store.close()
    print(tr("report.cli.done", path=out))
    return EXIT_OK


def cmd_results(args: argparse.Namespace) -> int:
    """``results import FILE``: every bad line on stderr ("第 N 行：…"), exit 1, nothing
    written; otherwise how many results were imported (and which lines corrected or repeated
    an existing result)."""
    import getpass

    from ohinspect.services.lab_results import ResultsImportRejected, import_results_csv
    from ohinspect.store.database import DB_FILE

    source = resolve_data_dir(args.data_dir) / DB_FILE
    if not source.exists():
        raise OHInspectError(tr("cli.no_store", path=source))
    store = _open(args)
    try:
        actor = store.actor(args.user or getpass.getuser())
        try:
            result = import_results_csv(store, actor, args.file)
        except ResultsImportRejected as exc:
            for line in exc.lines:
                print(line.text(), file=sys.stderr)
            print(f"ohinspect: {tr('results.cli.rejected', count=len(exc.lines))}", file=sys.stderr)
            return EXIT_ERROR
    finally:
        store.close()
    for warning in result.warnings:
        print(warning)
    print(tr("results.cli.imported", file=args.file.name, count=len(result.changes.record_ids)))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init, "stats": cmd_stats, "list": cmd_list, "check": cmd_check,
    "backup": cmd_backup, "report": cmd_report, "results": cmd_results,
}
