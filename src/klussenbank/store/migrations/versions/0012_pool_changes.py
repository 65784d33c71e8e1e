"""the pool's change log, so that every process's index of the pool sees a change before it answers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pool_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_version")),
    )
    op.create_table(
        "pool_changes",
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("version", "person_id", name=op.f("pk_pool_changes")),
    )


def downgrade() -> None:
    op.drop_table("pool_changes")
    op.drop_table("pool_version")
