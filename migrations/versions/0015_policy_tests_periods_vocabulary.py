"""policy test cases, effective dates and the period each decision used; the qualification vocabulary;
policy documents holding several items

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 07:10:00

"""

import json
from datetime import UTC, datetime
from importlib import resources

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
    with op.batch_alter_table("enterprises") as batch:
        batch.add_column(sa.Column("qualification_until", sa.JSON(), nullable=True))
    terms = op.create_table(
        "qualification_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("issuer", sa.String(length=100), nullable=False),
        sa.Column("validity_months", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_terms")),
        sa.UniqueConstraint("name", name=op.f("uq_qualification_terms_name")),
    )
    # the seed: today's twelve qualifications and the common tags (portal/data/qualifications.json, as of now)
    seed = json.loads(resources.files("portal").joinpath("data/qualifications.json").read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    op.bulk_insert(
        terms,
        [
            {
                "name": t["name"],
                "aliases": t.get("aliases") or [],
                "issuer": t.get("issuer") or "",
                "validity_months": t.get("validity_months"),
                "position": i,
                "updated_at": now,
            }
            for i, t in enumerate(seed)
        ],
    )
    op.create_table(
        "policy_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=100), nullable=False),
        sa.Column("doc_no", sa.String(length=100), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_documents")),
        sa.UniqueConstraint("code", name=op.f("uq_policy_documents_code")),
    )
    with op.batch_alter_table("policies") as batch:
        batch.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("item_no", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_policies_document_id_policy_documents"), "policy_documents", ["document_id"], ["id"]
        )
    op.create_index(op.f("ix_policies_document_id"), "policies", ["document_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_policies_document_id"), table_name="policies")
    with op.batch_alter_table("policies") as batch:
        batch.drop_constraint(op.f("fk_policies_document_id_policy_documents"), type_="foreignkey")
        batch.drop_column("item_no")
        batch.drop_column("document_id")
    op.drop_table("policy_documents")
    op.drop_table("qualification_terms")
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("qualification_until")
    with op.batch_alter_table("decision_records") as batch:
        batch.drop_column("period_until")
        batch.drop_column("period_from")
    with op.batch_alter_table("policies") as batch:
        batch.drop_column("effective_until")
        batch.drop_column("effective_from")
        batch.drop_column("test_cases")
