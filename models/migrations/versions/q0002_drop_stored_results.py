"""Drop target_period_result: every met / missed is computed from the raw data when it is read.

The stored rows were written by `attainment --record` and the demo, and went stale when data changed; the
prediction now reads the same computed results as every other page (sltdesk/services/attainment.py,
`verdict_history`). Nothing is lost: a computed row is computed again; a "demo" row was invented. The
downgrade recreates the empty table.

Revision ID: q0002
Revises: q0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "q0002"
down_revision = "q0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_target_period_result_contract_target_id"), table_name="target_period_result")
    op.drop_table("target_period_result")


def downgrade() -> None:
    op.create_table(
        "target_period_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_target_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("achieved", DecimalText(), nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["contract_target_id"], ["contract_target.id"], ondelete="RESTRICT",
                                name=op.f("fk_target_period_result_contract_target_id_contract_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_period_result")),
        sa.UniqueConstraint("contract_target_id", "period", name=op.f("uq_target_period_result_contract_target_id")),
    )
    op.create_index(op.f("ix_target_period_result_contract_target_id"), "target_period_result",
                    ["contract_target_id"])
