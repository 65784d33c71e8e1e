"""the poster's card of a month's hours, so it is changed in place when the employee reports again

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hours", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poster_message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_hours_poster_message_id_outbox_messages"),
            "outbox_messages",
            ["poster_message_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("hours", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_hours_poster_message_id_outbox_messages"), type_="foreignkey")
        batch_op.drop_column("poster_message_id")
