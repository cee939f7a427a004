"""append-only guards: financing_events and financing_profile_views like decision_records; TRUNCATE refused on all three

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 20:35:00

"""
from alembic import op

from portal.dbguard import APPEND_ONLY_TABLES, REFUSE_FUNCTION, drop_statements, guard_statements

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite has no TRUNCATE and the ORM guards the audit logs there
    op.execute(REFUSE_FUNCTION)
    for table in APPEND_ONLY_TABLES:
        for statement in guard_statements(table):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in APPEND_ONLY_TABLES:
        for statement in drop_statements(table):
            op.execute(statement)
    op.execute('DROP FUNCTION IF EXISTS append_only_refuse()')
