"""Improvement actions get the day they were opened (`opened_on`), so a done action's effect on its target can be
tested on the periods before it was opened against those after it was done (sltdesk/rules/action_effect.py).

Additive: one nullable column. Existing actions are backfilled with the best date already stored: the day of the
review they were raised at; else the day of their audited creation (or automatic opening on repeated breaches,
n31001); else the day they were closed (an action known only as closed then gets no "before" periods it cannot
vouch for). The audit trail is not written: this is
a schema upgrade, and the deep audit check compares only the fields an entry recorded.

Revision ID: n30001
Revises: n31001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "n30001"
down_revision = "n31001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("improvement_action") as batch:
        batch.add_column(sa.Column("opened_on", sa.Date(), nullable=True))
    op.execute("UPDATE improvement_action SET opened_on = (SELECT review.held_on FROM review "
               "WHERE review.id = improvement_action.raised_in) WHERE opened_on IS NULL")
    # at_utc is ISO text ("2026-07-14T09:30:00+00:00"): its first ten characters are the day, in UTC. SQLite
    # stores a Date as that text (a CAST to DATE would make it a number there); PostgreSQL needs the cast.
    sqlite = op.get_bind().dialect.name == "sqlite"
    day = "substr(min(a.at_utc), 1, 10)" if sqlite else "CAST(substr(min(a.at_utc), 1, 10) AS DATE)"
    op.execute("UPDATE improvement_action SET opened_on = (SELECT " + day + " FROM audit_entry a "  # noqa: S608
               "WHERE a.entity = 'improvement_action' AND a.action IN ('create', 'open-on-breaches') "
               "AND a.entity_id = CAST(improvement_action.id AS VARCHAR(200))) WHERE opened_on IS NULL")
    op.execute("UPDATE improvement_action SET opened_on = closed_on WHERE opened_on IS NULL")


def downgrade() -> None:
    # In place, not in batch mode (see v0001): SQLite and PostgreSQL both drop a plain column.
    op.execute("ALTER TABLE improvement_action DROP COLUMN opened_on")
