"""sampling

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

On-site sampling tasks, posts, samples, noise measurements, custody transfers and lab results.
A signed (locked) task is frozen: triggers refuse changing it and adding, changing or removing its
posts, samples and noise measurements. Custody transfers and lab results are separate records
(samples reach the lab and results come back after the field sheet is signed); lab results are
never updated: a correction supersedes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


LOCK_MESSAGE = "locked record: signed sampling records are frozen; record an amendment"
TRIGGERS = {
    "sampling_task_locked_update": f"BEFORE UPDATE ON sampling_task WHEN OLD.locked_at IS NOT NULL "
                                   f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END",
    "sampling_task_locked_delete": f"BEFORE DELETE ON sampling_task WHEN OLD.locked_at IS NOT NULL "
                                   f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END",
    "sampling_task_locked_insert": f"BEFORE INSERT ON sampling_task WHEN (SELECT locked_at FROM "
                                   f"sampling_task WHERE id = NEW.id) IS NOT NULL "
                                   f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END",
    "lab_result_no_update": "BEFORE UPDATE ON lab_result BEGIN SELECT RAISE(ABORT, "
                            "'lab results are never edited: record a superseding result'); END",
}
# custody transfers are NOT frozen: samples usually reach the lab after the field sheet is signed
for _child in ("sampling_post", "sample", "noise_measurement"):
    for _verb, _cond in (
            ("INSERT", "(SELECT locked_at FROM sampling_task WHERE id = NEW.task_id) IS NOT NULL "
                       f"OR (SELECT t.locked_at FROM {_child} c JOIN sampling_task t ON t.id = c.task_id "
                       "WHERE c.id = NEW.id) IS NOT NULL"),
            ("UPDATE", "(SELECT locked_at FROM sampling_task WHERE id = OLD.task_id) IS NOT NULL "
                       "OR (SELECT locked_at FROM sampling_task WHERE id = NEW.task_id) IS NOT NULL"),
            ("DELETE", "(SELECT locked_at FROM sampling_task WHERE id = OLD.task_id) IS NOT NULL")):
        TRIGGERS[f"{_child}_locked_{_verb.lower()}"] = (
            f"BEFORE {_verb} ON {_child} WHEN {_cond} "
            f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END")


def upgrade() -> None:
    op.create_table('sampling_task',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('task_number', sa.String(length=60), nullable=False),
    sa.Column('monitoring_type', sa.String(length=20), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('detection_standard', sa.Text(), nullable=False),
    sa.Column('samplers', sa.JSON(), nullable=False),
    sa.Column('escort_name', sa.String(length=60), nullable=False),
    sa.Column('weather', sa.JSON(), nullable=False),
    sa.Column('production_status', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sampler_signature_sha256', sa.String(length=64), nullable=False),
    sa.Column('escort_signature_sha256', sa.String(length=64), nullable=False),
    sa.Column('escort_refused', sa.Boolean(), nullable=False),
    sa.Column('escort_witness', sa.String(length=60), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_sampling_task_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampling_task'))
    )
    with op.batch_alter_table('sampling_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sampling_task_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_sampling_task_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('custody_transfer',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('sample_ids', sa.JSON(), nullable=False),
    sa.Column('handed_by', sa.String(length=60), nullable=False),
    sa.Column('received_by', sa.String(length=60), nullable=False),
    sa.Column('lab', sa.String(length=200), nullable=False),
    sa.Column('transferred_at', sa.DateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('condition', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['sampling_task.id'], name=op.f('fk_custody_transfer_task_id_sampling_task'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_transfer'))
    )
    with op.batch_alter_table('custody_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custody_transfer_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_custody_transfer_task_id'), ['task_id'], unique=False)

    op.create_table('sampling_post',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('workshop', sa.String(length=100), nullable=False),
    sa.Column('post', sa.String(length=100), nullable=False),
    sa.Column('job_type', sa.String(length=100), nullable=False),
    sa.Column('workers', sa.Integer(), nullable=False),
    sa.Column('most_exposed_identifiable', sa.Boolean(), nullable=False),
    sa.Column('same_type_units', sa.Integer(), nullable=False),
    sa.Column('hazard_codes', sa.JSON(), nullable=False),
    sa.Column('exposure_hours_per_day', sa.Float(), nullable=True),
    sa.Column('days_per_week', sa.Float(), nullable=True),
    sa.Column('proposed', sa.JSON(), nullable=False),
    sa.Column('accepted', sa.JSON(), nullable=False),
    sa.Column('adjust_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['sampling_task.id'], name=op.f('fk_sampling_post_task_id_sampling_task'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampling_post'))
    )
    with op.batch_alter_table('sampling_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sampling_post_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_sampling_post_task_id'), ['task_id'], unique=False)

    op.create_table('noise_measurement',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('post_id', sa.String(length=36), nullable=True),
    sa.Column('point', sa.String(length=200), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('meter_id', sa.String(length=60), nullable=False),
    sa.Column('readings_db', sa.JSON(), nullable=False),
    sa.Column('laeq_te_db', sa.Float(), nullable=True),
    sa.Column('exposure_hours', sa.Float(), nullable=True),
    sa.Column('days_per_week', sa.Float(), nullable=True),
    sa.Column('impulse_peak_db', sa.Float(), nullable=True),
    sa.Column('pulses_per_minute', sa.Float(), nullable=True),
    sa.Column('calibrator_before_db', sa.Float(), nullable=True),
    sa.Column('calibrator_after_db', sa.Float(), nullable=True),
    sa.Column('measured_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['sampling_post.id'], name=op.f('fk_noise_measurement_post_id_sampling_post'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['task_id'], ['sampling_task.id'], name=op.f('fk_noise_measurement_task_id_sampling_task'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_noise_measurement'))
    )
    with op.batch_alter_table('noise_measurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noise_measurement_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_noise_measurement_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_noise_measurement_task_id'), ['task_id'], unique=False)

    op.create_table('sample',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('post_id', sa.String(length=36), nullable=True),
    sa.Column('sample_number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('hazard_code', sa.String(length=60), nullable=False),
    sa.Column('fraction', sa.String(length=20), nullable=False),
    sa.Column('wearer', sa.String(length=60), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('instrument_id', sa.String(length=60), nullable=False),
    sa.Column('calibrator_id', sa.String(length=60), nullable=False),
    sa.Column('flow_before_lpm', sa.Float(), nullable=True),
    sa.Column('flow_after_lpm', sa.Float(), nullable=True),
    sa.Column('drift_reason', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('representative_hours', sa.Float(), nullable=True),
    sa.Column('temperature_c', sa.Float(), nullable=True),
    sa.Column('pressure_kpa', sa.Float(), nullable=True),
    sa.Column('humidity_pct', sa.Float(), nullable=True),
    sa.Column('production_status', sa.Text(), nullable=False),
    sa.Column('ppe', sa.Text(), nullable=False),
    sa.Column('volume_l', sa.Float(), nullable=True),
    sa.Column('standard_volume_l', sa.Float(), nullable=True),
    sa.Column('silica_percent', sa.Float(), nullable=True),
    sa.Column('print_count', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['sampling_post.id'], name=op.f('fk_sample_post_id_sampling_post'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['task_id'], ['sampling_task.id'], name=op.f('fk_sample_task_id_sampling_task'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sample')),
    sa.UniqueConstraint('sample_number', name=op.f('uq_sample_sample_number'))
    )
    with op.batch_alter_table('sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sample_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_sample_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sample_task_id'), ['task_id'], unique=False)

    op.create_table('lab_result',
    sa.Column('sample_id', sa.String(length=36), nullable=False),
    sa.Column('analyte', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('below_lod', sa.Boolean(), nullable=False),
    sa.Column('lod', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('lab_sample_id', sa.String(length=60), nullable=False),
    sa.Column('lab', sa.String(length=200), nullable=False),
    sa.Column('analysed_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_file', sa.String(length=260), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['sample_id'], ['sample.id'], name=op.f('fk_lab_result_sample_id_sample'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['supersedes_id'], ['lab_result.id'], name=op.f('fk_lab_result_supersedes_id_lab_result'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_result'))
    )
    with op.batch_alter_table('lab_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_result_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_result_sample_id'), ['sample_id'], unique=False)


    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")

def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('lab_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_result_sample_id'))
        batch_op.drop_index(batch_op.f('ix_lab_result_change_seq'))

    op.drop_table('lab_result')
    with op.batch_alter_table('sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sample_task_id'))
        batch_op.drop_index(batch_op.f('ix_sample_post_id'))
        batch_op.drop_index(batch_op.f('ix_sample_change_seq'))

    op.drop_table('sample')
    with op.batch_alter_table('noise_measurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noise_measurement_task_id'))
        batch_op.drop_index(batch_op.f('ix_noise_measurement_post_id'))
        batch_op.drop_index(batch_op.f('ix_noise_measurement_change_seq'))

    op.drop_table('noise_measurement')
    with op.batch_alter_table('sampling_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sampling_post_task_id'))
        batch_op.drop_index(batch_op.f('ix_sampling_post_change_seq'))

    op.drop_table('sampling_post')
    with op.batch_alter_table('custody_transfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_custody_transfer_task_id'))
        batch_op.drop_index(batch_op.f('ix_custody_transfer_change_seq'))

    op.drop_table('custody_transfer')
    with op.batch_alter_table('sampling_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sampling_task_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_sampling_task_change_seq'))

    op.drop_table('sampling_task')
