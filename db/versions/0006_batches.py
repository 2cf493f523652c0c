"""batches

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Issue 7 (signed batch files, docs/batch-format.md): a local-only table remembering, per record
imported from a batch, which device's version (its change number) the store holds, so older
versions from the same device arriving later are superseded.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('batch_version',
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('record_type', 'record_id', name=op.f('pk_batch_version'))
    )


def downgrade() -> None:
    op.drop_table('batch_version')
