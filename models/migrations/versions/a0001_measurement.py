"""Measurement rules of contract targets, and force-majeure exceptions with evidence files.

Revision ID: a0001
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "a0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('force_majeure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('start', sa.BigInteger(), nullable=False),
    sa.Column('end', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('requested_at', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.String(length=32), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_force_majeure_contract_id_contract'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['target_id'], ['contract_target.id'], name=op.f('fk_force_majeure_target_id_contract_target'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_force_majeure'))
    )
    op.create_index(op.f('ix_force_majeure_contract_id'), 'force_majeure', ['contract_id'], unique=False)
    op.create_table('measurement_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('stop', sa.String(length=20), nullable=False),
    sa.Column('start', sa.String(length=20), nullable=False),
    sa.Column('limit_minutes', DecimalText(), nullable=False),
    sa.Column('percentile', sa.Integer(), nullable=False),
    sa.Column('business_clock', sa.Boolean(), nullable=False),
    sa.Column('pause_states', sa.JSON(), nullable=False),
    sa.Column('weighted_by_impact', sa.Boolean(), nullable=False),
    sa.Column('error_limit_percent', DecimalText(), nullable=False),
    sa.Column('missing_data', sa.String(length=20), nullable=False),
    sa.Column('budgeting', sa.String(length=20), nullable=False),
    sa.Column('interval_seconds', sa.Integer(), nullable=False),
    sa.Column('probe', sa.String(length=200), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=False),
    sa.Column('maintenance_notice_days', sa.Integer(), nullable=False),
    sa.Column('report_name', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['contract_target.id'], name=op.f('fk_measurement_rule_target_id_contract_target'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement_rule')),
    sa.UniqueConstraint('target_id', name=op.f('uq_measurement_rule_target_id'))
    )
    op.create_table('force_majeure_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exception_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.Column('added_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['exception_id'], ['force_majeure.id'], name=op.f('fk_force_majeure_evidence_exception_id_force_majeure'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_force_majeure_evidence'))
    )
    op.create_index(op.f('ix_force_majeure_evidence_exception_id'), 'force_majeure_evidence', ['exception_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_force_majeure_evidence_exception_id'), table_name='force_majeure_evidence')
    op.drop_table('force_majeure_evidence')
    op.drop_table('measurement_rule')
    op.drop_index(op.f('ix_force_majeure_contract_id'), table_name='force_majeure')
    op.drop_table('force_majeure')
