"""directory cache: users from Microsoft Graph and the delta sync's state

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_users",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("mail", sa.String(length=320), nullable=False),
        sa.Column("user_principal_name", sa.String(length=320), nullable=False),
        sa.Column("department", sa.String(length=256), nullable=True),
        sa.Column("job_title", sa.String(length=256), nullable=True),
        sa.Column("office_location", sa.String(length=256), nullable=True),
        sa.Column("company_name", sa.String(length=256), nullable=True),
        sa.Column("manager_id", sa.String(length=64), nullable=True),
        sa.Column("seen_round", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_users")),
    )
    with op.batch_alter_table("directory_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_users_manager_id"), ["manager_id"], unique=False)

    op.create_table(
        "directory_sync_state",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("next_link", sa.Text(), nullable=True),
        sa.Column("delta_link", sa.Text(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_directory_sync_state")),
    )


def downgrade() -> None:
    op.drop_table("directory_sync_state")
    with op.batch_alter_table("directory_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_users_manager_id"))
    op.drop_table("directory_users")
