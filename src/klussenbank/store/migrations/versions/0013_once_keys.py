"""one-time keys of card buttons that create something

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "once_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_once_keys")),
        sa.UniqueConstraint("actor_id", "key", name=op.f("uq_once_keys_actor_id")),
    )
    with op.batch_alter_table("once_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_once_keys_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("once_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_once_keys_created_at"))
    op.drop_table("once_keys")
