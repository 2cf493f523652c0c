"""Property-based test of the importer: thousands of mutated batches (bit flips, truncation,
renamed entries, changed manifest fields — re-signed or not). Never a crash: the only error is
BatchRefused, and then nothing changed; never a partial import: an accepted batch leaves
exactly the records of the valid one."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.unit.batches.conftest import SmallWorld, open_supervisor, read_entries, store_digest, write_entries
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.format import MANIFEST, SIGNATURE
from ohinspect.batches.importer import STAGING_DIR, import_batch
from ohinspect.store.database import Store
from ohinspect.store.serialize import canonical_json
from ohinspect.sync.device_key import sign_body

#: what differs between two supervisor stores anyway: their identity (store_meta) and the
#: audit log (each accepted import is audited with its batch id and author)
RECORD_DIGEST_SKIP = ("audit_log", "store_meta")
FUZZ = settings(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: examples per mutation kind below: 2,000 in all, about 40 s on one laptop core
TRICKY_NAMES = ["../manifest.json", "/records.jsonl", "C:records.jsonl", "blobs\\x",
                "blobs/", "blobs/../manifest.json", "./records.jsonl", "manifest.json",
                "records.jsonl", "manifest.sig", "blobs/" + "0" * 64, "清单.json", ""]
JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


@dataclass
class Fuzz:
    world: SmallWorld
    store: Store
    data: bytes
    manifest: dict[str, Any]
    reference: str  # record digest of a store that imported the valid batch
    folder: Path

    current: str = ""  # digest of the target store now (changes only when a batch is accepted)

    def check(self, data: bytes) -> str:
        path = self.folder / "mutant.ohbatch"
        path.write_bytes(data)
        try:
            import_batch(self.store, self.store.actor("监督科长"), path)
        except BatchRefused as exc:
            assert store_digest(self.store) == self.current, exc.code  # nothing changed
            outcome = exc.code
        else:  # all or nothing: exactly the records (and photos) of the valid batch
            assert store_digest(self.store, skip=RECORD_DIGEST_SKIP) == self.reference
            self.current = store_digest(self.store)
            outcome = "accepted"
        assert not (self.store.data_dir / STAGING_DIR).exists()
        event(outcome)  # --hypothesis-show-statistics lists which refusals were reached
        return outcome


@pytest.fixture(scope="module")
def fuzz(small_world: SmallWorld, tmp_path_factory: pytest.TempPathFactory) -> Fuzz:
    root = tmp_path_factory.mktemp("fuzz")
    reference = open_supervisor(root / "reference", small_world.device)
    import_batch(reference, reference.actor("监督科长"), small_world.valid)
    digest = store_digest(reference, skip=RECORD_DIGEST_SKIP)
    reference.close()
    store = open_supervisor(root / "target", small_world.device)
    with zipfile.ZipFile(small_world.valid) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    return Fuzz(small_world, store, small_world.valid.read_bytes(), manifest, digest, root,
                store_digest(store))


@settings(FUZZ, max_examples=700)
@given(flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 7)), min_size=1, max_size=6))
def test_bit_flips(fuzz: Fuzz, flips: list[tuple[int, int]]) -> None:
    data = bytearray(fuzz.data)
    for pos, bit in flips:
        data[pos % len(data)] ^= 1 << bit
    fuzz.check(bytes(data))


@settings(FUZZ, max_examples=300)
@given(cut=st.integers(0, 10**9))
def test_truncation(fuzz: Fuzz, cut: int) -> None:
    assert fuzz.check(fuzz.data[:cut % len(fuzz.data)]) != "accepted"


@settings(FUZZ, max_examples=400)
@given(index=st.integers(0, 100), name=st.sampled_from(TRICKY_NAMES) | st.text(max_size=24))
def test_entry_renames(fuzz: Fuzz, index: int, name: str) -> None:
    entries = read_entries(fuzz.world.valid)
    info, data = entries[index % len(entries)]
    renamed = zipfile.ZipInfo(name or "x", info.date_time)
    renamed.compress_type, renamed.external_attr = info.compress_type, info.external_attr
    entries[index % len(entries)] = (renamed, data)
    path = write_entries(fuzz.folder / "renamed.ohbatch", entries)
    outcome = fuzz.check(path.read_bytes())
    assert outcome != "accepted" or renamed.filename == info.filename


@settings(FUZZ, max_examples=600)
@given(field=st.sampled_from(["format", "format_version", "schema_revision", "batch_id",
                              "created_at", "device_id", "key_id", "author", "jurisdiction",
                              "app_version", "range", "parts", "part.name", "part.sha256",
                              "part.size", "part.kind", "part.count", "new"]),
       value=JSON, part=st.integers(0, 100), resign=st.booleans())
def test_manifest_changes(fuzz: Fuzz, field: str, value: Any, part: int, resign: bool) -> None:
    manifest = json.loads(json.dumps(fuzz.manifest))
    if field.startswith("part."):
        manifest["parts"][part % len(manifest["parts"])][field[5:]] = value
    else:
        manifest["zz-new" if field == "new" else field] = value
    body = canonical_json(manifest).encode()
    entries = []
    for info, data in read_entries(fuzz.world.valid):
        if info.filename == MANIFEST:
            data = body
        elif info.filename == SIGNATURE and resign:
            data = sign_body(fuzz.world.device.key.private, body).encode()
        entries.append((info, data))
    path = write_entries(fuzz.folder / "manifest.ohbatch", entries)
    outcome = fuzz.check(path.read_bytes())
    if not resign and body != json.dumps(fuzz.manifest).encode():
        assert outcome != "accepted"
