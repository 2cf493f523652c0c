"""The reader's limits, as data (resources/rules/batch_limits.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

from ohinspect.errors import DataFileError
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource

RESOURCE = "rules/batch_limits.yaml"


@dataclass(frozen=True)
class BatchLimits:
    max_file_bytes: int
    max_entries: int
    max_total_bytes: int
    max_entry_bytes: int
    max_ratio: int
    ratio_min_bytes: int
    max_manifest_bytes: int
    max_signature_bytes: int
    max_record_bytes: int
    max_depth: int
    max_records: int
    max_key_file_bytes: int
    read_chunk_bytes: int


@lru_cache(maxsize=1)
def load_limits() -> BatchLimits:
    data = load_resource(RESOURCE)
    try:
        values = {f.name: int(data[f.name]) for f in fields(BatchLimits)}
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(str(resources_dir() / RESOURCE), f"malformed: {exc!r}") from exc
    if any(v <= 0 for v in values.values()):
        raise DataFileError(str(resources_dir() / RESOURCE), "every limit must be positive")
    return BatchLimits(**values)
