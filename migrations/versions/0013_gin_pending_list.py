"""gin pending list: search_documents' GIN indexes merge new entries at 256 kB, not 4 MB

Revision ID: 0013_gin_pending_list
Revises: 0012_audit_target_index
Create Date: 2026-11-22 15:10:00.000000

Every search reads a GIN index's pending list from end to end; a smaller list keeps that
short. PostgreSQL only (the table is empty and unused on SQLite).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_gin_pending_list'
down_revision = '0012_audit_target_index'
branch_labels = None
depends_on = None

INDEXES = ('ix_search_documents_tsv', 'ix_search_documents_title_tsv', 'ix_search_documents_pairs')


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in INDEXES:
        op.execute(f'ALTER INDEX {name} SET (gin_pending_list_limit = 256)')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in INDEXES:
        op.execute(f'ALTER INDEX {name} RESET (gin_pending_list_limit)')
