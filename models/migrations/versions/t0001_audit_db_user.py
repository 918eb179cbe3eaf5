"""Audit entries carry the database user (stamped by a trigger in team mode; empty in a file workspace).

Revision ID: t0001
Revises: v0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "t0001"
down_revision = "v0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("db_user", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_column("db_user")
