"""Measurement rules: seasonal thresholds and a core-hours tier (its calendar, threshold and pricing).

Revision ID: n28001
Revises: f0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "n28001"
down_revision = "f0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("measurement_rule") as batch:
        batch.add_column(sa.Column("seasons", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("tier_calendar", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("tier_threshold", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("tier_pricing", sa.String(length=20), nullable=False, server_default="each"))


def downgrade() -> None:
    with op.batch_alter_table("measurement_rule") as batch:
        batch.drop_column("tier_pricing")
        batch.drop_column("tier_threshold")
        batch.drop_column("tier_calendar")
        batch.drop_column("seasons")
