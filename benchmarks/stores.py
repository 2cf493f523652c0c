"""Benchmark stores, built once and cached: the demo store and synthetic stores of N enterprises."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ohinspect.demo import DEMO_USER, build_demo
from ohinspect.demo.enterprises import synthetic_enterprises
from ohinspect.services.enterprise_import import import_enterprises
from ohinspect.store.database import Store

CACHE = Path(os.environ.get("OHINSPECT_BENCH_CACHE", Path.home() / ".cache" / "ohinspect-bench"))


def store_dir(name: str) -> Path:
    return CACHE / name


def ensure_store(enterprises: int | None) -> Path:
    """A data folder with the demo store (``None``) or ``enterprises`` synthetic ones."""
    name = "demo" if enterprises is None else f"enterprises-{enterprises}"
    folder = store_dir(name)
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    store = Store.open(folder)
    try:
        if enterprises is None:
            build_demo(store)
        else:
            import_enterprises(store, store.actor(DEMO_USER), list(synthetic_enterprises(enterprises)))
    finally:
        store.close()
    marker.write_text(f"built in {time.perf_counter() - started:.1f} s\n")
    print(f"built {name} store in {time.perf_counter() - started:.1f} s at {folder}")
    return folder
