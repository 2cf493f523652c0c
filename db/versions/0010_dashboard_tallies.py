"""dashboard tallies

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23

Issue 7 target "dashboard over 1,000,000 records opens in ≤ 1 s" (benchmarks/bench_dashboard.py):
derived tables that SQLite triggers keep up to date in the transaction of every write — a
service's unit of work, a sync pull, a batch import, a fetch or a bulk insert alike — so no
write path needs a hook (ohinspect/services/tallies.py reads them):

* ``periodic_latest`` — per enterprise and kind the date of its last live periodic report, with
  the enterprise's division, risk class, kind of organisation and liveness (the overdue
  indicator scans one index instead of looking up each employer's reports);
* ``inspection_tally`` / ``inspection_tally_person`` — every live inspection that is not an
  amendment (an amendment corrects an inspection, it is not another one), with its start and
  its enterprise's division, and each inspector named on it once (enforcement-ID number, else
  the name: the JSON is parsed when the inspection is written, not on every dashboard open);
* ``rectification_tally`` — every live rectification item with its enterprise's division (the
  rates read one index in division order instead of looking up each item's enterprise).

Each trigger recomputes the rows of the records it touches from the source tables (never adds
or subtracts), so a re-sent or replaced row leaves the same result. The enterprise columns are
copied: an enterprise written after its records (sync order) or changed later fills them in.
The tables are filled from the existing records here. A later migration that rebuilds
``enterprise``, ``periodic_report``, ``inspection`` or ``rectification_item`` (batch mode) drops
these triggers and must create them again, as 0009 does for its table (ohinspect/services/
tallies.py refuses to read the tallies without them; tests/unit/test_dashboard_tallies.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

LIVE_ENTERPRISE = "(e.id IS NOT NULL AND e.deleted_at IS NULL)"


def _periodic(where: str) -> str:
    """The ``periodic_latest`` rows of the reports matching ``where`` (alias r)."""
    return ("INSERT INTO periodic_latest (enterprise_id, kind, last_date, division_code, "
            "risk_class, org_kind, live) "
            "SELECT r.enterprise_id, r.kind, max(r.report_date), e.division_code, e.risk_class, "
            f"e.org_kind, {LIVE_ENTERPRISE} FROM periodic_report r "
            "LEFT JOIN enterprise e ON e.id = r.enterprise_id "
            f"WHERE r.deleted_at IS NULL AND {where} GROUP BY r.enterprise_id, r.kind")


def _counted(i: str) -> str:
    return f"{i}.deleted_at IS NULL AND {i}.amends_id IS NULL"


def _inspections(i: str) -> list[str]:
    """The tally rows of inspection ``i`` (NEW in a trigger) or of every inspection (``i``)."""
    whole = "" if i == "NEW" else f"inspection {i}, "
    division = f"(SELECT division_code FROM enterprise WHERE id = {i}.enterprise_id)"
    signed = f"{i}.locked_at IS NOT NULL"
    # json_each of text that is not JSON fails: such a list names nobody (never abort a write)
    people = (f"json_each(CASE WHEN json_valid({i}.inspectors) THEN {i}.inspectors "
              "ELSE '[]' END) p")
    key = ("coalesce(nullif(json_extract(p.value, '$.id_no'), ''), "
           "json_extract(p.value, '$.name'), '')")
    return [
        "INSERT INTO inspection_tally (inspection_id, enterprise_id, division_code, started_at, "
        f"signed) SELECT {i}.id, {i}.enterprise_id, {division}, {i}.started_at, {signed} "
        f"{'FROM ' + whole.rstrip(', ') if whole else ''} WHERE {_counted(i)}",
        "INSERT INTO inspection_tally_person (inspection_id, person_key, name, enterprise_id, "
        f"division_code, started_at, signed) SELECT {i}.id, {key}, "
        f"max(json_extract(p.value, '$.name')), {i}.enterprise_id, {division}, {i}.started_at, "
        f"{signed} FROM {whole}{people} WHERE {_counted(i)} "
        f"GROUP BY {i}.id, {key}",
    ]


def _items(i: str) -> str:
    """The tally row of rectification item ``i`` (NEW in a trigger) or of every item."""
    whole = "" if i == "NEW" else f"FROM rectification_item {i} "
    return ("INSERT INTO rectification_tally (item_id, enterprise_id, division_code, deadline, "
            f"status, closed_at) SELECT {i}.id, {i}.enterprise_id, (SELECT division_code FROM "
            f"enterprise WHERE id = {i}.enterprise_id), {i}.deadline, {i}.status, {i}.closed_at "
            f"{whole}WHERE {i}.deleted_at IS NULL")


def _enterprise_copy(row: str) -> list[str]:
    """Copy enterprise ``row``'s columns into the tallies of its records (OLD after a delete:
    the division and class are cleared, the enterprise no longer live)."""
    gone = row == "OLD"
    division = "NULL" if gone else f"{row}.division_code"
    return [
        f"UPDATE periodic_latest SET division_code = {division}, "
        f"risk_class = {'NULL' if gone else f'{row}.risk_class'}, "
        f"org_kind = {'NULL' if gone else f'{row}.org_kind'}, "
        f"live = {'0' if gone else f'{row}.deleted_at IS NULL'} WHERE enterprise_id = {row}.id",
        f"UPDATE inspection_tally SET division_code = {division} WHERE enterprise_id = {row}.id",
        f"UPDATE inspection_tally_person SET division_code = {division} "
        f"WHERE enterprise_id = {row}.id",
        f"UPDATE rectification_tally SET division_code = {division} "
        f"WHERE enterprise_id = {row}.id",
    ]


def _periodic_refresh(row: str) -> list[str]:
    return [f"DELETE FROM periodic_latest WHERE enterprise_id = {row}.enterprise_id "
            f"AND kind = {row}.kind",
            _periodic(f"r.enterprise_id = {row}.enterprise_id AND r.kind = {row}.kind")]


def _inspection_forget(row: str) -> list[str]:
    return [f"DELETE FROM inspection_tally WHERE inspection_id = {row}.id",
            f"DELETE FROM inspection_tally_person WHERE inspection_id = {row}.id"]


def _item_forget(row: str) -> list[str]:
    return [f"DELETE FROM rectification_tally WHERE item_id = {row}.id"]


def _on_change(table: str, columns: tuple[str, ...]) -> str:
    """An update of ``columns`` that changes one (a sync merge or a batch import sets every
    column of a record it updates: most such updates change none of these)."""
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return f"AFTER UPDATE OF {', '.join(columns)} ON {table} WHEN {changed}"


TRIGGERS = {
    "tally_periodic_insert": ("AFTER INSERT ON periodic_report", _periodic_refresh("NEW")),
    "tally_periodic_update": (_on_change("periodic_report", ("enterprise_id", "kind",
                                                             "report_date", "deleted_at")),
                              _periodic_refresh("OLD") + _periodic_refresh("NEW")),
    "tally_periodic_delete": ("AFTER DELETE ON periodic_report", _periodic_refresh("OLD")),
    "tally_inspection_insert": ("AFTER INSERT ON inspection",
                                _inspection_forget("NEW") + _inspections("NEW")),
    "tally_inspection_update": (_on_change("inspection", ("enterprise_id", "started_at",
                                                          "inspectors", "locked_at",
                                                          "deleted_at", "amends_id")),
                                _inspection_forget("OLD") + _inspections("NEW")),
    "tally_inspection_delete": ("AFTER DELETE ON inspection", _inspection_forget("OLD")),
    "tally_rectification_insert": ("AFTER INSERT ON rectification_item",
                                   _item_forget("NEW") + [_items("NEW")]),
    "tally_rectification_update": (_on_change("rectification_item", (
        "enterprise_id", "deadline", "status", "closed_at", "deleted_at")),
        _item_forget("OLD") + [_items("NEW")]),
    "tally_rectification_delete": ("AFTER DELETE ON rectification_item", _item_forget("OLD")),
    "tally_enterprise_insert": ("AFTER INSERT ON enterprise", _enterprise_copy("NEW")),
    "tally_enterprise_update": (_on_change("enterprise", ("division_code", "risk_class",
                                                          "org_kind", "deleted_at")),
                                _enterprise_copy("NEW")),
    "tally_enterprise_delete": ("AFTER DELETE ON enterprise", _enterprise_copy("OLD")),
}


def upgrade() -> None:
    op.create_table('periodic_latest',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('last_date', sa.Date(), nullable=False),
    sa.Column('division_code', sa.String(length=6), nullable=True),
    sa.Column('risk_class', sa.String(length=20), nullable=True),
    sa.Column('org_kind', sa.String(length=30), nullable=True),
    sa.Column('live', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('enterprise_id', 'kind', name=op.f('pk_periodic_latest'))
    )
    op.create_index('ix_periodic_latest_scope', 'periodic_latest',
                    ['org_kind', 'live', 'risk_class', 'kind', 'division_code', 'last_date',
                     'enterprise_id'], unique=False)
    op.create_table('inspection_tally',
    sa.Column('inspection_id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('division_code', sa.String(length=6), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('inspection_id', name=op.f('pk_inspection_tally'))
    )
    op.create_index('ix_inspection_tally_period', 'inspection_tally',
                    ['started_at', 'division_code', 'signed'], unique=False)
    op.create_index(op.f('ix_inspection_tally_enterprise_id'), 'inspection_tally',
                    ['enterprise_id'], unique=False)
    op.create_table('inspection_tally_person',
    sa.Column('inspection_id', sa.String(length=36), nullable=False),
    sa.Column('person_key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('division_code', sa.String(length=6), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('inspection_id', 'person_key',
                            name=op.f('pk_inspection_tally_person'))
    )
    op.create_index('ix_inspection_tally_person_key', 'inspection_tally_person',
                    ['person_key', 'started_at', 'division_code', 'signed', 'name'],
                    unique=False)
    op.create_index(op.f('ix_inspection_tally_person_enterprise_id'), 'inspection_tally_person',
                    ['enterprise_id'], unique=False)
    op.create_table('rectification_tally',
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('division_code', sa.String(length=6), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_rectification_tally'))
    )
    op.create_index('ix_rectification_tally_scope', 'rectification_tally',
                    ['division_code', 'deadline', 'status', 'closed_at'], unique=False)
    op.create_index(op.f('ix_rectification_tally_enterprise_id'), 'rectification_tally',
                    ['enterprise_id'], unique=False)
    op.execute(_periodic("1"))
    op.execute(_items("r"))
    for sql in _inspections("i"):
        op.execute(sql)
    for name, (event, statements) in TRIGGERS.items():
        body = "; ".join(statements)
        op.execute(f'CREATE TRIGGER "{name}" {event} BEGIN {body}; END')


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f'DROP TRIGGER "{name}"')
    op.drop_index(op.f('ix_rectification_tally_enterprise_id'), table_name='rectification_tally')
    op.drop_index('ix_rectification_tally_scope', table_name='rectification_tally')
    op.drop_table('rectification_tally')
    op.drop_index(op.f('ix_inspection_tally_person_enterprise_id'),
                  table_name='inspection_tally_person')
    op.drop_index('ix_inspection_tally_person_key', table_name='inspection_tally_person')
    op.drop_table('inspection_tally_person')
    op.drop_index(op.f('ix_inspection_tally_enterprise_id'), table_name='inspection_tally')
    op.drop_index('ix_inspection_tally_period', table_name='inspection_tally')
    op.drop_table('inspection_tally')
    op.drop_index('ix_periodic_latest_scope', table_name='periodic_latest')
    op.drop_table('periodic_latest')
