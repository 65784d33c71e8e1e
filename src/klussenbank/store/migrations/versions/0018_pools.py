"""pools run by a coordinator: members, onboarding steps, qualifications (and their reminders),
unavailable periods; a klus's pool and required qualifications

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _person(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    return (
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f(f"fk_{table}_person_id_people"), ondelete="CASCADE"
        ),
    )


def upgrade() -> None:
    op.create_table(
        "pool_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_key", sa.String(length=64), nullable=False),
        *_person("pool_members"),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_members")),
        sa.UniqueConstraint("pool_key", "person_id", name=op.f("uq_pool_members_pool_key")),
    )
    op.create_table(
        "onboarding_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_key", sa.String(length=64), nullable=False),
        *_person("onboarding_steps"),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("done_by", sa.String(length=64), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_steps")),
        sa.UniqueConstraint("pool_key", "person_id", "step", name=op.f("uq_onboarding_steps_pool_key")),
    )
    op.create_table(
        "qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        *_person("qualifications"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("obtained_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
        sa.UniqueConstraint("person_id", "name", name=op.f("uq_qualifications_person_id")),
    )
    op.create_table(
        "qualification_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("qualification_id", sa.Integer(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["qualification_id"],
            ["qualifications.id"],
            name=op.f("fk_qualification_reminders_qualification_id_qualifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_reminders")),
        sa.UniqueConstraint(
            "qualification_id", "expires_on", name=op.f("uq_qualification_reminders_qualification_id")
        ),
    )
    op.create_table(
        "unavailable_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        *_person("unavailable_periods"),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unavailable_periods")),
    )
    for table in ("pool_members", "onboarding_steps", "qualifications", "unavailable_periods"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qualifications_expires_on"), ["expires_on"], unique=False)
    with op.batch_alter_table("unavailable_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unavailable_periods_last_day"), ["last_day"], unique=False)
    with op.batch_alter_table("klussen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pool_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("qualifications", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_klussen_pool_key"), ["pool_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("klussen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_klussen_pool_key"))
    # (Not in a batch: on SQLite that copies the table, and dropping the old one would take every
    # approval and agreement with it, by their foreign keys' cascades. SQLite drops columns itself.)
    op.execute("ALTER TABLE klussen DROP COLUMN qualifications")
    op.execute("ALTER TABLE klussen DROP COLUMN pool_key")
    for table in (
        "qualification_reminders",
        "unavailable_periods",
        "qualifications",
        "onboarding_steps",
        "pool_members",
    ):
        op.drop_table(table)
