"""Questionnaire templates, assessments and answers; per-period target results.

Revision ID: q0001
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "q0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_template")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_questionnaire_template_name")),
    )
    op.create_index(op.f("ix_questionnaire_template_fingerprint"), "questionnaire_template", ["fingerprint"])
    op.create_table(
        "questionnaire_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("weight", DecimalText(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["template_id"], ["questionnaire_template.id"], ondelete="CASCADE",
                                name=op.f("fk_questionnaire_section_template_id_questionnaire_template")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_section")),
        sa.UniqueConstraint("template_id", "code", name=op.f("uq_questionnaire_section_template_id")),
    )
    op.create_index(op.f("ix_questionnaire_section_template_id"), "questionnaire_section", ["template_id"])
    op.create_table(
        "questionnaire_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("section_code", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=False),
        sa.Column("weight", DecimalText(), nullable=False),
        sa.Column("scale", sa.JSON(), nullable=False),
        sa.Column("evidence_requested", sa.Boolean(), nullable=False),
        sa.Column("criticality", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["template_id"], ["questionnaire_template.id"], ondelete="CASCADE",
                                name=op.f("fk_questionnaire_question_template_id_questionnaire_template")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_question")),
        sa.UniqueConstraint("template_id", "code", name=op.f("uq_questionnaire_question_template_id")),
    )
    op.create_index(op.f("ix_questionnaire_question_template_id"), "questionnaire_question", ["template_id"])
    op.create_table(
        "questionnaire_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"], ondelete="RESTRICT",
                                name=op.f("fk_questionnaire_assessment_supplier_id_supplier")),
        sa.ForeignKeyConstraint(["template_id"], ["questionnaire_template.id"], ondelete="RESTRICT",
                                name=op.f("fk_questionnaire_assessment_template_id_questionnaire_template")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_assessment")),
    )
    op.create_index(op.f("ix_questionnaire_assessment_supplier_id"), "questionnaire_assessment", ["supplier_id"])
    op.create_index(op.f("ix_questionnaire_assessment_template_id"), "questionnaire_assessment", ["template_id"])
    op.create_table(
        "questionnaire_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_code", sa.String(100), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["questionnaire_assessment.id"], ondelete="CASCADE",
                                name=op.f("fk_questionnaire_answer_assessment_id_questionnaire_assessment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_answer")),
        sa.UniqueConstraint("assessment_id", "question_code", name=op.f("uq_questionnaire_answer_assessment_id")),
    )
    op.create_index(op.f("ix_questionnaire_answer_assessment_id"), "questionnaire_answer", ["assessment_id"])
    op.create_table(
        "target_period_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_target_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("achieved", DecimalText(), nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["contract_target_id"], ["contract_target.id"], ondelete="RESTRICT",
                                name=op.f("fk_target_period_result_contract_target_id_contract_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_period_result")),
        sa.UniqueConstraint("contract_target_id", "period", name=op.f("uq_target_period_result_contract_target_id")),
    )
    op.create_index(op.f("ix_target_period_result_contract_target_id"), "target_period_result",
                    ["contract_target_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_target_period_result_contract_target_id"), table_name="target_period_result")
    op.drop_table("target_period_result")
    op.drop_index(op.f("ix_questionnaire_answer_assessment_id"), table_name="questionnaire_answer")
    op.drop_table("questionnaire_answer")
    op.drop_index(op.f("ix_questionnaire_assessment_template_id"), table_name="questionnaire_assessment")
    op.drop_index(op.f("ix_questionnaire_assessment_supplier_id"), table_name="questionnaire_assessment")
    op.drop_table("questionnaire_assessment")
    op.drop_index(op.f("ix_questionnaire_question_template_id"), table_name="questionnaire_question")
    op.drop_table("questionnaire_question")
    op.drop_index(op.f("ix_questionnaire_section_template_id"), table_name="questionnaire_section")
    op.drop_table("questionnaire_section")
    op.drop_index(op.f("ix_questionnaire_template_fingerprint"), table_name="questionnaire_template")
    op.drop_table("questionnaire_template")
