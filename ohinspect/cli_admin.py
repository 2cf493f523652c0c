"""Administration commands of ``ohinspect`` for IT staff and supervisors setting up a laptop:
the inspector roster and the document-number blocks this device may issue from (until the
central platform hands blocks out, issue 6)."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable

from sqlalchemy import select

from ohinspect.i18n import tr
from ohinspect.paths import resolve_data_dir
from ohinspect.store.database import Store


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    p = sub.add_parser("inspectors", help="the inspector roster (执法人员)")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("add", help="add an inspector with the enforcement ID number")
    a.add_argument("--name", required=True)
    a.add_argument("--id-no", required=True, help="执法证号")
    a.add_argument("--jurisdiction", required=True, help="GB/T 2260 division code")
    a.add_argument("--unit", default="", help="e.g. 合水县卫生健康监督所")

    p = sub.add_parser("numbers", help="document-number blocks of this device")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    acts.add_parser("list", help="the blocks and how many numbers are left")
    r = acts.add_parser("reserve", help="allow this device to issue FIRST…LAST of a series")
    r.add_argument("--type", required=True, dest="doc_type",
                   help="inspection_record | supervision_opinion | correction_order")
    r.add_argument("--division", required=True, help="GB/T 2260 code of the issuing jurisdiction")
    r.add_argument("--year", required=True, type=int)
    r.add_argument("--first", required=True, type=int)
    r.add_argument("--last", required=True, type=int)
    return {"inspectors": cmd_inspectors, "numbers": cmd_numbers}


def _store(args: argparse.Namespace) -> Store:
    return Store.open(resolve_data_dir(args.data_dir))


def _actor(store: Store, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return store.actor(args.user or getpass.getuser())


def cmd_inspectors(args: argparse.Namespace) -> int:
    from ohinspect.services.roster import add_inspector

    store = _store(args)
    try:
        result = add_inspector(store, _actor(store, args), args.name, args.id_no,
                               args.jurisdiction, args.unit)
    finally:
        store.close()
    print(tr("cli.inspector_added", name=args.name, id=result.record_id))
    return 0


def cmd_numbers(args: argparse.Namespace) -> int:
    from ohinspect.services.numbering import remaining, reserve_block, series_for
    from ohinspect.store.models import NumberBlock

    store = _store(args)
    try:
        if args.action == "reserve":
            series = series_for(args.doc_type, args.division, args.year)
            reserve_block(store, _actor(store, args), series, args.first, args.last, "admin")
            print(tr("cli.block_reserved", series=series, first=args.first, last=args.last))
            return 0
        with store.read() as session:
            blocks = list(session.scalars(select(NumberBlock).order_by(NumberBlock.series,
                                                                       NumberBlock.first)))
            left = {b.series: remaining(session, b.series) for b in blocks}
    finally:
        store.close()
    if not blocks:
        print(tr("cli.no_blocks"))
    for b in blocks:
        print(f"{b.series}\t{b.first}-{b.last}\tnext {b.next}\t{b.source}\t"
              + tr("cli.numbers_left", count=left[b.series]))
    return 0
