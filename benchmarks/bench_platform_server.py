"""Issue 6 figure: the platform server under sustained pushes from many devices at once.

    OHINSPECT_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.bench_platform_server [--seconds 60] [--devices 50]
        [--items 20] [--db URL]

A real server process (tests/integration/platform_server.py) on a fresh PostgreSQL database
(created from $OHINSPECT_TEST_PG_URL and dropped afterwards; or ``--db URL`` to use a given
one, e.g. ``sqlite:///…``). ``--devices`` enrolled devices (ten per inspector account) push,
each in its own thread and as fast as the server answers, batches of ``--items`` records: new
sampling tasks of the device's enterprise plus a fast-forward of one of its earlier tasks.
Prints requests, errors (anything but HTTP 200 with every item accepted), throughput and
p50/p99 latency. Asserts nothing (target: 60 s at 50 devices without errors).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from tests.integration.platform.device import Device, item, new
from tests.integration.platform_server import PlatformServer, scratch_database

DEVICES_PER_USER = 10


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.records = 0

    def add(self, seconds: float, records: int, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.records += records
            if error:
                self.errors.append(error)


def device_loop(dev: Device, items: int, until: float, stats: Stats) -> None:
    ent = new(name=f"企业 {dev.device_id[:8]}", division_code="621024")
    dev.push_ok([item("enterprise", ent)])
    previous: list[dict[str, object]] = []
    while time.monotonic() < until:
        batch = [new(enterprise_id=ent["id"], notes="样品" * 40, n=i) for i in range(items - 1)]
        pushed = [item("sampling_task", t) for t in batch]
        if previous:  # a fast-forward of an earlier record, like an edit after a sync
            old = previous.pop()
            pushed.append(item("sampling_task", {**old, "notes": "修改"},
                               base_hash=item("sampling_task", old)["hash"]))
        t0 = time.perf_counter()
        error = None
        try:
            response = dev.push(pushed)
            if response.status_code != 200:
                error = f"HTTP {response.status_code}: {response.text[:200]}"
            elif {r["outcome"] for r in response.json()["results"]} != {"accepted"}:
                error = f"outcomes {response.json()['results']}"[:200]
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        stats.add(time.perf_counter() - t0, len(pushed), error)
        previous = batch
        dev.sent.clear()


def run(url: str, seconds: float, devices: int, items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, PlatformServer(url, Path(tmp)) as server:
        users = [f"inspector{i}" for i in range((devices + DEVICES_PER_USER - 1)
                                                 // DEVICES_PER_USER)]
        for user in users:
            server.add_user(user, "inspector", "621024", "secret")
        devs = [Device(server.url, users[i // DEVICES_PER_USER]) for i in range(devices)]
        for dev in devs:
            dev.enroll()
        stats = Stats()
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=device_loop, args=(d, items, until, stats))
                   for d in devs]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        for dev in devs:
            dev.close()
        lat = sorted(stats.latencies)
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        print(f"platform server: {devices} devices x {seconds:.0f} s, {items} records/batch, "
              f"{url.split(':', 1)[0]}")
        print(f"  requests: {len(lat)}  errors: {len(stats.errors)}  "
              f"({len(lat) / elapsed:.1f} req/s, {stats.records / elapsed:.0f} records/s)")
        print(f"  latency: p50 {p(0.50):.0f} ms  p99 {p(0.99):.0f} ms  "
              f"max {lat[-1] * 1000:.0f} ms  mean {statistics.mean(lat) * 1000:.0f} ms")
        for error in stats.errors[:5]:
            print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--items", type=int, default=20, help="records per batch")
    parser.add_argument("--db", help="use this database instead of a fresh PostgreSQL one")
    args = parser.parse_args()
    if args.db:
        run(args.db, args.seconds, args.devices, args.items)
        return
    with scratch_database(os.environ["OHINSPECT_TEST_PG_URL"]) as url:
        run(url, args.seconds, args.devices, args.items)


if __name__ == "__main__":
    main()
