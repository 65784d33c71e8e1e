"""Approvals of confirmed matches, their cards and events, and the secondment agreements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class ApprovalRow(Base):
    """The approval a confirmed match needs; people by their Entra object id (approvers may never
    have used the bot)."""

    __tablename__ = "approvals"
    __table_args__ = (
        UniqueConstraint("klus_id", "candidate_id"),
        Index("ix_approvals_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"))
    candidate_id: Mapped[str] = mapped_column(String(64), index=True)
    poster_id: Mapped[str] = mapped_column(String(64))
    organisation_key: Mapped[str] = mapped_column(String(64))
    across: Mapped[bool] = mapped_column(Boolean)
    share_motivation: Mapped[bool] = mapped_column(Boolean)
    step: Mapped[str] = mapped_column(String(16))
    approver_id: Mapped[str | None] = mapped_column(String(64), index=True)
    delegated_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    reminded: Mapped[bool] = mapped_column(Boolean)
    escalations: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the work ended
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    step_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApprovalCardRow(Base):
    """A card about an approval sent to someone: every one is updated when the approval changes."""

    __tablename__ = "approval_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"))


class ApprovalEventRow(Base):
    """What happened to an approval, in order: routed, forwarded, reminded, escalated, decided."""

    __tablename__ = "approval_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    approver_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AgreementRow(Base):
    """The secondment agreement of an approved match in one language (nl, en): its terms as agreed
    (JSON, `store.agreement_terms`) and the PDF the parties download, made from them when it is first
    opened (rows from before 0021 have the PDF only); every language has the same number and says the
    same."""

    __tablename__ = "agreements"

    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    terms: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
