"""``ohinspect platform …``: run and administer the central platform server (issue 6;
docs/platform.md)."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr

if TYPE_CHECKING:
    from ohinspect.platform.blob_files import BlobFiles


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    p = sub.add_parser("platform", help="the central platform server (sync API)")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("serve", help="serve the sync API (prints its URL on stdout)")
    a.add_argument("--db", required=True, help="SQLAlchemy URL: postgresql+psycopg://… or sqlite:///…")
    a.add_argument("--host", default="127.0.0.1")
    a.add_argument("--port", type=int, default=8765, help="0 = any free port")
    _blobs_option(a)
    a = acts.add_parser("init-db", help="create, upgrade or check the platform database "
                                        "(idempotent)")
    a.add_argument("--db", required=True)
    _blobs_option(a)
    a = acts.add_parser("add-user", help="create or update an account")
    a.add_argument("--db", required=True)
    a.add_argument("--user", dest="name", required=True)
    a.add_argument("--role", required=True, help="inspector | sampler | supervisor | admin")
    a.add_argument("--jurisdiction", required=True, help="GB/T 2260 division code")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a = acts.add_parser("revoke-device", help="revoke a device's token")
    a.add_argument("--db", required=True)
    a.add_argument("--device", required=True, help="the device id")
    a = acts.add_parser("openapi", help="write the OpenAPI description the server serves")
    a.add_argument("--out", required=True, type=Path)
    return {"platform": cmd_platform}


def _blobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--blobs", type=Path, default=None, metavar="DIR", help=(
        "directory of the attachment files (default: $XDG_DATA_HOME/ohinspect-platform/blobs, "
        "i.e. ~/.local/share/ohinspect-platform/blobs); back it up with the database"))


def _blob_files(args: argparse.Namespace) -> BlobFiles:
    from ohinspect.platform.blob_files import BlobFiles, default_root

    return BlobFiles(args.blobs or default_root())


def cmd_platform(args: argparse.Namespace) -> int:
    from ohinspect.platform.accounts import add_user, revoke_device
    from ohinspect.platform.db import init_db, make_engine

    if args.action == "openapi":
        return _openapi(args.out)
    if args.action == "serve":
        return _serve(args)
    engine = make_engine(args.db)
    try:
        if args.action == "init-db":
            version, found = init_db(engine, _blob_files(args))
            key = ("platform.cli.init_done" if found is None else "platform.cli.init_current"
                   if found == version else "platform.cli.init_upgraded")
            print(tr(key, version=version, found=found))
        elif args.action == "add-user":
            if not args.password_stdin:
                raise OHInspectError(tr("platform.cli.password_stdin_required"))
            password = sys.stdin.readline().rstrip("\r\n")
            add_user(engine, args.name, args.role, args.jurisdiction, password)
            print(tr("platform.cli.user_saved", user=args.name, role=args.role,
                     jurisdiction=args.jurisdiction))
        elif not revoke_device(engine, args.device):
            raise OHInspectError(tr("platform.cli.device_unknown", device=args.device))
        else:
            print(tr("platform.cli.device_revoked", device=args.device))
    finally:
        engine.dispose()
    return 0


def openapi_document() -> dict[str, object]:
    """The OpenAPI description exactly as the server serves it (no database needed)."""
    from ohinspect.platform.app import create_app
    from ohinspect.platform.blob_files import BlobFiles

    return create_app(None, "", BlobFiles(Path())).openapi()  # type: ignore[arg-type]


def _openapi(out: Path) -> int:
    out.write_text(json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n",
                   encoding="utf-8")
    print(tr("platform.cli.openapi_written", path=out))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ohinspect.platform.app import create_app
    from ohinspect.platform.db import check_schema, make_engine

    engine = make_engine(args.db)
    server_id = check_schema(engine)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that name it, and
    # without it every keep-alive answer waits ~40 ms for a delayed ACK (Nagle)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    host, port = sock.getsockname()[:2]
    print(f"http://{f'[{host}]' if family == socket.AF_INET6 else host}:{port}", flush=True)
    config = uvicorn.Config(create_app(engine, server_id, _blob_files(args)), log_level="warning",
                            access_log=False, timeout_keep_alive=30)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        engine.dispose()
    return 0
