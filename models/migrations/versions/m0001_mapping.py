"""End-to-end targets, escalation levels, chain components and component mappings.

Revision ID: m0001
Revises: 0002
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "m0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "end_to_end_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("business_unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("metric", sa.String(40), nullable=False),
        sa.Column("threshold", DecimalText(), nullable=False),
        sa.Column("comparison", sa.String(2), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("measurement_period", sa.String(10), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("tier", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("composition", sa.String(40), nullable=False),
        sa.Column("weights_rationale", sa.Text(), nullable=False),
        sa.Column("product_line", sa.String(200), nullable=False),
        sa.Column("data_owner", sa.String(200), nullable=False),
        sa.Column("source_system", sa.String(200), nullable=False),
        sa.Column("expected_volume", DecimalText(), nullable=True),
        sa.Column("volume_unit", sa.String(100), nullable=False),
        sa.Column("third_party_dependencies", sa.JSON(), nullable=False),
        sa.Column("assumptions", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="RESTRICT",
                                name=op.f("fk_end_to_end_target_service_id_service")),
        sa.ForeignKeyConstraint(["business_unit_id"], ["business_unit.id"], ondelete="RESTRICT",
                                name=op.f("fk_end_to_end_target_business_unit_id_business_unit")),
        sa.ForeignKeyConstraint(["calendar_id"], ["service_calendar.id"], ondelete="RESTRICT",
                                name=op.f("fk_end_to_end_target_calendar_id_service_calendar")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_end_to_end_target")),
        sa.UniqueConstraint("service_id", "name", name=op.f("uq_end_to_end_target_service_id")),
    )
    for column in ("service_id", "business_unit_id", "calendar_id"):
        op.create_index(op.f(f"ix_end_to_end_target_{column}"), "end_to_end_target", [column])
    op.create_table(
        "escalation_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("decision_authority", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(200), nullable=False),
        sa.Column("minutes_to_escalate", sa.Integer(), nullable=False),
        sa.Column("remediation_steps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["end_to_end_target.id"], ondelete="RESTRICT",
                                name=op.f("fk_escalation_level_target_id_end_to_end_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_level")),
        sa.UniqueConstraint("target_id", "level", name=op.f("uq_escalation_level_target_id")),
    )
    op.create_index(op.f("ix_escalation_level_target_id"), "escalation_level", ["target_id"])
    op.create_table(
        "chain_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("weight", DecimalText(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["end_to_end_target.id"], ondelete="RESTRICT",
                                name=op.f("fk_chain_component_target_id_end_to_end_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_component")),
        sa.UniqueConstraint("target_id", "name", name=op.f("uq_chain_component_target_id")),
    )
    op.create_index(op.f("ix_chain_component_target_id"), "chain_component", ["target_id"])
    op.create_table(
        "component_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("contract_target_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["component_id"], ["chain_component.id"], ondelete="RESTRICT",
                                name=op.f("fk_component_mapping_component_id_chain_component")),
        sa.ForeignKeyConstraint(["contract_target_id"], ["contract_target.id"], ondelete="RESTRICT",
                                name=op.f("fk_component_mapping_contract_target_id_contract_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_component_mapping")),
        sa.UniqueConstraint("component_id", "contract_target_id", name=op.f("uq_component_mapping_component_id")),
    )
    op.create_index(op.f("ix_component_mapping_component_id"), "component_mapping", ["component_id"])
    op.create_index(op.f("ix_component_mapping_contract_target_id"), "component_mapping", ["contract_target_id"])


def downgrade() -> None:
    op.drop_table("component_mapping")
    op.drop_table("chain_component")
    op.drop_table("escalation_level")
    op.drop_table("end_to_end_target")
