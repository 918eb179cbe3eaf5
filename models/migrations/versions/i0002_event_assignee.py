"""Ticket event logs keep the assignee an update names (a response can be the first assignment).

Revision ID: i0002
Revises: i0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "i0002"
down_revision = "i0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("raw_ticket_event") as batch:
        batch.add_column(sa.Column("assignee", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("raw_ticket_event") as batch:
        batch.drop_column("assignee")
