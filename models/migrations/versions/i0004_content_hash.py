"""Content hashes of import batches, so `sltdesk audit verify --deep` can tell records changed outside the app.

Batches imported from now on carry their content hash in their audit entry (sltdesk/rules/content_hash.py: the
sum of the SHA-256 digests of their records). For the batches stored before this revision the hash is computed
here, over what they hold at the upgrade, and kept on the batch with the time of the upgrade: `--deep` checks
them against it and says the hash was recorded at the upgrade, not at the import (an edit made before the
upgrade cannot be seen).

Revision ID: i0004
Revises: i0003
Create Date: 2027-01-10
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "i0004"
down_revision = "i0003"
branch_labels = None
depends_on = None

_TYPES = {"planned": sa.Boolean(), "met": sa.Boolean(), "impact_percent": sa.Float(), "payload": sa.LargeBinary(),
          "target_value": DecimalText(), "achieved": DecimalText(), "amount": DecimalText()}
_NAMES = {"RawTicketEvent": "raw_ticket_event", "RawOutage": "raw_outage", "RawReportLine": "vendor_report_line",
          "RawCreditNoteLine": "credit_note_line", "RawMaintenanceWindow": "maintenance_window"}


class _Raw:
    """The part of the raw-data port the hash needs (a batch's records and blocks), over the tables as this
    revision knows them."""

    def __init__(self, conn):
        self._conn = conn

    def _rows(self, name, columns, contract_id, batch_id):
        t = sa.table(name, *(sa.column(n, _TYPES.get(n)) for n in {*columns, "contract_id", "batch_id"}))
        query = sa.select(*(t.c[c] for c in columns)).where(t.c.contract_id == contract_id, t.c.batch_id == batch_id)
        return self._conn.execute(query).all()

    def records(self, kind, *, contract_id, batch_id, ids=None):
        from sltdesk.domain.raw_records import Stored

        rows = self._rows(_NAMES[kind.__name__], ("id", "batch_id", *kind._fields), contract_id, batch_id)
        return [Stored(r[0], r[1], kind._make(r[2:])) for r in rows]

    def ticket_block_bytes(self, *, contract_id, batch_id, ids=None):
        return self._blocks("raw_ticket_block", "month", contract_id, batch_id)

    def sample_block_bytes(self, *, contract_id, batch_id, ids=None):
        return self._blocks("raw_sample_block", "probe", contract_id, batch_id)

    def _blocks(self, name, key, contract_id, batch_id):
        from sltdesk.domain.raw_records import BlockBytes

        return [BlockBytes(*r) for r in self._rows(name, ("batch_id", key, "count", "payload"), contract_id, batch_id)]


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("content_sum", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("content_records", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("content_hashed_at", sa.String(length=32), nullable=True))
    from sltdesk.services.batch_content import batch_digest

    conn = op.get_bind()
    raw = _Raw(conn)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    batches = sa.table("import_batch", sa.column("id"), sa.column("contract_id"), sa.column("content_sum"),
                       sa.column("content_records"), sa.column("content_hashed_at"))
    for batch_id, contract_id in conn.execute(sa.select(batches.c.id, batches.c.contract_id)).all():
        digest = batch_digest(raw, batch_id=batch_id, contract_id=contract_id)
        conn.execute(batches.update().where(batches.c.id == batch_id).values(
            content_sum=digest.hex, content_records=digest.records, content_hashed_at=now))


def downgrade() -> None:
    # never by copying the table: on SQLite, dropping the old import_batch would cascade to every raw record
    with op.batch_alter_table("import_batch", recreate="never") as batch:
        batch.drop_column("content_hashed_at")
        batch.drop_column("content_records")
        batch.drop_column("content_sum")
