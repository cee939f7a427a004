"""tax and operating districts, policy groups (不重复享受), enterprise figures by year

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 06:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enterprises") as batch:
        batch.add_column(sa.Column("tax_district", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("operating_district", sa.String(length=20), nullable=True))
    op.create_index("ix_enterprises_tax_district", "enterprises", ["tax_district"], unique=False)
    op.create_index("ix_enterprises_operating_district", "enterprises", ["operating_district"], unique=False)
    with op.batch_alter_table("policies") as batch:
        batch.add_column(sa.Column("policy_group", sa.String(length=40), server_default="", nullable=False))
    op.create_table(
        "enterprise_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revenue_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("tax_paid_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("rd_expense_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("assets_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("verified", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_figures_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_figures")),
        sa.UniqueConstraint("enterprise_id", "year", name=op.f("uq_enterprise_figures_enterprise_id")),
    )
    op.create_index(
        op.f("ix_enterprise_figures_enterprise_id"), "enterprise_figures", ["enterprise_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_enterprise_figures_enterprise_id"), table_name="enterprise_figures")
    op.drop_table("enterprise_figures")
    with op.batch_alter_table("policies") as batch:
        batch.drop_column("policy_group")
    op.drop_index("ix_enterprises_operating_district", table_name="enterprises")
    op.drop_index("ix_enterprises_tax_district", table_name="enterprises")
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("operating_district")
        batch.drop_column("tax_district")
