"""index enterprises (name, id) so park pages page members by name without sorting the district

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_enterprises_name_id', 'enterprises', ['name', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_enterprises_name_id', table_name='enterprises')
