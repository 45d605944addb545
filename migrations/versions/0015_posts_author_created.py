"""posts by author and time: ix_posts_author_created replaces ix_posts_author_id

Revision ID: 0015_posts_author_created
Revises: 0014_search_parts
Create Date: 2026-11-22 23:30:00.000000

The spam layers count an author's posts of the last minutes for every new post; through an
index on the author alone that read every post the author ever wrote (5 ms for an author of
18,000 posts at a million posts). The new index serves that count as a range, and everything
the old one served (an author's posts, the foreign key's checks) as its prefix.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_posts_author_created'
down_revision = '0014_search_parts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_posts_author_created', 'posts', ['author_id', 'created_at'])
    op.drop_index('ix_posts_author_id', table_name='posts')


def downgrade():
    op.create_index('ix_posts_author_id', 'posts', ['author_id'])
    op.drop_index('ix_posts_author_created', table_name='posts')
