"""search parts by a hash of the id: the eight partial tsvector indexes split documents by
``hashint4extended(id, 0) & 7`` instead of ``id % 8``

Revision ID: 0016_search_parts_hashed
Revises: 0015_posts_author_created
Create Date: 2026-11-23 09:30:00.000000

PostgreSQL only (the table is empty and unused on SQLite). A count of common words now stops
after the first part when that part alone holds more than twice its share of the limit
(forum/search/pg_statements.py, parts_count): a conclusion about the whole that holds only if
a document's part does not depend on its words. Ids are given in the order threads were
written, so ``id % 8`` could follow a pattern in the content (an import that cycled through
eight categories); a hash of the id follows none. ``hashint4extended`` is the function
PostgreSQL's hash partitioning is defined by, so its values stay the same across upgrades.
Building the eight indexes took 29 s at a million posts; writes to
``search_documents`` (outbox drains) wait until then.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_search_parts_hashed'
down_revision = '0015_posts_author_created'
branch_labels = None
depends_on = None

GIN = {'postgresql_using': 'gin', 'postgresql_with': {'gin_pending_list_limit': 256}}
PARTS = 8


def rebuild(predicate):
    if op.get_bind().dialect.name != 'postgresql':
        return
    for part in range(PARTS):
        name = f'ix_search_documents_tsv_{part}'
        op.drop_index(name, table_name='search_documents')
        op.create_index(
            name, 'search_documents', ['tsv'],
            postgresql_where=sa.text(f'{predicate} = {part}'), **GIN,
        )


def upgrade():
    rebuild(f'(hashint4extended(id, 0) & {PARTS - 1})')


def downgrade():
    rebuild(f'id % {PARTS}')
