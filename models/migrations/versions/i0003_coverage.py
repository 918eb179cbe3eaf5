"""What each import batch covers, and periods marked complete as imported.

Batches imported before this revision get the coverage their stored records show, in UTC: outage logs and
ticket event logs whole days from the first record's day to the last's, ticket exports the whole months of
their tickets (they are stored by month), samples their first interval to their last.

Revision ID: i0003
Revises: i0002
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "i0003"
down_revision = "i0002"
branch_labels = None
depends_on = None

DAY = 86_400
BEFORE = "before coverage was recorded: "


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("covers_start", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("covers_end", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("covers_how", sa.String(length=300), nullable=False, server_default=""))
    op.create_table(
        "period_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.String(length=200), nullable=False),
        sa.Column("marked_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_period_mark_contract_id_contract"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_mark")),
        sa.UniqueConstraint("contract_id", "period", name=op.f("uq_period_mark_contract_id")),
    )
    op.create_index(op.f("ix_period_mark_contract_id"), "period_mark", ["contract_id"], unique=False)
    _backfill(op.get_bind())


def _backfill(conn) -> None:
    spans = {}
    for batch_id, first, last in conn.execute(sa.text(
            "SELECT batch_id, MIN(start_at), MAX(end_at) FROM raw_outage GROUP BY batch_id")):
        spans[batch_id] = (first // DAY * DAY, (last // DAY + 1) * DAY, "whole days of its outages (UTC)")
    for batch_id, first, last in conn.execute(sa.text(
            "SELECT batch_id, MIN(changed_at), MAX(changed_at) FROM raw_ticket_event GROUP BY batch_id")):
        spans[batch_id] = (first // DAY * DAY, (last // DAY + 1) * DAY, "whole days of its events (UTC)")
    for batch_id, first, last in conn.execute(sa.text(
            "SELECT batch_id, MIN(month), MAX(month) FROM raw_ticket_block GROUP BY batch_id")):
        if batch_id not in spans:
            spans[batch_id] = (_month_start(first), _month_start(last, 1), "the months of its tickets (UTC)")
    rows = conn.execute(sa.text("SELECT batch_id, first_at, last_at, count FROM raw_sample_block")).all()
    by_batch: dict[int, list] = {}
    for batch_id, first, last, count in rows:
        by_batch.setdefault(batch_id, []).append((first, last, count))
    for batch_id, blocks in by_batch.items():
        steps = sorted(round((b - a) / (n - 1)) for a, b, n in blocks if n > 1 and b > a) or [300]
        step = int(steps[len(steps) // 2])
        spans[batch_id] = (min(a for a, _, _ in blocks), max(b for _, b, _ in blocks) + step,
                           "its samples' first interval to their last")
    for batch_id, (start, end, how) in spans.items():
        conn.execute(sa.text("UPDATE import_batch SET covers_start = :s, covers_end = :e, covers_how = :h "
                             "WHERE id = :i"), {"s": int(start), "e": int(end), "h": BEFORE + how, "i": batch_id})


def _month_start(yyyymm: int, add: int = 0) -> int:
    from datetime import UTC, datetime

    index = (yyyymm // 100) * 12 + yyyymm % 100 - 1 + add
    return int(datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC).timestamp())


def downgrade() -> None:
    op.drop_index(op.f("ix_period_mark_contract_id"), table_name="period_mark")
    op.drop_table("period_mark")
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_column("covers_how")
        batch.drop_column("covers_end")
        batch.drop_column("covers_start")
