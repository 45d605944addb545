"""audit target index: the audit log's entries about one object, without reading it whole

Revision ID: 0012_audit_target_index
Revises: 0011_category_counts
Create Date: 2026-11-22 14:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_audit_target_index'
down_revision = '0011_category_counts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.create_index(
            'ix_moderation_actions_target', ['target_type', 'target_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_actions_target')
