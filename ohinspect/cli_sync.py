"""``ohinspect enroll`` and ``ohinspect sync``: this device and the central platform (issue 6).

``sync`` is one restartable session (``python -m ohinspect --data-dir D sync --server URL``):
killed at any point, the next run resumes; failures print one clear line and exit 1.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from ohinspect.i18n import tr
from ohinspect.paths import resolve_data_dir
from ohinspect.settings import load_settings
from ohinspect.store.database import Store
from ohinspect.sync import local
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.errors import SyncError

EXIT_OK, EXIT_CHECK_DIFFERS = 0, 3


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    p = sub.add_parser("enroll", help="enrol this device with the platform (once; the device "
                                      "token goes to the OS keyring)")
    p.add_argument("--server", required=True, help="the platform, e.g. https://platform.example")
    p.add_argument("--user", required=True, dest="platform_user", help="platform user name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p = sub.add_parser("sync", help="send what waits, receive the platform's changes, check; "
                                    "'sync status' shows what is waiting")
    p.add_argument("action", nargs="?", choices=["run", "status"], default="run")
    p.add_argument("--server", help="the platform (default: the one this device enrolled with)")
    p.add_argument("--user", dest="platform_user",
                   help="with no OS keyring: the platform user to enrol for this run")
    p.add_argument("--password-stdin", action="store_true",
                   help="with no OS keyring: read that user's password from stdin")
    return {"enroll": cmd_enroll, "sync": cmd_sync}


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(tr("sync.cli.password_prompt", user=args.platform_user))


def _server(store: Store, args: argparse.Namespace) -> str:
    if args.server:
        return str(args.server)
    with store.read() as session:
        url = local.get_meta(session, local.SERVER_URL)
    url = url or load_settings(store.data_dir).sync_server_url
    if not url:
        raise SyncError(tr("sync.error.no_server"), code="no_server")
    return url


def _enroll(store: Store, creds: CredentialStore, url: str, args: argparse.Namespace) -> None:
    from ohinspect.sync.session import enroll

    enrolment = enroll(store, creds, url, args.platform_user, _password(args))
    print(tr("sync.cli.enrolled", server=url, user=enrolment.user, role=enrolment.role,
             jurisdiction=enrolment.jurisdiction))
    if not creds.persistent:
        print(tr("sync.cli.no_keyring"))


def cmd_enroll(args: argparse.Namespace) -> int:
    store = Store.open(resolve_data_dir(args.data_dir))
    try:
        _enroll(store, CredentialStore(), args.server, args)
    finally:
        store.close()
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    store = Store.open(resolve_data_dir(args.data_dir))
    try:
        creds = CredentialStore()
        if args.action == "status":
            return _status(store, creds)
        url = _server(store, args)
        from ohinspect.sync.session import normalise_url, run_sync

        if creds.load(normalise_url(url), store.device_id) is None and not creds.persistent:
            if not args.platform_user:
                raise SyncError(tr("sync.error.password_needed"), code="not_enrolled")
            _enroll(store, creds, url, args)
        report = run_sync(store, creds, url)
    finally:
        store.close()
    for line in report.lines():
        print(line)
    return EXIT_CHECK_DIFFERS if report.differences else EXIT_OK


def _status(store: Store, creds: CredentialStore) -> int:
    from ohinspect.sync.status import sync_status

    with store.read() as session:
        s = sync_status(session)
    print(tr("sync.status.server", server=s.server_url or "-"))
    print(tr("sync.status.user", user=s.user, role=s.role, jurisdiction=s.jurisdiction)
          if s.user else tr("sync.status.not_enrolled"))
    print(tr("sync.status.last", at=s.last_success_at) if s.last_success_at
          else tr("sync.status.never"))
    print(tr("sync.status.waiting", records=s.records, photos=s.photos, bytes=s.bytes))
    print(tr("sync.status.conflicts", count=s.conflicts))
    print(tr("sync.status.keyring_ok" if creds.persistent else "sync.status.keyring_none"))
    return EXIT_OK
