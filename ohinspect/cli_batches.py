"""``ohinspect batch …``: export a signed batch file, import batch files, fetch the batches the
platform accepted, and exchange device keys (docs/batch-format.md)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ohinspect.i18n import tr
from ohinspect.paths import resolve_data_dir
from ohinspect.store.database import Store

if TYPE_CHECKING:
    from ohinspect.batches.importer import ImportSummary
    from ohinspect.sync.credentials import CredentialStore

EXIT_OK, EXIT_REFUSED = 0, 1


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    p = sub.add_parser("batch", help="signed batch files between field devices and supervisors")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("export", help="write this device's records and photos to a signed batch")
    a.add_argument("--out", required=True, type=Path, help="the .ohbatch file to write")
    a.add_argument("--since", type=int, default=None,
                   help="only records changed after this local change number (default: all)")
    a = acts.add_parser("import", help="verify and import batch files (each all or nothing)")
    a.add_argument("files", nargs="+", type=Path, metavar="FILE")
    a.add_argument("--allow-outside-jurisdiction", action="store_true",
                   help="import records outside this store's jurisdiction (recorded in the audit log)")
    a = acts.add_parser("fetch", help="verify and import the batches the platform accepted in "
                                      "this user's jurisdiction (an enrolled device)")
    a.add_argument("--server", help="the platform (default: the one this device enrolled with)")
    a.add_argument("--user", dest="platform_user",
                   help="with no OS keyring: the platform user to enrol for this run")
    a.add_argument("--password-stdin", action="store_true",
                   help="with no OS keyring: read that user's password from stdin")
    a = acts.add_parser("export-key", help="write this device's public key for a supervisor")
    a.add_argument("--out", required=True, type=Path)
    a = acts.add_parser("trust-key", help="trust a device key file for batch imports")
    a.add_argument("file", type=Path)
    return {"batch": cmd_batch}


def cmd_batch(args: argparse.Namespace) -> int:
    store = Store.open(resolve_data_dir(args.data_dir))
    try:
        actor = store.actor(args.user or getpass.getuser())
        return _ACTIONS[args.action](store, actor, args)
    finally:
        store.close()


def _export(store: Store, actor, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from ohinspect.batches.export import export_batch

    result = export_batch(store, actor, args.out, since=args.since)
    print(tr("batch.cli.exported", path=result.path, records=result.records, blobs=result.blobs,
             until=result.until))
    return EXIT_OK


def _import(store: Store, actor, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from ohinspect.batches.errors import BatchRefused
    from ohinspect.batches.importer import import_batch

    refused = 0
    for path in args.files:
        try:
            summary = import_batch(store, actor, path,
                                   allow_outside=args.allow_outside_jurisdiction)
        except BatchRefused as exc:
            refused += 1
            print(tr("batch.cli.refused", file=path.name, reason=exc.user_message()),
                  file=sys.stderr)
            continue
        _print_summary(summary)
    return EXIT_REFUSED if refused else EXIT_OK


def _print_summary(summary: ImportSummary) -> None:
    """What one batch brought, in total and per record type (files and platform batches)."""
    from ohinspect.batches.importer import OUTCOMES

    print(tr("batch.cli.imported", file=summary.path.name, author=summary.author,
             **{o: summary.total(o) for o in OUTCOMES}, blobs=summary.blobs_new))
    for record_type, counts in sorted(summary.counts.items()):
        print("  " + tr("batch.cli.type_line", record_type=record_type, **counts))
    if summary.outside:
        print("  " + tr("batch.cli.outside_allowed", count=summary.outside))


def _fetch(store: Store, actor, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """``batch fetch``: one line per platform batch (refusal on stderr), then the totals; exit 1
    when a batch was refused (the fetch stops there) or the fetch was cancelled."""
    from ohinspect.batches.fetch import fetch_from_platform, platform_url
    from ohinspect.services.review_import import CANCELLED, IMPORTED, REFUSED
    from ohinspect.sync.credentials import CredentialStore

    creds = CredentialStore()
    url = platform_url(store, args.server)
    if creds.load(url, store.device_id) is None and not creds.persistent:
        _enrol_for_this_run(store, creds, url, args)
    report = fetch_from_platform(store, actor, creds, url)
    for outcome in report.outcomes:
        if outcome.summary is not None:
            _print_summary(outcome.summary)
        elif outcome.outcome == REFUSED:
            print(tr("batch.cli.refused", file=outcome.path.name, reason=outcome.message),
                  file=sys.stderr)
            print(tr("batch.cli.fetch_stopped"), file=sys.stderr)
    print(tr("batch.cli.fetch_done", server=report.server_url, imported=report.count(IMPORTED),
             refused=report.count(REFUSED), cancelled=report.count(CANCELLED), own=report.own))
    return EXIT_REFUSED if report.refused or report.count(CANCELLED) else EXIT_OK


def _enrol_for_this_run(store: Store, creds: CredentialStore, url: str,
                        args: argparse.Namespace) -> None:
    """No OS keyring: the device token lives only in this process, so enrol now (as ``sync``
    does) with the user and password given."""
    from ohinspect.sync.errors import SyncError
    from ohinspect.sync.session import enroll

    if not args.platform_user:
        raise SyncError(tr("batch.error.password_needed"), code="not_enrolled")
    password = (sys.stdin.readline().rstrip("\r\n") if args.password_stdin
                else getpass.getpass(tr("sync.cli.password_prompt", user=args.platform_user)))
    enroll(store, creds, url, args.platform_user, password)


def _export_key(store: Store, actor, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from ohinspect.batches.keys import write_key_file
    from ohinspect.sync.credentials import CredentialStore

    info = write_key_file(store, actor, CredentialStore(), args.out)
    print(tr("batch.cli.key_exported", path=args.out, key_id=info.key_id))
    return EXIT_OK


def _trust_key(store: Store, actor, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from ohinspect.batches.keys import read_key_file, trust_key

    info = read_key_file(args.file)
    added = trust_key(store, actor, info)
    print(tr("batch.cli.key_trusted" if added else "batch.cli.key_known", key_id=info.key_id,
             device=info.device_id, author=info.author))
    return EXIT_OK


_ACTIONS = {"export": _export, "import": _import, "fetch": _fetch, "export-key": _export_key,
            "trust-key": _trust_key}
