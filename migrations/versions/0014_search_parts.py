"""search parts: GIN indexes on each document's head and on eight parts of the tsvector index

Revision ID: 0014_search_parts
Revises: 0013_gin_pending_list
Create Date: 2026-11-22 21:30:00.000000

PostgreSQL only (the table is empty and unused on SQLite). ``ix_search_documents_head``
indexes the lexemes weighted A, B or C (title, accepted answer, question): the candidates of
a common query are drawn from it. ``ix_search_documents_tsv_0`` … ``_7`` index the same
tsvectors as ``ix_search_documents_tsv``, split by ``id % 8``: a count stops after the parts
that reach its limit (forum/search/pg_query.py). Building them takes about 20 s at a million
posts.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_search_parts'
down_revision = '0013_gin_pending_list'
branch_labels = None
depends_on = None

GIN = {'postgresql_using': 'gin', 'postgresql_with': {'gin_pending_list_limit': 256}}
HEAD = """ts_filter(tsv, '{a,b,c}'::"char"[])"""
PARTS = 8


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.create_index('ix_search_documents_head', 'search_documents', [sa.text(HEAD)], **GIN)
    for part in range(PARTS):
        op.create_index(
            f'ix_search_documents_tsv_{part}', 'search_documents', ['tsv'],
            postgresql_where=sa.text(f'id % {PARTS} = {part}'), **GIN,
        )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for part in range(PARTS):
        op.drop_index(f'ix_search_documents_tsv_{part}', table_name='search_documents')
    op.drop_index('ix_search_documents_head', table_name='search_documents')
