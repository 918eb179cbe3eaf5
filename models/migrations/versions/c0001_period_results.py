"""Stored results: each target's figure for a period under the fingerprint of its inputs (models/tables_results.py).

Revision ID: c0001
Revises: t0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "c0001"
down_revision = "t0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "period_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_period_result_contract_id_contract"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["contract_target.id"],
                                name=op.f("fk_period_result_target_id_contract_target"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_result")),
        sa.UniqueConstraint("target_id", "period", name=op.f("uq_period_result_target_id")),
    )
    op.create_index(op.f("ix_period_result_contract_id"), "period_result", ["contract_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_period_result_contract_id"), table_name="period_result")
    op.drop_table("period_result")
