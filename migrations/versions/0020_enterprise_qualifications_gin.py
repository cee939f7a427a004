"""GIN index on enterprises (qualifications::jsonb) for the SQL audience service's qualification prefilter

Revision ID: 0020
Revises: 0013
Create Date: 2026-12-03 06:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # PostgreSQL only: SQLite answers qualification rows with json_each and has no GIN
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_enterprises_qualifications_gin",
            "enterprises",
            [sa.text("(CAST(qualifications AS JSONB))")],
            unique=False,
            postgresql_using="gin",
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_enterprises_qualifications_gin", table_name="enterprises")
