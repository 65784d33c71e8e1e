"""HR's announcements, the team channels they go to, and the weekly digests that went out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class ChannelRow(Base):
    """A team channel the app can post in: recorded from install and channel events."""

    __tablename__ = "channels"

    conversation_id: Mapped[str] = mapped_column(String(400), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(400), index=True)
    team_name: Mapped[str] = mapped_column(String(200))
    channel_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnnouncementRow(Base):
    """An announcement by HR: its text, audience, when it goes out, and its outbox message."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_status_send_at", "status", "send_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    organisation_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    link_title: Mapped[str] = mapped_column(String(100))
    link_url: Mapped[str] = mapped_column(String(600))
    channels: Mapped[list[str]] = mapped_column(JSON)
    organisations: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    send_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    report_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    report_counts: Mapped[dict[str, int]] = mapped_column(JSON)  # as last shown on the report card
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DigestRunRow(Base):
    """A weekly digest that went out for an organisation: each week's once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("organisation_key", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_key: Mapped[str] = mapped_column(String(64))
    week: Mapped[date] = mapped_column(Date)  # the digest's day
    klussen: Mapped[int] = mapped_column(Integer)
    ran_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
