"""Issue 6 target: push 10,000 records + 500 photos (≈ 1 MB each) over loopback to a real
platform server on PostgreSQL — records/s, MB/s, and the ratio to a plain bulk HTTP upload of
the same bytes (goal ≥ 0.5).

    OHINSPECT_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.bench_sync_push [--records 10000] [--photos 500]
        [--photo-kb 1024]

The device: ``--records`` enterprises of 合水县 and ``--photos`` attachment records, each with a
random ``--photo-kb`` KiB file (TIFF: stored as is) — built once and cached next to the other
benchmark stores, copied for each run. The platform: ``ohinspect platform serve`` in its own
process on a fresh PostgreSQL database, its blob directory in the run's temporary directory
(tests/integration/platform_server.py). Timed: one
``run_sync`` (in this process, as the app runs it) from enrolled to done — photos (the records
are pushed at the same time; attachment records once their files are up), pull and post-sync
check — and the CPU seconds of this process, the server and its PostgreSQL backends (a shared
machine disturbs them far less than wall-clock).

The reference ("plain bulk HTTP upload"): the same bytes — each photo as one PUT, the records
as request bodies of the size the client's batches had — sent with httpx over one keep-alive
connection to a minimal ASGI app under uvicorn in its own process on this machine, which reads
each body and answers 200 (it stores nothing: an upper bound for HTTP on loopback).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from benchmarks.stores import CACHE
from ohinspect.i18n import tr
from ohinspect.platform import schema
from ohinspect.progress import Reporter
from ohinspect.services.attachments import attachment_path
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.session import enroll, run_sync
from tests.integration.platform_server import PlatformServer, scratch_database
from tests.integration.sync_proof.devices import add_enterprises, add_photo
from tests.integration.sync_proof.file_keyring import FileKeyring

REFERENCE_APP = '''
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
'''


def device_folder(records: int, photos: int, photo_kb: int) -> Path:
    folder = CACHE / f"sync-push-{records}-{photos}-{photo_kb}"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    store = Store.open(folder)
    try:
        numbers = itertools.count(100000)
        ids: list[str] = []
        for start in range(0, records, 2000):
            ids += add_enterprises(store, numbers, min(2000, records - start))
        rng = random.Random(1)
        for n in range(photos):
            add_photo(store, ids[n % len(ids)], rng, photo_kb * 1024)
    finally:
        store.close()
    (folder / ".complete").touch()
    print(f"built {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def reference_upload(bodies: list[bytes], work: Path) -> float:
    """Seconds to PUT ``bodies`` one after the other to the minimal uvicorn app."""
    (work / "reference_app.py").write_text(REFERENCE_APP, "utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "reference_app:app", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=work)
    try:
        url = f"http://127.0.0.1:{port}/upload"
        with httpx.Client(timeout=120) as http:
            for _ in range(100):
                try:
                    http.put(url, content=b"x")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            started = time.perf_counter()
            for body in bodies:
                r = http.put(url, content=body, headers={"Content-Type": "application/octet-stream"})
                assert r.status_code == 200 and int(r.text) == len(body)
            return time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=15)


class PhaseClock(Reporter):
    """When each step of the session began (from its progress messages)."""

    STEPS = ("uploading", "pushing", "pulling", "checking")

    def __init__(self) -> None:
        super().__init__()
        self.started: dict[str, float] = {}
        self.words = {step: tr(f"sync.progress.{step}", done=0, total=0, pages=0)[:4]
                      for step in self.STEPS}

    def progress(self, done: int, total: int, message: str = "") -> None:
        for step, words in self.words.items():
            if message.startswith(words):
                self.started.setdefault(step, time.perf_counter())

    def durations(self, end: float) -> dict[str, float]:
        steps = sorted(self.started.items(), key=lambda kv: kv[1])
        ends = [t for _, t in steps[1:]] + [end]
        return {step: stop - start for (step, start), stop in zip(steps, ends)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--photos", type=int, default=500)
    ap.add_argument("--photo-kb", type=int, default=1024)
    args = ap.parse_args()
    template = device_folder(args.records, args.photos, args.photo_kb)
    admin = os.environ["OHINSPECT_TEST_PG_URL"]
    with tempfile.TemporaryDirectory() as tmp, scratch_database(admin) as db:
        work = Path(tmp)
        folder = work / "laptop"
        shutil.copytree(template, folder)
        creds = CredentialStore(FileKeyring(work / "keyring.json"))
        with PlatformServer(db, work / "server") as server:
            server.add_user("bench", "inspector", "6210", "pw")
            store = Store.open(folder)
            try:
                enroll(store, creds, server.url, "bench", "pw")
                clock = PhaseClock()
                assert server.process is not None
                before = _cpu(db, server.process.pid)
                started = time.perf_counter()
                report = run_sync(store, creds, server.url, clock)
                seconds = time.perf_counter() - started
                cpu = [b - a for a, b in zip(before, _cpu(db, server.process.pid))]
                phases = clock.durations(started + seconds)
                photos = _photos(store)
            finally:
                store.close()
        batch_bodies = _batch_bodies(db)
        photo_bytes = report.bytes_up
        record_bytes = sum(len(b) for b in batch_bodies)
        total_mb = (photo_bytes + record_bytes) / 1e6
        assert sum(len(p) for p in photos) == photo_bytes
        reference = reference_upload(photos + batch_bodies, work)
    assert report.differences == [] and report.pushed == args.records + args.photos, report
    sync_mbs, ref_mbs = total_mb / seconds, total_mb / reference
    print(f"records pushed      {report.pushed} (+ {report.photos_up} files, "
          f"{photo_bytes / 1e6:.0f} MB; record JSON {record_bytes / 1e6:.1f} MB)")
    print(f"sync                {seconds:.1f} s: {report.pushed / seconds:.0f} records/s, "
          f"{sync_mbs:.1f} MB/s")
    names = {"uploading": "photos (records pushed meanwhile)", "pushing": "records left",
             "pulling": "pull", "checking": "post-sync check"}
    print("  of which          " + ", ".join(f"{names[k]} {v:.1f} s" for k, v in phases.items()))
    upload, push = phases.get("uploading", 0.0), phases.get("pushing", 0.0)
    if upload:
        print(f"  photos            {photo_bytes / 1e6 / upload:.1f} MB/s "
              f"(ratio {photo_bytes / 1e6 / upload / ref_mbs:.2f})")
    if push:
        print(f"  records left      {push:.1f} s after the photos were up")
    print(f"CPU                 client {cpu[0]:.1f} s, server {cpu[1]:.1f} s, PostgreSQL "
          f"{cpu[2]:.1f} s (less disturbed by other work than wall-clock)")
    print(f"plain HTTP upload   {reference:.1f} s: {ref_mbs:.1f} MB/s "
          "(same bytes, uvicorn app that discards them)")
    print(f"ratio               {sync_mbs / ref_mbs:.2f} (goal ≥ 0.5)")
    print("load average        " + " ".join(f"{x:.2f}" for x in os.getloadavg())
          + f" ({os.cpu_count()} cores; client, server and PostgreSQL on this machine)")


def _cpu(db_url: str, server_pid: int) -> tuple[float, float, float]:
    """CPU seconds used so far by this process, the server process and the PostgreSQL
    backends serving the run's database (the server's pool keeps its connections open)."""
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            pids = list(conn.scalars(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")))
    finally:
        engine.dispose()
    return time.process_time(), _proc_cpu(server_pid), sum(_proc_cpu(p) for p in pids)


def _proc_cpu(pid: int) -> float:
    """utime + stime of ``pid`` from /proc (0 when it is gone or not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _batch_bodies(db_url: str) -> list[bytes]:
    """The push request bodies the platform stored (the exact bytes the client sent)."""
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [b.encode("utf-8") for b in conn.scalars(select(schema.batches.c.body))]
    finally:
        engine.dispose()


def _photos(store: Store) -> list[bytes]:
    with store.read() as s:
        hashes = sorted(set(s.scalars(select(Attachment.sha256))))
    return [attachment_path(store, h).read_bytes() for h in hashes]


if __name__ == "__main__":
    main()
