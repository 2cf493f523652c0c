"""dashboard speed

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

Issue 7 target "dashboard over 1,000,000 records opens in ≤ 1 s" (benchmarks/bench_dashboard.py):

* ``sampling_verdict`` / ``sampling_verdict_set`` — the stored verdicts of signed sampling tasks
  with the fingerprint of their inputs (derived data, never synced;
  ohinspect/services/verdicts.py), so the monitoring pass rate is a query, not an evaluation
  of every task of the period;
* indexes on what the dashboard queries filter on (ohinspect/dashboards/*): the inspections of
  a period with their inspectors (covering: the rows, wide with the template snapshot, are not
  read), the live reports of an employer per kind, the rectification items of a period
  (covering), the sampling tasks of a period, an enterprise's division by id (covering: the
  jurisdiction test of every indicator without reading enterprise rows), the live employers of
  a jurisdiction by risk class (covering), a task's samples and their lab results' change
  numbers (the verdicts' fingerprint read from indexes alone), and the 三同时 coverage's
  projects of a jurisdiction, their stage dates and signed verifications (covering).
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_inspection_period': ('inspection', ['started_at', 'deleted_at', 'enterprise_id',
                                            'locked_at', 'id', 'inspectors']),
    'ix_periodic_report_live': ('periodic_report',
                                ['enterprise_id', 'kind', 'deleted_at', 'report_date']),
    'ix_rectification_item_period': ('rectification_item',
                                     ['deadline', 'status', 'enterprise_id', 'closed_at',
                                      'deleted_at']),
    'ix_lab_result_fingerprint': ('lab_result',
                                  ['sample_id', 'change_seq', 'modified_at', 'deleted_at']),
    'ix_sample_task': ('sample', ['task_id', 'id']),
    'ix_sampling_task_planned_on': ('sampling_task', ['planned_on']),
    'ix_enterprise_scope': ('enterprise', ['id', 'division_code']),
    'ix_enterprise_employers': ('enterprise', ['org_kind', 'deleted_at', 'division_code',
                                               'risk_class', 'id']),
    'ix_project_scope': ('project', ['division_code', 'deleted_at', 'risk_class', 'id']),
    'ix_project_stage_dates': ('project_stage', ['project_id', 'stage', 'deleted_at',
                                                 'completed_on', 'started_on']),
    'ix_inspection_verification': ('inspection', ['project_id', 'kind', 'stage', 'locked_at',
                                                  'deleted_at']),
}


def upgrade() -> None:
    op.create_table('sampling_verdict_set',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('fingerprint', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_sampling_verdict_set'))
    )
    op.create_table('sampling_verdict',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.String(length=36), nullable=True),
    sa.Column('hazard_code', sa.String(length=60), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('task_id', 'seq', name=op.f('pk_sampling_verdict'))
    )
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    op.drop_table('sampling_verdict')
    op.drop_table('sampling_verdict_set')
