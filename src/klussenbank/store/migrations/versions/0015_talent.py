"""talents colleagues can find: a findable profile with a short text, "dates" between colleagues, and
access-log rows that belong to no klus (a talent search, a date request)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("availability_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findable", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("talent_text", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.alter_column("klus_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "talent_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["people.id"],
            name=op.f("fk_talent_dates_requester_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["people.id"], name=op.f("fk_talent_dates_talent_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_dates")),
    )
    with op.batch_alter_table("talent_dates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talent_dates_requester_id"), ["requester_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_talent_dates_talent_id"), ["talent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_talent_dates_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("talent_dates")
    op.execute("DELETE FROM access_log WHERE klus_id IS NULL")  # (talent searches and dates)
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.alter_column("klus_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("availability_profiles", schema=None) as batch_op:
        batch_op.drop_column("talent_text")
        batch_op.drop_column("findable")
