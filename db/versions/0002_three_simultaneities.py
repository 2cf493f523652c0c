"""three simultaneities: projects, stages, inspections, attachments, numbering

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

A signed (locked) inspection is frozen: triggers refuse UPDATE/DELETE of a locked inspection and
any INSERT/UPDATE/DELETE of the answers and signatures of one (corrections are amendments).
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


LOCK_MESSAGE = "locked record: signed documents are frozen; record an amendment"
TRIGGERS = {
    "inspection_locked_update": f"BEFORE UPDATE ON inspection WHEN OLD.locked_at IS NOT NULL "
                                f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END",
    "inspection_locked_delete": f"BEFORE DELETE ON inspection WHEN OLD.locked_at IS NOT NULL "
                                f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END",
    # INSERT OR REPLACE deletes the conflicting row WITHOUT firing delete triggers (unless
    # recursive_triggers is on): refuse an insert whose id is a locked inspection
    "inspection_locked_insert": f"BEFORE INSERT ON inspection WHEN (SELECT locked_at FROM "
                                f"inspection WHERE id = NEW.id) IS NOT NULL "
                                f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END",
}
for _child in ("inspection_answer", "signature"):
    for _verb, _row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        _when = f"(SELECT locked_at FROM inspection WHERE id = {_row}.inspection_id) IS NOT NULL"
        if _verb == "INSERT":  # INSERT OR REPLACE would silently delete a locked row of that id
            _when += (f" OR (SELECT i.locked_at FROM {_child} c JOIN inspection i "
                      f"ON i.id = c.inspection_id WHERE c.id = NEW.id) IS NOT NULL")
        if _verb == "UPDATE":  # nor may a row be moved into a locked inspection
            _when += (" OR (SELECT locked_at FROM inspection WHERE id = NEW.inspection_id) "
                      "IS NOT NULL")
        TRIGGERS[f"{_child}_locked_{_verb.lower()}"] = (
            f"BEFORE {_verb} ON {_child} WHEN {_when} "
            f"BEGIN SELECT RAISE(ABORT, '{LOCK_MESSAGE}'); END")


def upgrade() -> None:
    op.create_table('attachment',
    sa.Column('owner_type', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('media_type', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=260), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('original_sha256', sa.String(length=64), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_owner_type'), ['owner_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('inspector',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('id_no', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.String(length=6), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspector'))
    )
    with op.batch_alter_table('inspector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspector_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspector_jurisdiction'), ['jurisdiction'], unique=False)

    op.create_table('issued_number',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('series', sa.String(length=80), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_number')),
    sa.UniqueConstraint('number', name=op.f('uq_issued_number_number'))
    )
    op.create_table('number_block',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('series', sa.String(length=80), nullable=False),
    sa.Column('first', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.Column('next', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('reserved_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_block'))
    )
    with op.batch_alter_table('number_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_number_block_series'), ['series'], unique=False)

    op.create_table('project',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('division_code', sa.String(length=6), nullable=False),
    sa.Column('investment_yuan', sa.Integer(), nullable=True),
    sa.Column('industry_code', sa.String(length=5), nullable=False),
    sa.Column('nature', sa.String(length=20), nullable=False),
    sa.Column('hazard_codes', sa.JSON(), nullable=False),
    sa.Column('risk_class', sa.String(length=20), nullable=False),
    sa.Column('risk_rule_set', sa.String(length=40), nullable=False),
    sa.Column('risk_override_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_project_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_division_code'), ['division_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('rectification_item',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('source_type', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=60), nullable=False),
    sa.Column('finding', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('requirement', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('owner', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_rectification_item_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_item'))
    )
    with op.batch_alter_table('rectification_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_item_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_item_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_item_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_item_status'), ['status'], unique=False)

    op.create_table('inspection',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('project_id', sa.String(length=36), nullable=True),
    sa.Column('stage', sa.String(length=30), nullable=False),
    sa.Column('template_id', sa.String(length=60), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('template_snapshot', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('inspectors', sa.JSON(), nullable=False),
    sa.Column('recorder', sa.String(length=60), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('party_representative', sa.String(length=60), nullable=False),
    sa.Column('party_title', sa.String(length=60), nullable=False),
    sa.Column('current_item', sa.String(length=60), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('record_number', sa.String(length=60), nullable=False),
    sa.Column('opinion_number', sa.String(length=60), nullable=False),
    sa.Column('opinion_deadline_days', sa.Integer(), nullable=True),
    sa.Column('amends_id', sa.String(length=36), nullable=True),
    sa.Column('amendment_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['amends_id'], ['inspection.id'], name=op.f('fk_inspection_amends_id_inspection'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_inspection_enterprise_id_enterprise'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_inspection_project_id_project'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_amends_id'), ['amends_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_project_id'), ['project_id'], unique=False)

    op.create_table('project_stage',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.String(length=30), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('out_of_order_reason', sa.Text(), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('institution_qualification', sa.String(length=200), nullable=False),
    sa.Column('reviewers', sa.JSON(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('publication_evidence', sa.Text(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_stage_project_id_project'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_stage')),
    sa.UniqueConstraint('project_id', 'stage', name=op.f('uq_project_stage_project_id_stage'))
    )
    with op.batch_alter_table('project_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_stage_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_stage_project_id'), ['project_id'], unique=False)

    op.create_table('inspection_answer',
    sa.Column('inspection_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=60), nullable=False),
    sa.Column('answer', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_answer_inspection_id_inspection'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_answer')),
    sa.UniqueConstraint('inspection_id', 'item_id', name=op.f('uq_inspection_answer_inspection_id_item_id'))
    )
    with op.batch_alter_table('inspection_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_answer_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_answer_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('signature',
    sa.Column('inspection_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('signer_name', sa.String(length=60), nullable=False),
    sa.Column('signer_id_no', sa.String(length=40), nullable=False),
    sa.Column('image_sha256', sa.String(length=64), nullable=False),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.Column('witness_name', sa.String(length=60), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('modified_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_signature_inspection_id_inspection'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature'))
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_inspection_id'), ['inspection_id'], unique=False)


    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")

def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_signature_change_seq'))

    op.drop_table('signature')
    with op.batch_alter_table('inspection_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_answer_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_answer_change_seq'))

    op.drop_table('inspection_answer')
    with op.batch_alter_table('project_stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_stage_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_stage_change_seq'))

    op.drop_table('project_stage')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_project_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_kind'))
        batch_op.drop_index(batch_op.f('ix_inspection_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_change_seq'))
        batch_op.drop_index(batch_op.f('ix_inspection_amends_id'))

    op.drop_table('inspection')
    with op.batch_alter_table('rectification_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_item_status'))
        batch_op.drop_index(batch_op.f('ix_rectification_item_source_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_item_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_item_change_seq'))

    op.drop_table('rectification_item')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_project_division_code'))
        batch_op.drop_index(batch_op.f('ix_project_change_seq'))

    op.drop_table('project')
    with op.batch_alter_table('number_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_number_block_series'))

    op.drop_table('number_block')
    op.drop_table('issued_number')
    with op.batch_alter_table('inspector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspector_jurisdiction'))
        batch_op.drop_index(batch_op.f('ix_inspector_change_seq'))

    op.drop_table('inspector')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_owner_type'))
        batch_op.drop_index(batch_op.f('ix_attachment_owner_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_change_seq'))

    op.drop_table('attachment')
