"""audit targets: entries filed under "localproxy" are entries about users

Revision ID: 0017_audit_localproxy_targets
Revises: 0016_search_parts_hashed
Create Date: 2026-11-23 18:00:00.000000

``record()`` named an entry's target by its class, and a post refused as spam on a page was
recorded against Flask-Login's ``current_user``, a werkzeug ``LocalProxy``: those ``reject``
entries were filed under "localproxy", so the audit log's filter by user (the moderators'
page about an account links to it) never showed them. The only proxy that ever reached
``record()`` is ``current_user``, whose ``id`` is the account's, so every such row's
``target_id`` is a ``users.id``: they become "user". Data only; the schema is unchanged.
The downgrade leaves them: which rows were misfiled is not kept, and "user" is right for
them either way.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_audit_localproxy_targets'
down_revision = '0016_search_parts_hashed'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            "UPDATE moderation_actions SET target_type = 'user' "
            "WHERE target_type = 'localproxy'"
        )
    )


def downgrade():
    pass
