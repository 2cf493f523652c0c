"""Tallies the dashboards read instead of the records (issue 7 target "dashboard over 1,000,000
records opens in ≤ 1 s"): ``periodic_latest`` (the last live periodic report of an enterprise
per kind), ``inspection_tally`` / ``inspection_tally_person`` (the counted inspections and their
inspectors) and ``rectification_tally`` (the live items with their enterprise's division); models
in ohinspect/store/models/verdicts.py.

They are kept by SQLite triggers of migration 0010, in the transaction of every write to
``periodic_report``, ``inspection``, ``rectification_item`` or ``enterprise`` — a service's
unit of work, a sync pull, a batch import, a fetch or a bulk insert — so no write path calls
anything and none can forget to. Unlike the stored verdicts (:mod:`.verdicts`), whose inputs are judged in Python and so are
worked out after the write and checked by a fingerprint, a tally is plain SQL over the rows a
write touches: the triggers recompute it in the same transaction, and it cannot fall behind
while the triggers exist. What can remove them is a later migration that rebuilds one of those
tables (SQLite batch mode drops a table's triggers): :func:`check_tallies` refuses to read the
tallies then, rather than show figures that silently stopped following the records.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from ohinspect.errors import StoreError
from ohinspect.i18n import tr

#: the triggers of migration 0010 that keep the tallies
TRIGGERS = tuple(f"tally_{table}_{verb}"
                 for table in ("periodic", "inspection", "rectification", "enterprise")
                 for verb in ("insert", "update", "delete"))


def check_tallies(session: Session) -> None:
    """Raise :class:`StoreError` when a trigger that keeps the tallies is missing."""
    found = set(session.scalars(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally\\_%' "
        "ESCAPE '\\'")))
    missing = [name for name in TRIGGERS if name not in found]
    if missing:
        raise StoreError(tr("dash.error.tallies", names=", ".join(missing)))
