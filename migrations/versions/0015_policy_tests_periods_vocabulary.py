"""policy test cases, effective dates and the period each decision used

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 07:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("policies") as batch:
        batch.add_column(sa.Column("test_cases", sa.JSON(), server_default="[]", nullable=False))
        batch.add_column(sa.Column("effective_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("effective_until", sa.Date(), nullable=True))
    with op.batch_alter_table("decision_records") as batch:
        batch.add_column(sa.Column("period_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("period_until", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("decision_records") as batch:
        batch.drop_column("period_until")
        batch.drop_column("period_from")
    with op.batch_alter_table("policies") as batch:
        batch.drop_column("effective_until")
        batch.drop_column("effective_from")
        batch.drop_column("test_cases")
