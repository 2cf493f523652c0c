"""A batch written by an older app (devices are upgraded one by one): the columns added since
its schema revision are filled as the store fills a record made without them, it imports, and
importing it again changes nothing. A missing column that cannot be filled, or one missing
from a batch of this app's own version, still refuses the batch with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ohinspect.batches import importer
from ohinspect.batches.errors import BatchRefused
from ohinspect.store.migrations import head_revision
from ohinspect.store.models import Enterprise
from ohinspect.store.serialize import content_hash
from tests.unit.batches.conftest import SmallWorld, open_supervisor, store_digest

#: before migration 0004 added Enterprise.org_kind (default "employer")
BEFORE_ORG_KIND = "0003"


def _older(w: SmallWorld, name: str, column: str, revision: str) -> Path:
    def records(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for line in lines:
            if line["record_type"] == "enterprise":
                del line["payload"][column]
                line["hash"] = content_hash(line["payload"])
        return lines

    def manifest(data: dict[str, Any]) -> None:
        data["schema_revision"] = revision

    return w.rebuild(name, records=records, manifest=manifest)


def test_an_older_apps_batch_is_filled_and_imports_once(small_world: SmallWorld,
                                                        tmp_path: Path) -> None:
    store = open_supervisor(tmp_path / "supervisor", small_world.device)
    try:
        path = _older(small_world, "older", "org_kind", BEFORE_ORG_KIND)
        actor = store.actor("监督科长")
        first = importer.import_batch(store, actor, path)
        assert first.total("new") > 0 and first.changed
        with store.read() as s:
            kinds = set(s.scalars(select(Enterprise.org_kind)))
        assert kinds == {"employer"}
        before = store_digest(store)
        again = importer.import_batch(store, actor, path)
        assert not again.changed and again.total("already") == first.total("new")
        assert store_digest(store) == before
    finally:
        store.close()


@pytest.mark.parametrize(("column", "revision"), [
    ("org_kind", "HEAD"),          # this app's own version must carry every column
    ("name", BEFORE_ORG_KIND),     # no default and not nullable: only its author knows it
])
def test_a_column_that_cannot_be_filled_refuses_the_batch(
        small_world: SmallWorld, column: str, revision: str) -> None:
    make: Callable[[], Path] = lambda: _older(  # noqa: E731
        small_world, f"missing-{column}", column,
        head_revision() if revision == "HEAD" else revision)
    store = small_world.supervisor
    before = store_digest(store)
    with pytest.raises(BatchRefused) as err:
        importer.import_batch(store, store.actor("监督科长"), make())
    assert err.value.code == "record_schema"
    assert store_digest(store) == before
