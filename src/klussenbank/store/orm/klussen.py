"""Klussen, the skills they ask for, and how people stand on them (interest, suggestions)."""

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
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from klussenbank.store.orm.base import Base
from klussenbank.store.orm.people import OrganisationRow, PersonRow


class KlusRow(Base):
    __tablename__ = "klussen"
    __table_args__ = (Index("ix_klussen_status_deadline", "status", "interest_deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    work_mode: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(200))
    people_needed: Mapped[int] = mapped_column(Integer)
    interest_deadline: Mapped[date] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(String(16))
    internal_first_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    leerklus: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # A klus in a pool run by a coordinator, and the qualifications it requires (see domain.pools).
    pool_key: Mapped[str | None] = mapped_column(String(64), index=True)
    qualifications: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    poster: Mapped[PersonRow] = relationship(lazy="joined")
    organisation: Mapped[OrganisationRow] = relationship(lazy="joined")
    skills: Mapped[list[KlusSkillRow]] = relationship(
        cascade="all, delete-orphan", order_by="KlusSkillRow.position", lazy="selectin"
    )


class KlusSkillRow(Base):
    """A skill a klus asks for: `kind` is required, nice (to have) or free (text the poster typed); or
    one it offers to learn (learn)."""

    __tablename__ = "klus_skills"

    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    skill: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))


class InterestRow(Base):
    """How one person stands on one klus: invited, interested, chosen, confirmed, ..."""

    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("klus_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    motivation: Mapped[str] = mapped_column(Text)
    hours_per_week: Mapped[int] = mapped_column(Integer)  # the klus's hours, kept for capacity checks
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    person: Mapped[PersonRow] = relationship(lazy="joined")


class SuggestionRow(Base):
    """A "new klus for you" card the bot queued for someone: for the weekly cap and fair spread."""

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("klus_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
