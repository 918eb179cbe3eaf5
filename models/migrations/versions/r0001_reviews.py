"""Joint service reviews: reviews, attendees, agenda notes, decisions, improvement actions, the backlog of each
review, and root-cause records.

Revision ID: r0001
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete="RESTRICT",
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        _fk("review", "supplier_id", "supplier"),
        _fk("review", "previous_id", "review"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("supplier_id", "period", name=op.f("uq_review_supplier_id")),
    )
    _index("review", "supplier_id", "previous_id")
    op.create_table(
        "review_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("side", sa.String(10), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        _fk("review_attendee", "review_id", "review"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_attendee")),
    )
    _index("review_attendee", "review_id")
    op.create_table(
        "review_agenda_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _fk("review_agenda_note", "review_id", "review"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_agenda_note")),
        sa.UniqueConstraint("review_id", "item", name=op.f("uq_review_agenda_note_review_id")),
    )
    _index("review_agenda_note", "review_id")
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        _fk("review_decision", "review_id", "review"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
    )
    _index("review_decision", "review_id")
    op.create_table(
        "improvement_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("breach_period", sa.String(10), nullable=False),
        sa.Column("raised_in", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("improvement_action", "supplier_id", "supplier"),
        _fk("improvement_action", "target_id", "contract_target"),
        _fk("improvement_action", "raised_in", "review"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_action")),
    )
    _index("improvement_action", "supplier_id", "target_id", "raised_in")
    op.create_table(
        "review_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("carried", sa.Boolean(), nullable=False),
        _fk("review_action", "review_id", "review"),
        _fk("review_action", "action_id", "improvement_action"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_action")),
        sa.UniqueConstraint("review_id", "action_id", name=op.f("uq_review_action_review_id")),
    )
    _index("review_action", "review_id", "action_id")
    op.create_table(
        "root_cause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("whys", sa.JSON(), nullable=False),
        sa.Column("causes", sa.JSON(), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("countermeasure", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        _fk("root_cause", "target_id", "contract_target"),
        _fk("root_cause", "review_id", "review"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_root_cause")),
    )
    _index("root_cause", "target_id", "review_id")


def downgrade() -> None:
    for table, columns in (("root_cause", ("target_id", "review_id")), ("review_action", ("review_id", "action_id")),
                           ("improvement_action", ("supplier_id", "target_id", "raised_in")),
                           ("review_decision", ("review_id",)), ("review_agenda_note", ("review_id",)),
                           ("review_attendee", ("review_id",)), ("review", ("supplier_id", "previous_id"))):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
