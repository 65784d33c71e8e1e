"""klussen

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "klussen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("work_mode", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("people_needed", sa.Integer(), nullable=False),
        sa.Column("interest_deadline", sa.Date(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("internal_first_until", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_klussen_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["poster_id"], ["people.id"], name=op.f("fk_klussen_poster_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_klussen")),
    )
    with op.batch_alter_table("klussen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_klussen_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_klussen_poster_id"), ["poster_id"], unique=False)
        batch_op.create_index("ix_klussen_status_deadline", ["status", "interest_deadline"], unique=False)

    op.create_table(
        "interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("klus_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["klus_id"], ["klussen.id"], name=op.f("fk_interests_klus_id_klussen"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_interests_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interests")),
        sa.UniqueConstraint("klus_id", "person_id", name=op.f("uq_interests_klus_id")),
    )
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interests_klus_id"), ["klus_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interests_person_id"), ["person_id"], unique=False)

    op.create_table(
        "klus_skills",
        sa.Column("klus_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["klus_id"], ["klussen.id"], name=op.f("fk_klus_skills_klus_id_klussen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("klus_id", "position", name=op.f("pk_klus_skills")),
    )
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("klus_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["klus_id"], ["klussen.id"], name=op.f("fk_suggestions_klus_id_klussen"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_suggestions_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint("klus_id", "person_id", name=op.f("uq_suggestions_klus_id")),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestions_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_klus_id"), ["klus_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("availability_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggestions", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(
            sa.Column("visible_to_own_line", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("availability_profiles", schema=None) as batch_op:
        batch_op.drop_column("visible_to_own_line")
        batch_op.drop_column("suggestions")

    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestions_person_id"))
        batch_op.drop_index(batch_op.f("ix_suggestions_klus_id"))
        batch_op.drop_index(batch_op.f("ix_suggestions_created_at"))

    op.drop_table("suggestions")
    op.drop_table("klus_skills")
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interests_person_id"))
        batch_op.drop_index(batch_op.f("ix_interests_klus_id"))

    op.drop_table("interests")
    with op.batch_alter_table("klussen", schema=None) as batch_op:
        batch_op.drop_index("ix_klussen_status_deadline")
        batch_op.drop_index(batch_op.f("ix_klussen_poster_id"))
        batch_op.drop_index(batch_op.f("ix_klussen_organisation_id"))

    op.drop_table("klussen")
