"""secondment agreements in Dutch and English: one row per approval and language

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The agreements made so far are in Dutch.
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=2), nullable=False, server_default="nl"))
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.alter_column("language", server_default=None)
        batch_op.drop_constraint("pk_agreements", type_="primary")
        batch_op.create_primary_key("pk_agreements", ["approval_id", "language"])


def downgrade() -> None:
    # Back to one agreement per approval: the Dutch one stays.
    op.execute("DELETE FROM agreements WHERE language <> 'nl'")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_constraint("pk_agreements", type_="primary")
        batch_op.create_primary_key("pk_agreements", ["approval_id"])
        batch_op.drop_column("language")
