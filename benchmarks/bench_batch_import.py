"""Issue 7 target: import 50 batches totalling 100,000 records and 2,000 photos; report
records/s and the ratio to a raw SQLite bulk insert of the same rows in the same run (goal
≥ 0.3).

A device store is filled slice by slice (enterprises, rectification items and photo
attachments, written straight through the ORM — this is a fixture, not the thing measured) and
each slice exported as one signed batch; a supervisor store then imports the 50 files with
``import_batch`` (verify, stage, check, merge in one transaction each). The baseline inserts
exactly the same rows, already converted to column values, with ``sqlite3`` ``executemany`` into
an empty store of the same schema, in one transaction.

The store's schema includes the dashboard tally triggers of migration 0010 (every insert of an
enterprise, inspection, periodic report or rectification item also writes its tally rows), which
both the import and the baseline pay. For comparison with the figures from before 0010, the
baseline is also timed on a store with those triggers dropped ("without tallies"). The
baseline keeps SQLite's temporary files in memory: with a temporary file, the statement journal
those triggers need costs the baseline about 5 µs a row more (and made the ratio look 1.8×
better than it is).

    .venv/bin/python benchmarks/bench_batch_import.py                       # full size
    .venv/bin/python benchmarks/bench_batch_import.py --batches 5 --records 2000 --photos 40
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from ohinspect.batches.export import export_batch  # noqa: E402
from ohinspect.batches.importer import import_batch  # noqa: E402
from ohinspect.batches.keys import OFFLINE_SERVER, read_key_file, trust_key, write_key_file  # noqa: E402
from ohinspect.services.attachments import write_blob_file  # noqa: E402
from ohinspect.store.base import new_id, utcnow  # noqa: E402
from ohinspect.store.database import Store  # noqa: E402
from ohinspect.store.models import (RECORD_TYPES, Attachment, Enterprise,  # noqa: E402
                                    RectificationItem, StoreMeta)
from ohinspect.store.uow import CHANGE_SEQ_KEY  # noqa: E402
from ohinspect.sync import local  # noqa: E402
from ohinspect.sync.credentials import CredentialStore, DeviceSecrets  # noqa: E402
from ohinspect.sync.device_key import generate_key, private_key_text  # noqa: E402

DIVISION, JURISDICTION = "621024", "6210"
USER = "基准检查员"


def _slice(store: Store, seq: int, records: int, photos: int, photo_bytes: int,
           rng: random.Random) -> int:
    """Add one slice of ``records`` records (``photos`` of them photo attachments)."""
    now, device = utcnow(), store.device_id
    stamp = {"created_at": now, "modified_at": now, "author": USER, "device_id": device,
             "modified_by": USER}
    enterprises = max(1, records // 5)
    items = records - enterprises - photos
    objs: list = []
    for n in range(enterprises):
        objs.append(Enterprise(id=new_id(), name=f"基准企业{seq}-{n}有限公司",
                               uscc=f"91621024{rng.randrange(10**9):09d}X", division_code=DIVISION,
                               address="甘肃省庆阳市合水县西华池镇", contact_person="张三",
                               industry_code="C30", scale="small", workforce=120,
                               exposed_count=30, hazard_codes=["11001", "13005"], **stamp))
    parents = [o.id for o in objs]
    for n in range(items):
        objs.append(RectificationItem(
            id=new_id(), enterprise_id=parents[n % len(parents)], source_type="inspection",
            source_id=new_id(), finding="粉尘作业岗位未设置警示标识", requirement="限期设置警示标识",
            legal_basis="《职业病防治法》第二十四条", deadline=date(2026, 12, 1) + timedelta(days=n % 90),
            **stamp))
    for n in range(photos):
        data = rng.randbytes(photo_bytes)
        sha = hashlib.sha256(data).hexdigest()
        write_blob_file(store, sha, data)
        objs.append(Attachment(id=new_id(), owner_type="enterprise", owner_id=parents[n % len(parents)],
                               sha256=sha, kind="photo", media_type="image/jpeg", size=len(data),
                               original_name=f"现场{n}.jpg", **stamp))
    with store.write_sessionmaker() as s, s.begin():
        meta = s.get(StoreMeta, CHANGE_SEQ_KEY)
        first = int(meta.value) + 1
        for k, obj in enumerate(objs):
            obj.change_seq = first + k
        meta.value = str(first + len(objs) - 1)
        s.add_all(objs)
    return first - 1


def build_batches(folder: Path, batches: int, records: int, photos: int,
                  photo_bytes: int) -> tuple[Store, CredentialStore, list[Path]]:
    device = Store.open(folder / "device")
    credentials = CredentialStore()  # no keyring here: the key lives for this run
    credentials.save(OFFLINE_SERVER, device.device_id, DeviceSecrets("", private_key_text(generate_key())))
    rng = random.Random(7)
    files = []
    for b in range(batches):
        since = _slice(device, b, records // batches, photos // batches, photo_bytes, rng)
        out = folder / f"batch-{b:02d}.ohbatch"
        export_batch(device, device.actor(USER), out, since=since, credentials=credentials)
        files.append(out)
    return device, credentials, files


def raw_rows(device: Store) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every record of the device as column values ready for sqlite3 (bind-processed)."""
    dialect = device.write_engine.dialect
    out: dict[str, tuple[list[str], list[tuple]]] = {}
    with device.read() as s:
        for record_type in local.type_order():
            model = RECORD_TYPES[record_type]
            cols = list(model.__table__.columns)  # type: ignore[attr-defined]
            procs = [c.type.bind_processor(dialect) for c in cols]
            rows = []
            for obj in s.scalars(select(model)):
                vals = local.row_values(model, obj.sync_payload())
                vals["change_seq"] = 0
                rows.append(tuple(p(vals[c.key]) if p else vals[c.key] for c, p in zip(cols, procs)))
            if rows:
                out[model.__tablename__] = ([c.name for c in cols], rows)  # type: ignore[attr-defined]
    return out


def raw_insert(path: Path, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # the fastest plain insert: the statement journal that the tally triggers' inserts need
        # kept in memory, not in a temporary file (about 5 µs a row; the import gains nothing
        # from it: measured with the store's writer set the same way)
        conn.execute("PRAGMA temp_store = MEMORY")
        started = time.perf_counter()
        conn.execute("BEGIN")
        for table, (cols, values) in rows.items():
            marks = ",".join("?" * len(cols))
            conn.executemany(f'INSERT INTO "{table}" ({",".join(cols)}) VALUES ({marks})', values)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def drop_tally_triggers(path: Path) -> int:
    """Drop migration 0010's ``tally_*`` triggers from the store at ``path`` (a reference
    baseline only: a real store without them would be refused by the dashboard)."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally\\_%' "
            "ESCAPE '\\'")]
        for name in names:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.commit()
        return len(names)
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--records", type=int, default=100_000, help="records in all batches")
    parser.add_argument("--photos", type=int, default=2_000, help="photos in all batches")
    parser.add_argument("--photo-kb", type=int, default=64, help="size of each photo")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {args.batches} batches, "
          f"{args.records:,} records, {args.photos:,} photos of {args.photo_kb} KB")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        device, credentials, files = build_batches(folder, args.batches, args.records, args.photos,
                                         args.photo_kb * 1024)
        size = sum(f.stat().st_size for f in files)
        print(f"built and exported in {time.perf_counter() - started:.1f} s; "
              f"{size / 2**20:.1f} MiB of batch files")
        supervisor = Store.open(folder / "supervisor")
        actor = supervisor.actor("监督科长")
        write_key_file(device, device.actor(USER), credentials, folder / "key.json")
        trust_key(supervisor, actor, read_key_file(folder / "key.json"))
        with supervisor.unit_of_work(actor) as uow:
            local.set_meta(uow.session, local.JURISDICTION, JURISDICTION)
            uow.commit()

        imported, started, cpu = 0, time.perf_counter(), time.process_time()
        for path in files:
            summary = import_batch(supervisor, actor, path)
            imported += summary.total("new")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        again = time.perf_counter()
        assert not import_batch(supervisor, actor, files[0]).changed
        reimport = time.perf_counter() - again

        rows = raw_rows(device)
        count = sum(len(v) for _, v in rows.values())
        empty = Store.open(folder / "raw")
        empty.close()
        raw_cpu = time.process_time()
        raw = raw_insert(folder / "raw" / "ohinspect.sqlite3", rows)
        raw_cpu = time.process_time() - raw_cpu
        Store.open(folder / "bare").close()
        dropped = drop_tally_triggers(folder / "bare" / "ohinspect.sqlite3")
        bare = raw_insert(folder / "bare" / "ohinspect.sqlite3", rows)
        supervisor.close()
        device.close()
    rate, raw_rate = imported / seconds, count / raw
    print(f"import: {imported:,} records in {seconds:.1f} s = {rate:,.0f} records/s "
          f"({seconds / len(files):.2f} s per batch); re-import of one batch {reimport:.2f} s")
    print(f"raw SQLite bulk insert of the same {count:,} rows: {raw:.2f} s = {raw_rate:,.0f} rows/s")
    print(f"ratio import / raw = {rate / raw_rate:.3f} (goal ≥ 0.3)")
    print(f"  raw insert without tallies ({dropped} triggers dropped): {bare:.2f} s, ratio "
          f"{rate / (count / bare):.3f} (reference: the import still pays them)")
    # the machine may be shared: CPU seconds are steadier than wall time under load
    print(f"CPU time: import {cpu:.1f} s, raw {raw_cpu:.2f} s, ratio "
          f"{(raw_cpu / count) / (cpu / imported):.3f}; load average "
          f"{' '.join(f'{x:.2f}' for x in getattr(os, 'getloadavg', tuple)())}")


if __name__ == "__main__":
    main()
