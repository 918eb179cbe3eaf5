"""Service-credit clauses per contract and target, and claim statuses per contract and period.

Revision ID: p0001
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "p0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credit_clause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], ondelete="RESTRICT",
                                name=op.f("fk_credit_clause_contract_id_contract")),
        sa.ForeignKeyConstraint(["target_id"], ["contract_target.id"], ondelete="RESTRICT",
                                name=op.f("fk_credit_clause_target_id_contract_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_clause")),
    )
    op.create_index(op.f("ix_credit_clause_contract_id"), "credit_clause", ["contract_id"])
    op.create_index(op.f("ix_credit_clause_target_id"), "credit_clause", ["target_id"])
    op.create_table(
        "credit_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("claimed_amount", DecimalText(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("rounding", sa.String(10), nullable=False),
        sa.Column("computed", sa.JSON(), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("disputed_on", sa.Date(), nullable=True),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("expired_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], ondelete="RESTRICT",
                                name=op.f("fk_credit_claim_contract_id_contract")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_claim")),
        sa.UniqueConstraint("contract_id", "period", name=op.f("uq_credit_claim_contract_id")),
    )
    op.create_index(op.f("ix_credit_claim_contract_id"), "credit_claim", ["contract_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_credit_claim_contract_id"), table_name="credit_claim")
    op.drop_table("credit_claim")
    op.drop_index(op.f("ix_credit_clause_target_id"), table_name="credit_clause")
    op.drop_index(op.f("ix_credit_clause_contract_id"), table_name="credit_clause")
    op.drop_table("credit_clause")
