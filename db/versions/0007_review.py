"""review

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

Issue 7 item 3 (supervisor review): review decisions. "Review decisions are audited (who,
when, why) and cannot be altered after they synced": triggers refuse deleting a decision, and
changing (or replacing) one the platform acknowledged or that arrived from another device —
the ``sync_record`` row of migration 0005 (a push acknowledged, a pull received) or the
``batch_version`` row of migration 0006 (a batch imported). A decision made here and not yet
synced may still be changed (by its reviewer, through ohinspect/services/review.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _refuse(message: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


SYNCED = "locked record: a review decision cannot be altered after it synced"
NO_DELETE = "append-only record: a review decision is never deleted"


def _synced(ref: str) -> str:
    return (f"EXISTS (SELECT 1 FROM sync_record WHERE record_type = 'review_decision' "
            f"AND record_id = {ref}) OR EXISTS (SELECT 1 FROM batch_version "
            f"WHERE record_type = 'review_decision' AND record_id = {ref})")


TRIGGERS = {
    "review_decision_no_delete": f"BEFORE DELETE ON review_decision {_refuse(NO_DELETE)}",
    "review_decision_synced_update": (f"BEFORE UPDATE ON review_decision WHEN {_synced('OLD.id')} "
                                      f"{_refuse(SYNCED)}"),
    "review_decision_synced_replace": (
        "BEFORE INSERT ON review_decision WHEN EXISTS (SELECT 1 FROM review_decision "
        f"WHERE id = NEW.id) AND ({_synced('NEW.id')}) {_refuse(SYNCED)}"),
}


def upgrade() -> None:
    op.create_table('review_decision',
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('reviewer', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('jurisdiction', sa.String(length=12), nullable=False),
    sa.Column('record_author', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decision'))
    )
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.create_index('ix_review_decision_record', ['record_type', 'record_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_review_decision_change_seq'), ['change_seq'],
                              unique=False)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decision_change_seq'))
        batch_op.drop_index('ix_review_decision_record')
    op.drop_table('review_decision')
