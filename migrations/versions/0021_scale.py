"""Bao'an scale: pre-aggregated dashboard figures, background job runs and digest results

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 06:40:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dashboard_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_snapshots")),
    )
    op.create_index(
        op.f("ix_dashboard_snapshots_computed_at"), "dashboard_snapshots", ["computed_at"], unique=False
    )

    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("part", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("where", sa.String(length=10), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    op.create_index("ix_job_runs_name_id", "job_runs", ["name", "id"], unique=False)
    op.create_index(op.f("ix_job_runs_status"), "job_runs", ["status"], unique=False)
    op.create_table(
        "digest_entries",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("policy_ids", sa.JSON(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_digest_entries_enterprise_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("day", "enterprise_id", name=op.f("pk_digest_entries")),
    )


def downgrade():
    op.drop_table("digest_entries")
    op.drop_index(op.f("ix_job_runs_status"), table_name="job_runs")
    op.drop_index("ix_job_runs_name_id", table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_index(op.f("ix_dashboard_snapshots_computed_at"), table_name="dashboard_snapshots")
    op.drop_table("dashboard_snapshots")
