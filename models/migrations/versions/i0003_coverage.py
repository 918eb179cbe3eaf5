"""What each import batch covers, and periods marked complete as imported.

Batches imported before this revision get the coverage their options and stored records show, in the
contract's zone (the zone most of its targets' calendars use): the period they were imported with
(`--period`), else outage logs, event logs and ticket exports the months of their records (as the
measurement read them until now, so an upgraded workspace keeps its verdicts), samples their first
interval to their last.

Event logs imported before stored a "first response" the importer had derived itself (the first event after
the first, which overstates response times); it is cleared where the file had no response column of its own,
so the measurement reads the response from the events under each target's rule.

Revision ID: i0003
Revises: i0002
Create Date: 2026-12-06
"""
import json
from collections import Counter
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "i0003"
down_revision = "i0002"
branch_labels = None
depends_on = None

BEFORE = "before coverage was recorded: "
NA_TIME = np.iinfo(np.int64).min


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("covers_start", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("covers_end", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("covers_how", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("covers_label", sa.String(length=40), nullable=False, server_default=""))
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
    conn = op.get_bind()
    _backfill(conn)
    _clear_derived_responses(conn)


def _zones(conn) -> dict[int, str]:
    """contract id -> the zone most of its targets' calendars use (UTC without one)."""
    counts: dict[int, Counter] = {}
    for contract_id, zone in conn.execute(sa.text(
            "SELECT t.contract_id, c.timezone FROM contract_target t JOIN service_calendar c ON c.id = t.calendar_id")):
        counts.setdefault(contract_id, Counter())[zone] += 1
    return {cid: c.most_common(1)[0][0] for cid, c in counts.items()}


def _backfill(conn) -> None:
    zones = _zones(conn)
    batches = {bid: (cid, kind, json.loads(options or "{}")) for bid, cid, kind, options in conn.execute(sa.text(
        "SELECT id, contract_id, kind, options_json FROM import_batch"))}
    found: dict[int, tuple[int, int, str, str]] = {}

    def months(batch_id: int, first: int, last: int, what: str) -> None:
        """Whole months of the records, in the contract's zone: until now a batch stood for its months, and a
        workspace keeps the verdicts it had (the coverage of files imported from now on is stricter)."""
        zone = ZoneInfo(zones.get(batches[batch_id][0], "UTC"))
        a, b = (datetime.fromtimestamp(t, UTC).astimezone(zone) for t in (first, last))
        label = f"{a:%Y-%m}..{b:%Y-%m}"
        found[batch_id] = (*_span(label, zone), f"the months of its {what}", label)

    for batch_id, first, last in conn.execute(sa.text(
            "SELECT batch_id, MIN(start_at), MAX(end_at) FROM raw_outage GROUP BY batch_id")):
        months(batch_id, first, last, "outages")
    for batch_id, first, last in conn.execute(sa.text(
            "SELECT batch_id, MIN(changed_at), MAX(changed_at) FROM raw_ticket_event GROUP BY batch_id")):
        months(batch_id, first, last, "events")
    for batch_id, first, last in conn.execute(sa.text(
            "SELECT batch_id, MIN(month), MAX(month) FROM raw_ticket_block GROUP BY batch_id")):
        if batch_id not in found:  # a ticket export: the months of its tickets, read in each target's zone
            label = f"{first // 100}-{first % 100:02d}..{last // 100}-{last % 100:02d}"
            zone = ZoneInfo(zones.get(batches[batch_id][0], "UTC"))
            found[batch_id] = (*_span(label, zone), "the months of its tickets", label)
    blocks: dict[int, list] = {}
    for batch_id, first, last, count in conn.execute(sa.text(
            "SELECT batch_id, first_at, last_at, count FROM raw_sample_block")).all():
        blocks.setdefault(batch_id, []).append((first, last, count))
    for batch_id, parts in blocks.items():
        steps = sorted(round((b - a) / (n - 1)) for a, b, n in parts if n > 1 and b > a) or [300]
        step = int(steps[len(steps) // 2])
        found[batch_id] = (min(a for a, _, _ in parts) // step * step,
                           max(b for _, b, _ in parts) // step * step + step,
                           "its samples' first interval to their last", "")
    for batch_id, (contract_id, _kind, options) in batches.items():
        label = options.get("period") or ""
        if label and batch_id in found:  # imported with --period: that is what it covers
            zone = ZoneInfo(zones.get(contract_id, "UTC"))
            found[batch_id] = (*_span(label, zone), f"the period given with --period ({label})", label)
    for batch_id, (start, end, how, label) in found.items():
        conn.execute(sa.text("UPDATE import_batch SET covers_start = :s, covers_end = :e, covers_how = :h, "
                             "covers_label = :l WHERE id = :i"),
                     {"s": int(start), "e": int(end), "h": BEFORE + how, "l": label, "i": batch_id})


def _clear_derived_responses(conn) -> None:
    """Ticket blocks of event-log batches whose file had no response column: their responded_at was derived."""
    from sltdesk.codecs.frames import decode_frame, encode_frame

    derived = [bid for bid, mapping in conn.execute(sa.text(
        "SELECT id, mapping_json FROM import_batch WHERE kind = 'ticket-events'"))
        if "responded_at" not in json.loads(mapping or "{}")]
    for batch_id in derived:
        for block_id, payload in conn.execute(sa.text(
                "SELECT id, payload FROM raw_ticket_block WHERE batch_id = :b"), {"b": batch_id}).all():
            frame = decode_frame(bytes(payload))
            if "responded_at" not in frame or (frame["responded_at"] == NA_TIME).all():
                continue
            frame["responded_at"] = np.full(len(frame), NA_TIME, dtype=np.int64)
            conn.execute(sa.text("UPDATE raw_ticket_block SET payload = :p WHERE id = :i"),
                         {"p": encode_frame(frame), "i": block_id})


def _at(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, time(), zone).timestamp())


def _span(label: str, zone: ZoneInfo) -> tuple[int, int]:
    """A period or span label (2026-03, 2026-Q1, 2026, 2025-05..2026-10) as epoch seconds in a zone."""
    head, _, tail = label.partition("..")
    return _at(_bounds(head)[0], zone), _at(_bounds(tail or head)[1], zone)


def _bounds(text: str) -> tuple[date, date]:
    text = text.strip()
    if "-Q" in text.upper():
        year, quarter = int(text[:4]), int(text[-1])
        first = date(year, 3 * quarter - 2, 1)
        return first, _months_later(first, 3)
    if len(text) == 4:
        return date(int(text), 1, 1), date(int(text) + 1, 1, 1)
    first = date(int(text[:4]), int(text[5:7]), 1)
    return first, _months_later(first, 1)


def _months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def downgrade() -> None:
    op.drop_index(op.f("ix_period_mark_contract_id"), table_name="period_mark")
    op.drop_table("period_mark")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch rebuild of import_batch would drop
    # the table, and with foreign keys on SQLite that deletes every imported record through ON DELETE CASCADE.
    for column in ("covers_label", "covers_how", "covers_end", "covers_start"):
        op.execute(f"ALTER TABLE import_batch DROP COLUMN {column}")
