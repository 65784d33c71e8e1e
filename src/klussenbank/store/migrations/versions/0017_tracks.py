"""development tracks, their timeline, coaching wishes; an access log row may be about no klus

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_key", sa.String(length=64), nullable=False),
        sa.Column("adviser_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_tracks_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracks")),
    )
    with op.batch_alter_table("tracks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tracks_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tracks_adviser_id"), ["adviser_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tracks_ended_at"), ["ended_at"], unique=False)
    op.create_table(
        "track_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("klus_title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"], ["tracks.id"], name=op.f("fk_track_events_track_id_tracks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_events")),
    )
    with op.batch_alter_table("track_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_track_events_track_id"), ["track_id"], unique=False)
    op.create_table(
        "coaching_wishes",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_coaching_wishes_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_coaching_wishes")),
    )


def downgrade() -> None:
    op.drop_table("coaching_wishes")
    with op.batch_alter_table("track_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_track_events_track_id"))
    op.drop_table("track_events")
    with op.batch_alter_table("tracks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracks_ended_at"))
        batch_op.drop_index(batch_op.f("ix_tracks_adviser_id"))
        batch_op.drop_index(batch_op.f("ix_tracks_person_id"))
    op.drop_table("tracks")
