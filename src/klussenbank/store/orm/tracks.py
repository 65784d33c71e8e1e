"""Development tracks (only the person and their HR adviser see them), their timeline, and who asked
HR for coaching."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class TrackRow(Base):
    """A track the person consented to; deleted after the retention period once they end it."""

    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organisation_key: Mapped[str] = mapped_column(String(64))
    adviser_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    skills: Mapped[list[str]] = mapped_column(JSON)
    hours: Mapped[int] = mapped_column(Integer)
    until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class TrackEventRow(Base):
    """A line of a track's timeline: started, a klus suggested by the adviser, ended."""

    __tablename__ = "track_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))
    klus_title: Mapped[str] = mapped_column(String(200))


class CoachingWishRow(Base):
    """The person asked HR for coaching: HR of their organisation may see their profile."""

    __tablename__ = "coaching_wishes"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
