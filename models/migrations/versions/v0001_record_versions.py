"""Record versions: every table whose records are edited in place gets `version`, raised by each stored change,
so a save made from an older version is refused instead of overwriting (optimistic locking).

Revision ID: v0001
Revises: a0002, i0004, m0001, p0001, q0002, r0001 (a merge of the feature heads)
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "v0001"
down_revision = ("a0002", "i0004", "m0001", "p0001", "q0002", "r0001")
branch_labels = None
depends_on = None

# The tables whose rows SqlRecords.update changes in place (models/tables*.py: the `Versioned` rows).
VERSIONED = ("business_unit", "service", "supplier", "supplier_contact", "service_calendar", "contract",
             "contract_target", "contingency_plan", "end_to_end_target", "escalation_level", "chain_component",
             "component_mapping", "measurement_rule", "force_majeure", "credit_clause", "credit_claim",
             "review_agenda_note", "improvement_action")


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # Not in batch mode: that would copy each table and drop the old one, which SQLite refuses for a table others
    # point at (contract, supplier…) while foreign keys are on. Both databases drop a plain column in place.
    for table in reversed(VERSIONED):
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
