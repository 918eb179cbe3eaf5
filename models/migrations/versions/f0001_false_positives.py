"""False positives: outages, tickets or spans flagged as raised without a real effect, with evidence files
(models/tables_false_positives.py).

Revision ID: f0001
Revises: c0001
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "f0001"
down_revision = "c0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "false_positive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("end", sa.BigInteger(), nullable=False),
        sa.Column("probe", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.String(length=32), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_false_positive_contract_id_contract"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["target_id"], ["contract_target.id"],
                                name=op.f("fk_false_positive_target_id_contract_target"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_false_positive")),
    )
    op.create_index(op.f("ix_false_positive_contract_id"), "false_positive", ["contract_id"], unique=False)
    op.create_table(
        "false_positive_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flag_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["flag_id"], ["false_positive.id"],
                                name=op.f("fk_false_positive_evidence_flag_id_false_positive"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_false_positive_evidence")),
    )
    op.create_index(op.f("ix_false_positive_evidence_flag_id"), "false_positive_evidence", ["flag_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_false_positive_evidence_flag_id"), table_name="false_positive_evidence")
    op.drop_table("false_positive_evidence")
    op.drop_index(op.f("ix_false_positive_contract_id"), table_name="false_positive")
    op.drop_table("false_positive")
