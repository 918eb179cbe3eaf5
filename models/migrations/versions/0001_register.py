"""The supplier register and the audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_info",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_workspace_info")),
    )
    op.create_table(
        "business_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_business_unit_name")),
    )
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("criticality", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier")),
        sa.UniqueConstraint("name", name=op.f("uq_supplier_name")),
    )
    op.create_table(
        "service_calendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("holiday_country", sa.String(8), nullable=False),
        sa.Column("holiday_subdivision", sa.String(16), nullable=False),
        sa.Column("closure_days", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_calendar")),
        sa.UniqueConstraint("name", name=op.f("uq_service_calendar_name")),
    )
    op.create_table(
        "service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("business_unit_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["business_unit_id"], ["business_unit.id"], ondelete="RESTRICT",
                                name=op.f("fk_service_business_unit_id_business_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service")),
    )
    op.create_index(op.f("ix_service_business_unit_id"), "service", ["business_unit_id"])
    op.create_table(
        "supplier_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"], ondelete="RESTRICT",
                                name=op.f("fk_supplier_contact_supplier_id_supplier")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_contact")),
    )
    op.create_index(op.f("ix_supplier_contact_supplier_id"), "supplier_contact", ["supplier_id"])
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(60), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("charges", DecimalText(), nullable=False),
        sa.Column("charges_period", sa.String(10), nullable=False),
        sa.Column("renewal_type", sa.String(10), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("rounding", sa.String(10), nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"], ondelete="RESTRICT",
                                name=op.f("fk_contract_supplier_id_supplier")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("ref", name=op.f("uq_contract_ref")),
    )
    op.create_index(op.f("ix_contract_supplier_id"), "contract", ["supplier_id"])
    op.create_table(
        "contract_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("metric", sa.String(40), nullable=False),
        sa.Column("threshold", DecimalText(), nullable=False),
        sa.Column("comparison", sa.String(2), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("measurement_period", sa.String(10), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], ondelete="RESTRICT",
                                name=op.f("fk_contract_target_contract_id_contract")),
        sa.ForeignKeyConstraint(["calendar_id"], ["service_calendar.id"], ondelete="RESTRICT",
                                name=op.f("fk_contract_target_calendar_id_service_calendar")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_target")),
        sa.UniqueConstraint("contract_id", "name", name=op.f("uq_contract_target_contract_id")),
    )
    op.create_index(op.f("ix_contract_target_contract_id"), "contract_target", ["contract_id"])
    op.create_index(op.f("ix_contract_target_calendar_id"), "contract_target", ["calendar_id"])
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at_utc", sa.String(32), nullable=False),
        sa.Column("os_user", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.Column("app_version", sa.String(40), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_entry_prev_hash")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entry_hash")),
    )
    op.create_index(op.f("ix_audit_entry_action"), "audit_entry", ["action"])
    op.create_index(op.f("ix_audit_entry_entity"), "audit_entry", ["entity"])


def downgrade() -> None:
    for table in ("audit_entry", "contract_target", "contract", "supplier_contact", "service",
                  "service_calendar", "supplier", "business_unit", "workspace_info"):
        op.drop_table(table)
