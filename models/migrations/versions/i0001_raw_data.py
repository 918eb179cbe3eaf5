"""Imported raw vendor data with provenance: batches, tickets, events, outages, sample blocks,
vendor reports, credit notes, maintenance windows and mapping profiles.

Revision ID: i0001
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from models.types import DecimalText

revision = "i0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('options_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name=op.f('fk_import_profile_supplier_id_supplier'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_profile'))
    )
    op.create_index('ix_import_profile_supplier_kind_name', 'import_profile', ['supplier_id', 'kind', 'name'], unique=True)
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('sheet', sa.String(length=200), nullable=False),
    sa.Column('header_row', sa.Integer(), nullable=True),
    sa.Column('mapping_json', sa.Text(), nullable=False),
    sa.Column('options_json', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.String(length=32), nullable=False),
    sa.Column('imported_by', sa.String(length=200), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_accepted', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('findings_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_import_batch_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_index(op.f('ix_import_batch_contract_id'), 'import_batch', ['contract_id'], unique=False)
    op.create_index(op.f('ix_import_batch_kind'), 'import_batch', ['kind'], unique=False)
    op.create_index(op.f('ix_import_batch_sha256'), 'import_batch', ['sha256'], unique=False)
    op.create_table('credit_note_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.String(length=100), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=True),
    sa.Column('line', sa.String(length=40), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('amount', DecimalText(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_credit_note_line_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_credit_note_line_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_note_line'))
    )
    op.create_index(op.f('ix_credit_note_line_batch_id'), 'credit_note_line', ['batch_id'], unique=False)
    op.create_index(op.f('ix_credit_note_line_contract_id'), 'credit_note_line', ['contract_id'], unique=False)
    op.create_table('maintenance_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('start_at', sa.BigInteger(), nullable=False),
    sa.Column('end_at', sa.BigInteger(), nullable=False),
    sa.Column('service', sa.String(length=300), nullable=True),
    sa.Column('reference', sa.String(length=300), nullable=True),
    sa.Column('notified_at', sa.BigInteger(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_maintenance_window_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_maintenance_window_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maintenance_window'))
    )
    op.create_index(op.f('ix_maintenance_window_batch_id'), 'maintenance_window', ['batch_id'], unique=False)
    op.create_index('ix_maintenance_window_contract_start', 'maintenance_window', ['contract_id', 'start_at'], unique=False)
    op.create_table('raw_outage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('outage_id', sa.String(length=100), nullable=True),
    sa.Column('service', sa.String(length=200), nullable=True),
    sa.Column('start_at', sa.BigInteger(), nullable=False),
    sa.Column('end_at', sa.BigInteger(), nullable=False),
    sa.Column('impact_percent', sa.Float(), nullable=True),
    sa.Column('planned', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_raw_outage_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_raw_outage_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_outage'))
    )
    op.create_index(op.f('ix_raw_outage_batch_id'), 'raw_outage', ['batch_id'], unique=False)
    op.create_index('ix_raw_outage_contract_start', 'raw_outage', ['contract_id', 'start_at'], unique=False)
    op.create_table('raw_sample_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('probe', sa.String(length=200), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.BigInteger(), nullable=False),
    sa.Column('last_at', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_raw_sample_block_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_raw_sample_block_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_sample_block'))
    )
    op.create_index(op.f('ix_raw_sample_block_batch_id'), 'raw_sample_block', ['batch_id'], unique=False)
    op.create_index('ix_raw_sample_block_contract_probe_day', 'raw_sample_block', ['contract_id', 'probe', 'day'], unique=False)
    op.create_table('raw_ticket_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_raw_ticket_block_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_raw_ticket_block_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_ticket_block'))
    )
    op.create_index(op.f('ix_raw_ticket_block_batch_id'), 'raw_ticket_block', ['batch_id'], unique=False)
    op.create_index('ix_raw_ticket_block_contract_month', 'raw_ticket_block', ['contract_id', 'month'], unique=False)
    op.create_table('raw_ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.BigInteger(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_raw_ticket_event_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_raw_ticket_event_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_ticket_event'))
    )
    op.create_index(op.f('ix_raw_ticket_event_batch_id'), 'raw_ticket_event', ['batch_id'], unique=False)
    op.create_index('ix_raw_ticket_event_contract_ticket', 'raw_ticket_event', ['contract_id', 'ticket_id'], unique=False)
    op.create_table('vendor_report_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('target_name', sa.String(length=300), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=True),
    sa.Column('target_value', DecimalText(), nullable=True),
    sa.Column('achieved', DecimalText(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_vendor_report_line_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_vendor_report_line_contract_id_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_report_line'))
    )
    op.create_index(op.f('ix_vendor_report_line_batch_id'), 'vendor_report_line', ['batch_id'], unique=False)
    op.create_index(op.f('ix_vendor_report_line_contract_id'), 'vendor_report_line', ['contract_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_vendor_report_line_contract_id'), table_name='vendor_report_line')
    op.drop_index(op.f('ix_vendor_report_line_batch_id'), table_name='vendor_report_line')
    op.drop_table('vendor_report_line')
    op.drop_index('ix_raw_ticket_event_contract_ticket', table_name='raw_ticket_event')
    op.drop_index(op.f('ix_raw_ticket_event_batch_id'), table_name='raw_ticket_event')
    op.drop_table('raw_ticket_event')
    op.drop_table('raw_ticket_block')
    op.drop_index('ix_raw_sample_block_contract_probe_day', table_name='raw_sample_block')
    op.drop_index(op.f('ix_raw_sample_block_batch_id'), table_name='raw_sample_block')
    op.drop_table('raw_sample_block')
    op.drop_index('ix_raw_outage_contract_start', table_name='raw_outage')
    op.drop_index(op.f('ix_raw_outage_batch_id'), table_name='raw_outage')
    op.drop_table('raw_outage')
    op.drop_index('ix_maintenance_window_contract_start', table_name='maintenance_window')
    op.drop_index(op.f('ix_maintenance_window_batch_id'), table_name='maintenance_window')
    op.drop_table('maintenance_window')
    op.drop_index(op.f('ix_credit_note_line_contract_id'), table_name='credit_note_line')
    op.drop_index(op.f('ix_credit_note_line_batch_id'), table_name='credit_note_line')
    op.drop_table('credit_note_line')
    op.drop_index(op.f('ix_import_batch_sha256'), table_name='import_batch')
    op.drop_index(op.f('ix_import_batch_kind'), table_name='import_batch')
    op.drop_index(op.f('ix_import_batch_contract_id'), table_name='import_batch')
    op.drop_table('import_batch')
    op.drop_index('ix_import_profile_supplier_kind_name', table_name='import_profile')
    op.drop_table('import_profile')
