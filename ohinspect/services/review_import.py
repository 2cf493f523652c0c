"""Importing many batch files for review (issue 7 items 2–3): one file after the other through
:func:`ohinspect.batches.importer.import_batch`, each all or nothing on its own; Cancel stops
the file in progress (nothing of it written) and leaves the files not reached yet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.importer import ImportSummary, import_batch
from ohinspect.progress import Cancelled, Reporter
from ohinspect.store.changes import Changes
from ohinspect.store.database import Store
from ohinspect.store.models import RECORD_TYPES
from ohinspect.store.uow import Actor

IMPORTED, REFUSED, CANCELLED = "imported", "refused", "cancelled"


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    outcome: str                        # imported | refused | cancelled
    summary: ImportSummary | None = None
    message: str = ""                   # why it was refused


class FilesReporter(Reporter):
    """Progress over several files: which file, and how far within it."""

    def __init__(self) -> None:
        super().__init__()
        self.file_index = 0
        self.file_count = 0


def import_batches(store: Store, actor: Actor, paths: Sequence[Path], *,
                   allow_outside: bool = False,
                   reporter: Reporter | None = None) -> list[FileOutcome]:
    """Import ``paths`` in order; one outcome per file."""
    reporter = reporter or Reporter()
    out: list[FileOutcome] = []
    for n, path in enumerate(paths):
        if isinstance(reporter, FilesReporter):
            reporter.file_index, reporter.file_count = n + 1, len(paths)
        try:
            reporter.check()
            summary = import_batch(store, actor, Path(path), allow_outside=allow_outside,
                                   reporter=reporter)
        except Cancelled:
            out.extend(FileOutcome(Path(p), CANCELLED) for p in paths[n:])
            break
        except BatchRefused as exc:
            out.append(FileOutcome(Path(path), REFUSED, message=exc.user_message()))
        else:
            out.append(FileOutcome(Path(path), IMPORTED, summary))
    return out


def changes_of(outcomes: Sequence[FileOutcome]) -> Changes:
    """Every record type an import may have brought (the screens reload what they show)."""
    if any(o.summary is not None and o.summary.changed for o in outcomes):
        return Changes(frozenset(RECORD_TYPES))
    return Changes()
