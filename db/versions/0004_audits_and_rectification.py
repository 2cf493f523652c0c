"""audits and rectification

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Issue 5: rectification history and the new item columns, institutions' staff, certificates,
instruments and blind-sample results, periodic reports, list decisions and notices; an
``org_kind`` on the enterprise registry and an ``overall_result`` on inspections (audits).

Frozen by triggers: rectification events and list decisions are never changed or deleted (a
new decision or event is recorded instead); an issued notice is frozen; blind-sample results
checked in a signed audit are frozen with it. Existing rows get the new columns' defaults.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _refuse(message: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


APPEND_ONLY = "append-only record: record a new event or decision instead"
NOTICE_FROZEN = "locked record: an issued notice is frozen; issue a new one"
AUDIT_FROZEN = "locked record: signed documents are frozen; record an amendment"
TRIGGERS = {
    "rectification_event_no_update": f"BEFORE UPDATE ON rectification_event {_refuse(APPEND_ONLY)}",
    "rectification_event_no_delete": f"BEFORE DELETE ON rectification_event {_refuse(APPEND_ONLY)}",
    "rectification_event_no_replace": (
        "BEFORE INSERT ON rectification_event WHEN EXISTS (SELECT 1 FROM rectification_event "
        f"WHERE id = NEW.id) {_refuse(APPEND_ONLY)}"),
    "list_decision_no_update": f"BEFORE UPDATE ON list_decision {_refuse(APPEND_ONLY)}",
    "list_decision_no_delete": f"BEFORE DELETE ON list_decision {_refuse(APPEND_ONLY)}",
    "list_decision_no_replace": (
        "BEFORE INSERT ON list_decision WHEN EXISTS (SELECT 1 FROM list_decision "
        f"WHERE id = NEW.id) {_refuse(APPEND_ONLY)}"),
    "notice_issued_update": f"BEFORE UPDATE ON notice WHEN OLD.status = 'issued' "
                            f"{_refuse(NOTICE_FROZEN)}",
    "notice_issued_delete": f"BEFORE DELETE ON notice WHEN OLD.status = 'issued' "
                            f"{_refuse(NOTICE_FROZEN)}",
    "notice_issued_replace": ("BEFORE INSERT ON notice WHEN (SELECT status FROM notice "
                              f"WHERE id = NEW.id) = 'issued' {_refuse(NOTICE_FROZEN)}"),
}
for _verb, _cond in (
        ("INSERT", "(SELECT locked_at FROM inspection WHERE id = NEW.inspection_id) IS NOT NULL "
                   "OR (SELECT i.locked_at FROM blind_sample_result b JOIN inspection i "
                   "ON i.id = b.inspection_id WHERE b.id = NEW.id) IS NOT NULL"),
        ("UPDATE", "(SELECT locked_at FROM inspection WHERE id = OLD.inspection_id) IS NOT NULL "
                   "OR (SELECT locked_at FROM inspection WHERE id = NEW.inspection_id) IS NOT NULL"),
        ("DELETE", "(SELECT locked_at FROM inspection WHERE id = OLD.inspection_id) IS NOT NULL")):
    TRIGGERS[f"blind_sample_result_locked_{_verb.lower()}"] = (
        f"BEFORE {_verb} ON blind_sample_result WHEN {_cond} {_refuse(AUDIT_FROZEN)}")


def upgrade() -> None:
    op.create_table('instrument',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('asset_no', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('serial_no', sa.String(length=60), nullable=False),
    sa.Column('calibrated_on', sa.Date(), nullable=True),
    sa.Column('calibration_due', sa.Date(), nullable=False),
    sa.Column('certificate_no', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_instrument_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument')),
    sa.UniqueConstraint('enterprise_id', 'asset_no', name=op.f('uq_instrument_enterprise_id_asset_no'))
    )
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_instrument_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('list_decision',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('list_kind', sa.String(length=30), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=60), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('document_no', sa.String(length=80), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_list_decision_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_decision'))
    )
    with op.batch_alter_table('list_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_decision_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_list_decision_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('periodic_report',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=False),
    sa.Column('report_no', sa.String(length=80), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_periodic_report_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_report'))
    )
    with op.batch_alter_table('periodic_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_periodic_report_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index('ix_periodic_report_latest', ['enterprise_id', 'kind', 'report_date'], unique=False)

    op.create_table('staff_member',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('position', sa.String(length=60), nullable=False),
    sa.Column('id_no', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_staff_member_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_member'))
    )
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_member_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_member_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('certificate',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('staff_member_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_certificate_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['staff_member_id'], ['staff_member.id'], name=op.f('fk_certificate_staff_member_id_staff_member'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_staff_member_id'), ['staff_member_id'], unique=False)

    op.create_table('rectification_event',
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=False),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_name', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('retest_ref', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['rectification_item.id'], name=op.f('fk_rectification_event_item_id_rectification_item'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_event'))
    )
    with op.batch_alter_table('rectification_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_event_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_event_item_id'), ['item_id'], unique=False)

    op.create_table('blind_sample_result',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('inspection_id', sa.String(length=36), nullable=True),
    sa.Column('scheme', sa.String(length=120), nullable=False),
    sa.Column('analyte', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('reported_value', sa.Float(), nullable=False),
    sa.Column('assigned_value', sa.Float(), nullable=False),
    sa.Column('sigma', sa.Float(), nullable=False),
    sa.Column('z_score', sa.Float(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('tested_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_blind_sample_result_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_blind_sample_result_inspection_id_inspection'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blind_sample_result'))
    )
    with op.batch_alter_table('blind_sample_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blind_sample_result_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_blind_sample_result_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blind_sample_result_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('notice',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('inspection_id', sa.String(length=36), nullable=True),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('item_ids', sa.JSON(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('issued_by', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_notice_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_notice_inspection_id_inspection'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_inspection_id'), ['inspection_id'], unique=False)

    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_kind', sa.String(length=30), nullable=False,
                                      server_default='employer'))

    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overall_result', sa.String(length=30), nullable=False,
                                      server_default=''))

    with op.batch_alter_table('rectification_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_ref', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('hazard_code', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('requires_retest', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('status_changed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('look_back_on', sa.Date(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_rectification_item_status'))
        batch_op.create_index('ix_rectification_item_due', ['status', 'deadline', 'id'], unique=False)

    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('rectification_item', schema=None) as batch_op:
        batch_op.drop_index('ix_rectification_item_due')
        batch_op.create_index(batch_op.f('ix_rectification_item_status'), ['status'], unique=False)
        batch_op.drop_column('look_back_on')
        batch_op.drop_column('closed_by')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('requires_retest')
        batch_op.drop_column('hazard_code')
        batch_op.drop_column('source_ref')

    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_column('overall_result')

    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_column('org_kind')

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_notice_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_notice_change_seq'))

    op.drop_table('notice')
    with op.batch_alter_table('blind_sample_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blind_sample_result_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_blind_sample_result_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_blind_sample_result_change_seq'))

    op.drop_table('blind_sample_result')
    with op.batch_alter_table('rectification_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_event_item_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_event_change_seq'))

    op.drop_table('rectification_event')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_staff_member_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_change_seq'))

    op.drop_table('certificate')
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_member_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_staff_member_change_seq'))

    op.drop_table('staff_member')
    with op.batch_alter_table('periodic_report', schema=None) as batch_op:
        batch_op.drop_index('ix_periodic_report_latest')
        batch_op.drop_index(batch_op.f('ix_periodic_report_change_seq'))

    op.drop_table('periodic_report')
    with op.batch_alter_table('list_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_decision_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_list_decision_change_seq'))

    op.drop_table('list_decision')
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_instrument_change_seq'))

    op.drop_table('instrument')
