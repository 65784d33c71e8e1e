"""The outbox: messages the bot sends later, one delivery per recipient, and Teams' rate limits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class OutboxMessageRow(Base):
    """Something the bot must send later; written in the transaction of the change that caused it."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The turn or chore run that queued it, so its deliveries' log lines carry the same id.
    correlation_id: Mapped[str | None] = mapped_column(String(32))


class OutboxDeliveryRow(Base):
    """One recipient of an outbox message, and how delivery to them went."""

    __tablename__ = "outbox_deliveries"
    __table_args__ = (
        Index("ix_outbox_deliveries_due", "status", "next_attempt_at"),
        Index("ix_outbox_deliveries_tenant_due", "tenant_id", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(400))
    # The recipient's Microsoft 365 tenant: the worker takes turns between tenants (Teams' limits are
    # per tenant), so a burst to one never holds up another's messages.
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    # Set when this delivery changes a message sent before (update_activity) instead of sending.
    updates_delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_deliveries.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_conversation_id: Mapped[str | None] = mapped_column(String(400))
    activity_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateLimitRow(Base):
    """One of Teams' limits, shared by every worker: the next moment it lets a message through."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(450), primary_key=True)
    next_free: Mapped[float] = mapped_column(Float)  # seconds since the Unix epoch
