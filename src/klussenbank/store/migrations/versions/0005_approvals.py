"""approvals of confirmed matches, the cards sent about them, their events, and the access log

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("klus_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=64), nullable=False),
        sa.Column("poster_id", sa.String(length=64), nullable=False),
        sa.Column("organisation_key", sa.String(length=64), nullable=False),
        sa.Column("across", sa.Boolean(), nullable=False),
        sa.Column("share_motivation", sa.Boolean(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("approver_id", sa.String(length=64), nullable=True),
        sa.Column("delegated_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["klus_id"], ["klussen.id"], name=op.f("fk_approvals_klus_id_klussen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
        sa.UniqueConstraint("klus_id", "candidate_id", name=op.f("uq_approvals_klus_id")),
    )
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approvals_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_approvals_approver_id"), ["approver_id"], unique=False)
        batch_op.create_index("ix_approvals_status", ["status"], unique=False)

    op.create_table(
        "approval_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["approvals.id"],
            name=op.f("fk_approval_cards_approval_id_approvals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_approval_cards_message_id_outbox_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_cards")),
    )
    with op.batch_alter_table("approval_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_cards_approval_id"), ["approval_id"], unique=False)

    op.create_table(
        "approval_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("approver_id", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["approvals.id"],
            name=op.f("fk_approval_events_approval_id_approvals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_events")),
    )
    with op.batch_alter_table("approval_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_events_approval_id"), ["approval_id"], unique=False)

    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("viewer_id", sa.String(length=64), nullable=False),
        sa.Column("what", sa.String(length=32), nullable=False),
        sa.Column("klus_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["klus_id"], ["klussen.id"], name=op.f("fk_access_log_klus_id_klussen"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
        sa.UniqueConstraint(
            "subject_id", "viewer_id", "what", "klus_id", "day", name=op.f("uq_access_log_subject_id")
        ),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_log_subject_id"), ["subject_id"], unique=False)


def downgrade() -> None:
    op.drop_table("access_log")
    op.drop_table("approval_events")
    op.drop_table("approval_cards")
    op.drop_table("approvals")
