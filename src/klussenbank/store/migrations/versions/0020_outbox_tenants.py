"""the tenant of each outbox delivery, so the worker shares its sends fairly between tenants; the
tenant each cached Graph user came from

Revision ID: 0020
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tenant_id", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_outbox_deliveries_tenant_due", ["tenant_id", "status", "next_attempt_at"], unique=False
        )
    with op.batch_alter_table("directory_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tenant", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_directory_users_tenant", ["tenant"], unique=False)
    # Deliveries queued before: their recipient's tenant, or their conversation's.
    op.execute(
        "UPDATE outbox_deliveries SET tenant_id = COALESCE("
        "(SELECT people.tenant_id FROM people WHERE people.id = outbox_deliveries.person_id), "
        "(SELECT MAX(c.tenant_id) FROM conversation_references c "
        "WHERE c.conversation_id = outbox_deliveries.conversation_id))"
    )


def downgrade() -> None:
    with op.batch_alter_table("directory_users", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_users_tenant")
        batch_op.drop_column("tenant")
    with op.batch_alter_table("outbox_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_deliveries_tenant_due")
        batch_op.drop_column("tenant_id")
