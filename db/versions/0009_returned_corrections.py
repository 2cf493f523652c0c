"""returned corrections

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23

Issue 7 item 3: a returned sampling task is corrected by an amendment — a new task that
``amends`` the signed one (its id and the reason), keeping the locked original unchanged
(ohinspect/services/sampling_amendments.py). A returned rectification closure needs no schema
change: it is a transition of resources/rules/rectification.yaml.

SQLite adds a named foreign key only by rebuilding the table (Alembic batch mode). The rebuild
drops the table's own triggers, and renaming the new table fails while other tables' triggers
name the missing one: every trigger that mentions ``sampling_task`` (the freeze triggers of
migration 0003) is read and dropped before, and created again after, unchanged.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _lift_triggers() -> list[str]:
    """Drop the triggers that mention sampling_task; their SQL, to create them again."""
    rows = op.get_bind().execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND sql LIKE '%sampling_task%' ORDER BY name")).all()
    for name, _sql in rows:
        op.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in rows]


def upgrade() -> None:
    triggers = _lift_triggers()
    with op.batch_alter_table('sampling_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amends_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('amendment_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_sampling_task_amends_id'), ['amends_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sampling_task_amends_id_sampling_task'),
                                    'sampling_task', ['amends_id'], ['id'],
                                    initially='DEFERRED', deferrable=True)
    with op.batch_alter_table('sampling_task', schema=None) as batch_op:
        batch_op.alter_column('amendment_reason', server_default=None)
    for sql in triggers:
        op.execute(sql)


def downgrade() -> None:
    triggers = _lift_triggers()
    with op.batch_alter_table('sampling_task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sampling_task_amends_id_sampling_task'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sampling_task_amends_id'))
        batch_op.drop_column('amendment_reason')
        batch_op.drop_column('amends_id')
    for sql in triggers:
        op.execute(sql)
