"""The set-wise half of the merge (ohinspect/sync/merge.py): what a page needs from the store,
read with a few ``IN`` queries, and the page's rows written with ``executemany``.

Writes go in *runs*: consecutive operations of the same kind on the same table, in the order
the record-by-record merge would issue them, each run inside one savepoint. A run the schema
refuses (a lock trigger, a unique number already taken) is rolled back and replayed record by
record, each in its own savepoint, so every record that fails becomes a conflict exactly as if
the page had been applied one record at a time: the statements, their order and therefore the
outcome are the same; only the number of round trips differs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ohinspect.store.models import RECORD_TYPES, Base, OutboxEntry, SyncPending, SyncRecord
from ohinspect.store.serialize import to_jsonable
from ohinspect.sync import local
from ohinspect.sync.merge_params import bind_processor

Key = tuple[str, str]
#: values per ``IN (…)`` list of bound parameters, well under SQLite's limit on them
CHUNK = 400
INSERT, UPDATE, ORM = "insert", "update", "orm"


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


@lru_cache(maxsize=None)
def _model_of_table(name: str) -> Any:
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == name:
            return mapper.class_
    raise KeyError(name)


@lru_cache(maxsize=None)
def foreign_keys(record_type: str) -> tuple[tuple[str, Any], ...]:
    """(column key, referenced model) of every foreign key of a record type."""
    table = RECORD_TYPES[record_type].__table__  # type: ignore[attr-defined]
    return tuple((column.key, _model_of_table(fk.column.table.name))
                 for column in table.columns for fk in column.foreign_keys)


@lru_cache(maxsize=None)
def _defaulted(record_type: str) -> tuple[str, ...]:
    """Synced columns where the ORM replaces an inserted ``None`` by the column's default (it
    leaves such a column out of its INSERT); a row with ``None`` there goes through the ORM."""
    model = RECORD_TYPES[record_type]
    return tuple(c.key for c in model.__table__.columns  # type: ignore[attr-defined]
                 if c.key not in model.LOCAL_COLUMNS and not c.type.should_evaluate_none
                 and (c.default is not None or c.server_default is not None))


def one_of(column: Any, values: Iterable[Any]) -> Any:
    """``column IN (values)`` with ONE parameter, a JSON array SQLite unpacks (``json_each``): a
    page's thousands of keys need neither a statement per few hundred nor hundreds of parameters
    prepared one by one, and the lookup still goes through the index on ``column``."""
    array = func.json_each(json.dumps(list(values), ensure_ascii=False)).table_valued("value")
    return column.in_(select(array.c.value))


def existing_ids(session: Session, refs: Iterable[tuple[Any, Any]]) -> set[tuple[Any, Any]]:
    """Which of the (model, primary key) pairs exist in the store."""
    by_model: dict[Any, list[Any]] = {}
    for model, pk in refs:
        by_model.setdefault(model, []).append(pk)
    found: set[tuple[Any, Any]] = set()
    for model, pks in by_model.items():
        (column,) = model.__mapper__.primary_key
        found.update((model, pk) for pk in session.scalars(select(column).where(
            one_of(column, dict.fromkeys(pks)))))
    return found


@dataclass(frozen=True)
class Row:
    """A record as the store holds it: column values and its sync payload."""

    values: dict[str, Any]
    payload: dict[str, Any]


def _rows(session: Session, record_type: str, ids: list[str] | None) -> Iterator[Row]:
    """The records of one type as Core rows (no ORM objects): those of ``ids``, or all."""
    model = RECORD_TYPES[record_type]
    table = model.__table__  # type: ignore[attr-defined]
    synced = [c.key for c in table.columns if c.key not in model.LOCAL_COLUMNS]
    query = select(table) if ids is None else select(table).where(one_of(table.c.id, ids))
    for r in session.execute(query).mappings():
        values = {c.key: r[c] for c in table.columns}
        yield Row(values, {k: to_jsonable(values[k]) for k in synced})


def current_rows(session: Session, keys: Iterable[Key]) -> dict[Key, Row]:
    return {(record_type, row.values["id"]): row
            for record_type, ids in by_type(keys).items()
            for row in _rows(session, record_type, ids)}


def all_rows(session: Session, record_type: str) -> Iterator[Row]:
    """Every record of ``record_type`` (the post-sync check's digest reads them all)."""
    return _rows(session, record_type, None)


def by_type(keys: Iterable[Key]) -> dict[str, list[str]]:
    """Record ids grouped by record type: ``record_type = ? AND record_id IN (…)`` finds them
    through the (record_type, record_id, …) indexes, where a row-value ``IN`` scans."""
    grouped: dict[str, list[str]] = {}
    for record_type, record_id in keys:
        grouped.setdefault(record_type, []).append(record_id)
    return grouped


def pending_keys(session: Session, keys: list[Key]) -> set[Key]:
    """The records among ``keys`` with a local change waiting in the outbox (ix_outbox_record)."""
    found: set[Key] = set()
    for record_type, ids in by_type(keys).items():
        found.update((record_type, i) for i in session.scalars(
            select(OutboxEntry.record_id).distinct()
            .where(OutboxEntry.record_type == record_type, one_of(OutboxEntry.record_id, ids))))
    return found


def differs(record_type: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Would the ORM write anything (it compares each column with its type's equality)?"""
    columns = RECORD_TYPES[record_type].__table__.columns  # type: ignore[attr-defined]
    return any(not columns[k].type.compare_values(old[k], v) for k, v in new.items())


@dataclass
class Op:
    """One record to write: an insert, an update, or a row left to the ORM."""

    kind: str
    record_type: str
    values: dict[str, Any]
    payload: dict[str, Any]
    ok: bool = True


def insert_kind(record_type: str, values: dict[str, Any]) -> str:
    return ORM if None in _defaulted_values(record_type)(values) else INSERT


@lru_cache(maxsize=None)
def _defaulted_values(record_type: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    return tuple_getter(_defaulted(record_type))


def tuple_getter(keys: Sequence[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """What takes the values of ``keys`` from a dict as a tuple, in C (``itemgetter`` gives a
    bare value for one key: that case is wrapped)."""
    if len(keys) == 1:
        key = keys[0]
        return lambda values: (values[key],)
    return itemgetter(*keys) if keys else lambda values: ()


def _runs(ops: list[Op]) -> Iterator[list[Op]]:
    run: list[Op] = []
    for op in ops:
        if run and (op.kind == ORM or (op.kind, op.record_type) != (run[0].kind,
                                                                     run[0].record_type)):
            yield run
            run = []
        run.append(op)
    if run:
        yield run


#: the local-only columns of a received record: it is no local change
_RECEIVED = {"change_seq": 0}


@lru_cache(maxsize=256)
def _statement(record_type: str, kind: str, dialect: Dialect
               ) -> tuple[str, Any, tuple[Any, ...], tuple[tuple[int, Any], ...]]:
    """The INSERT (every column) or UPDATE (every synced column, by id) of a record type for
    ``executemany`` on the driver; what takes its parameters from a row's values, in order;
    the parameters that follow them, the same in every row (the local-only columns of an
    INSERT); and (position, bind processor) of the parameters the driver cannot take as they
    are."""
    model = RECORD_TYPES[record_type]
    table = model.__table__  # type: ignore[attr-defined]
    quote = dialect.identifier_preparer.quote
    synced = [c for c in table.columns if c.key not in model.LOCAL_COLUMNS]
    if kind == INSERT:
        local_only = [c for c in table.columns if c.key in model.LOCAL_COLUMNS]
        columns = synced + local_only
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
               f"VALUES ({', '.join('?' * len(columns))})")
        tail = tuple(_RECEIVED[c.key] for c in local_only)
    else:
        columns = [c for c in synced if c.key != "id"] + [table.c.id]
        sql = (f"UPDATE {quote(table.name)} SET "
               f"{', '.join(f'{quote(c.name)} = ?' for c in columns[:-1])}"
               f" WHERE {quote(table.c.id.name)} = ?")
        tail = ()
    processors = ((n, bind_processor(c, dialect)) for n, c in enumerate(columns))
    keys = [c.key for c in columns[:len(columns) - len(tail)]]
    return (sql, tuple_getter(keys), tail, tuple((n, p) for n, p in processors if p))


def _execute(session: Session, run: list[Op]) -> None:
    connection = session.connection()
    sql, get, tail, processors = _statement(run[0].record_type, run[0].kind, connection.dialect)
    rows = [get(op.values) for op in run]
    if processors or tail:  # column by column: the loops over rows stay in C
        columns = list(zip(*rows))
        for n, process in processors:
            columns[n] = tuple(map(process, columns[n]))
        rows = list(zip(*columns, *(repeat(value, len(rows)) for value in tail)))
    connection.exec_driver_sql(sql, rows)
    if run[0].kind == UPDATE:  # the identity map must not keep the old version
        expire(session, RECORD_TYPES[run[0].record_type], {(op.values["id"],) for op in run})


def expire(session: Session, model: Any, identities: set[tuple[Any, ...]]) -> None:
    """Expire what the session holds of ``model`` among ``identities`` (primary key tuples):
    rows written past the ORM must not be read back in their old version. The session holds
    few objects, so it is walked, not asked once per row written."""
    for key in list(session.identity_map.keys()):
        if key[0] is model and key[1] in identities:
            obj = session.identity_map.get(key)
            if obj is not None:
                session.expire(obj)


def _apply_one(session: Session, op: Op) -> bool:
    savepoint = session.begin_nested()
    try:
        local.apply_payload(session, op.record_type, op.payload)
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        return False
    return True


def write(session: Session, ops: list[Op]) -> None:
    """Write ``ops`` in order; an op the schema refuses gets ``ok = False`` (nothing of it
    written)."""
    for run in _runs(ops):
        if run[0].kind != ORM:
            savepoint = session.begin_nested()
            try:
                _execute(session, run)
                savepoint.commit()
                continue
            except IntegrityError:
                savepoint.rollback()
        for op in run:
            op.ok = _apply_one(session, op)


@lru_cache(maxsize=64)
def _driver_form(stmt: Any, dialect: Dialect) -> tuple[str, Any]:
    """A Core INSERT as the driver's SQL and a getter of its parameters from a row dict."""
    table = stmt.table
    if any(c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns):
        raise TypeError(f"{table.name}: a column needs bind processing")
    compiled = stmt.compile(dialect=dialect)
    return compiled.string, itemgetter(*compiled.positiontup)


def executemany(session: Session, stmt: Any, rows: list[dict[str, Any]]) -> None:
    """Run ``stmt`` (a Core INSERT, built once, on a table of plain text and number columns)
    for ``rows`` at the driver: SQLAlchemy would otherwise prepare every row in Python."""
    if rows:
        connection = session.connection()
        sql, params = _driver_form(stmt, connection.dialect)
        connection.exec_driver_sql(sql, [params(r) for r in rows])


@lru_cache(maxsize=1)
def _set_bases_statement() -> Any:
    table = SyncRecord.__table__
    stmt = sqlite_insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.record_type, table.c.record_id],
        set_={"base_hash": stmt.excluded.base_hash,
              "server_seq": func.max(table.c.server_seq, stmt.excluded.server_seq)})


def set_bases(session: Session, bases: list[tuple[str, str, str, int | None]]) -> None:
    """``local.set_base`` for many records: (record_type, record_id, base_hash, server_seq)."""
    executemany(session, _set_bases_statement(),
                [{"record_type": t, "record_id": i, "base_hash": h, "server_seq": seq or 0}
                 for t, i, h, seq in bases])
    expire(session, SyncRecord, {(t, i) for t, i, _, _ in bases})


def take_waiting(session: Session) -> list[Any]:
    """Every ``sync_pending`` row (oldest first), removed from the table."""
    rows = session.execute(select(SyncPending.__table__).order_by(SyncPending.server_seq)).all()
    session.execute(delete(SyncPending))  # ORM-enabled: the session forgets them too
    return rows


def put_waiting(session: Session, rows: list[dict[str, Any]]) -> None:
    executemany(session, _put_waiting_statement(), rows)


@lru_cache(maxsize=1)
def _put_waiting_statement() -> Any:
    return insert(SyncPending.__table__)
