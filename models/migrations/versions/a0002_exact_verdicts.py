"""Measurement rules: the contract's own rounding before comparison, and how an event log's response is read.

Revision ID: a0002
Revises: a0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("measurement_rule") as batch:
        batch.add_column(sa.Column("initial_states", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("response_on", sa.String(length=20), nullable=False, server_default="auto"))
        batch.add_column(sa.Column("compare_places", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("compare_rounding", sa.String(length=20), nullable=False,
                                   server_default="half-up"))


def downgrade() -> None:
    with op.batch_alter_table("measurement_rule") as batch:
        batch.drop_column("compare_rounding")
        batch.drop_column("compare_places")
        batch.drop_column("response_on")
        batch.drop_column("initial_states")
