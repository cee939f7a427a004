"""Bao'an scale: pre-aggregated dashboard figures; indexes the page crawl at 1M firms asked for

Revision ID: 0021
Revises: 0013
Create Date: 2026-12-03 06:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dashboard_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_snapshots')),
    )
    op.create_index(op.f('ix_dashboard_snapshots_computed_at'), 'dashboard_snapshots', ['computed_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_dashboard_snapshots_computed_at'), table_name='dashboard_snapshots')
    op.drop_table('dashboard_snapshots')
