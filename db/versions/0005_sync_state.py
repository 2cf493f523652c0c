"""sync state

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Issue 6 (client side of sync protocol v1, docs/design/issue6-sync.md): local-only tables that
never travel — the last version the server acknowledged per record, conflicts waiting for a
person, the push batch in flight, and received records waiting for their parent; and an
index on the outbox by record, which push reads and deletes by.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_record',
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('base_hash', sa.String(length=64), nullable=False),
    sa.Column('server_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('record_type', 'record_id', name=op.f('pk_sync_record'))
    )
    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('local_hash', sa.String(length=64), nullable=False),
    sa.Column('local_payload', sa.Text(), nullable=False),
    sa.Column('server_hash', sa.String(length=64), nullable=False),
    sa.Column('server_payload', sa.Text(), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_record_type'), ['record_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_record_id'), ['record_id'], unique=False)
    op.create_table('sync_batch',
    sa.Column('batch_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('item_keys', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_sync_batch'))
    )
    op.create_table('sync_pending',
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('server_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('record_type', 'record_id', name=op.f('pk_sync_pending'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_record'),
                              ['record_type', 'record_id', 'change_seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_record'))
    op.drop_table('sync_pending')
    op.drop_table('sync_batch')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_record_id'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict_record_type'))
    op.drop_table('sync_conflict')
    op.drop_table('sync_record')
