"""Contingency plans per supplier.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contingency_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("failover_procedure", sa.Text(), nullable=False),
        sa.Column("manual_workaround", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("last_tested", sa.Date(), nullable=True),
        sa.Column("test_interval_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"], ondelete="RESTRICT",
                                name=op.f("fk_contingency_plan_supplier_id_supplier")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contingency_plan")),
    )
    op.create_index(op.f("ix_contingency_plan_supplier_id"), "contingency_plan", ["supplier_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_contingency_plan_supplier_id"), table_name="contingency_plan")
    op.drop_table("contingency_plan")
