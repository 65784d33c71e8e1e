"""learning wishes, skills a klus offers to learn and leerklussen, skills confirmed by posters, the pulse

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN (also on SQLite): batch mode would copy the tables (see downgrade).
    for column in ("learning_skills", "learning_other"):
        op.add_column(
            "availability_profiles",
            sa.Column(column, sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        )
    op.add_column("klussen", sa.Column("leerklus", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "skill_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=100), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["approvals.id"],
            name=op.f("fk_skill_confirmations_approval_id_approvals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_skill_confirmations_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_confirmations")),
        sa.UniqueConstraint("approval_id", "skill", name=op.f("uq_skill_confirmations_approval_id")),
    )
    with op.batch_alter_table("skill_confirmations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skill_confirmations_person_id"), ["person_id"], unique=False)
    op.create_table(
        "pulses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("signed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_pulses_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulses")),
        sa.UniqueConstraint("person_id", "month", name=op.f("uq_pulses_person_id")),
    )
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulses_month"), ["month"], unique=False)
        batch_op.create_index(batch_op.f("ix_pulses_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulses_person_id"))
        batch_op.drop_index(batch_op.f("ix_pulses_month"))
    op.drop_table("pulses")
    with op.batch_alter_table("skill_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_confirmations_person_id"))
    op.drop_table("skill_confirmations")
    # Not in batch mode: on SQLite that copies the table, and dropping the old one would cascade to the
    # rows that refer to it (approvals, agreements); SQLite drops a plain column in place.
    op.drop_column("klussen", "leerklus")
    op.drop_column("availability_profiles", "learning_other")
    op.drop_column("availability_profiles", "learning_skills")
