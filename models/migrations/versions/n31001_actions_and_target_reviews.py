"""Actions opened on repeated breaches (their run's key and missed periods), the targets' review cycle (review-by
date, last review, expected volume and margin) and technology refreshes of services.

Revision ID: n31001
Revises: n28001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "n31001"
down_revision = "n28001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("improvement_action") as batch:
        batch.add_column(sa.Column("auto_key", sa.String(length=40), nullable=False, server_default=""))
        batch.add_column(sa.Column("breaches", sa.JSON(), nullable=False, server_default="[]"))
        batch.create_index(batch.f("ix_improvement_action_auto_key"), ["auto_key"])
    with op.batch_alter_table("contract_target") as batch:
        batch.add_column(sa.Column("review_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reviewed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("expected_volume", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("volume_margin", sa.String(length=64), nullable=True))
    op.create_table(
        "technology_refresh",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("refreshed_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], name=op.f("fk_technology_refresh_service_id_service"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_technology_refresh")),
    )
    op.create_index(op.f("ix_technology_refresh_service_id"), "technology_refresh", ["service_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_technology_refresh_service_id"), table_name="technology_refresh")
    op.drop_table("technology_refresh")
    with op.batch_alter_table("contract_target") as batch:
        for name in ("volume_margin", "expected_volume", "reviewed_on", "review_by"):
            batch.drop_column(name)
    with op.batch_alter_table("improvement_action") as batch:
        batch.drop_index(batch.f("ix_improvement_action_auto_key"))
        batch.drop_column("breaches")
        batch.drop_column("auto_key")
