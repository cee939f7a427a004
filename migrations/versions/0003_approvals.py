"""approvals: applications, append-only decision records, attachments, 免申即享 offers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# decision_records is append-only: PostgreSQL refuses UPDATE and DELETE whatever the client
# (the same DDL runs after create_all via the table's after_create event in portal/approvals/models.py).
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION decision_records_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审批记录只能追加，不能修改或删除 (decision_records is append-only)';
END;
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER decision_records_append_only BEFORE UPDATE OR DELETE ON decision_records
FOR EACH ROW EXECUTE FUNCTION decision_records_append_only()
"""


def upgrade():
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('form_data', sa.JSON(), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('audit_status', sa.String(length=10), nullable=True),
    sa.Column('audit_comment', sa.Text(), nullable=False),
    sa.Column('audited_by_id', sa.Integer(), nullable=True),
    sa.Column('audited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['audited_by_id'], ['users.id'], name=op.f('fk_applications_audited_by_id_users')),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], name=op.f('fk_applications_claimed_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_applications_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_applications_policy_id_policies')),
    sa.ForeignKeyConstraint(['revision_id'], ['policy_revisions.id'], name=op.f('fk_applications_revision_id_policy_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('enterprise_id', 'policy_id', name=op.f('uq_applications_enterprise_id'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_audit_status'), ['audit_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_status'), ['status'], unique=False)

    op.create_table('application_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_attachments_application_id_applications')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_application_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_application_attachments_stored_name'))
    )
    with op.batch_alter_table('application_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_attachments_application_id'), ['application_id'], unique=False)

    op.create_table('decision_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=100), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.Column('profile_snapshot', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_decision_records_actor_id_users')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_decision_records_application_id_applications')),
    sa.ForeignKeyConstraint(['revision_id'], ['policy_revisions.id'], name=op.f('fk_decision_records_revision_id_policy_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_records'))
    )
    with op.batch_alter_table('decision_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_records_application_id'), ['application_id'], unique=False)

    op.create_table('grant_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_grant_offers_application_id_applications')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_grant_offers_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_grant_offers_offered_by_id_users')),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_grant_offers_policy_id_policies')),
    sa.ForeignKeyConstraint(['revision_id'], ['policy_revisions.id'], name=op.f('fk_grant_offers_revision_id_policy_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_offers')),
    sa.UniqueConstraint('enterprise_id', 'policy_id', name=op.f('uq_grant_offers_enterprise_id'))
    )
    with op.batch_alter_table('grant_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_offers_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_offers_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_offers_status'), ['status'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(APPEND_ONLY_FUNCTION)
        op.execute(APPEND_ONLY_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS decision_records_append_only ON decision_records')
        op.execute('DROP FUNCTION IF EXISTS decision_records_append_only()')
    with op.batch_alter_table('grant_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_offers_status'))
        batch_op.drop_index(batch_op.f('ix_grant_offers_policy_id'))
        batch_op.drop_index(batch_op.f('ix_grant_offers_enterprise_id'))

    op.drop_table('grant_offers')
    with op.batch_alter_table('decision_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_records_application_id'))

    op.drop_table('decision_records')
    with op.batch_alter_table('application_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_attachments_application_id'))

    op.drop_table('application_attachments')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_status'))
        batch_op.drop_index(batch_op.f('ix_applications_policy_id'))
        batch_op.drop_index(batch_op.f('ix_applications_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_applications_created_at'))
        batch_op.drop_index(batch_op.f('ix_applications_audit_status'))

    op.drop_table('applications')
