"""users.deleted_at: accounts deleted by their owner

Revision ID: 0018_users_deleted_at
Revises: 0017_audit_localproxy_targets
Create Date: 2026-11-23 19:00:00.000000

Self-service account deletion anonymises the row instead of removing it (forum/users/
deletion.py); this column says when, and marks the account as deleted.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_users_deleted_at'
down_revision = '0017_audit_localproxy_targets'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
