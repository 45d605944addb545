"""users.email_version: email change links name the request they belong to

Revision ID: 0019_users_email_version
Revises: 0018_users_deleted_at
Create Date: 2026-11-23 21:30:00.000000

Counts the account's email change requests and their undoing (forum/users/email_change.py).
The confirmation link and the old address's undo link carry the count they were made at, so a
newer request, a cancelled change or a restored address retires them; no column holds the
pending address itself.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_users_email_version'
down_revision = '0018_users_deleted_at'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('email_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_version')
