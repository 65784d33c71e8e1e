"""Organisations, the people in them, their availability, and the conversations the bot reaches them in."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false, text, true

from klussenbank.store.orm.base import Base


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aad_object_id: Mapped[str] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    welcomed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The weekly digest of new klussen in their personal chat (`digest aan` / `digest uit`).
    digest: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[OrganisationRow] = relationship(lazy="joined")


class AvailabilityRow(Base):
    __tablename__ = "availability_profiles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    weekdays: Mapped[list[str]] = mapped_column(JSON)
    work_mode: Mapped[str] = mapped_column(String(16))
    intro: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    paused_until: Mapped[date | None] = mapped_column(Date)
    suggestions: Mapped[bool] = mapped_column(Boolean, server_default=true())
    visible_to_own_line: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Colleagues may find me in a talent search (off by default), with what I am good at / like to do.
    findable: Mapped[bool] = mapped_column(Boolean, server_default=false())
    talent_text: Mapped[str] = mapped_column(Text, server_default="")
    # What they want to learn: skill ids of the vocabulary, and in their own words.
    learning_skills: Mapped[list[str]] = mapped_column(JSON, server_default=text("'[]'"))
    learning_other: Mapped[list[str]] = mapped_column(JSON, server_default=text("'[]'"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    skills: Mapped[list[AvailabilitySkillRow]] = relationship(
        cascade="all, delete-orphan",
        order_by="AvailabilitySkillRow.position",
        lazy="selectin",
    )
    organisations: Mapped[list[AvailabilityOrganisationRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class AvailabilitySkillRow(Base):
    """One skill of a profile: a vocabulary id, or a free-text term the person typed."""

    __tablename__ = "availability_skills"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("availability_profiles.person_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    skill: Mapped[str] = mapped_column(String(100))
    from_vocabulary: Mapped[bool] = mapped_column(Boolean)


class AvailabilityOrganisationRow(Base):
    __tablename__ = "availability_organisations"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("availability_profiles.person_id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)

    organisation: Mapped[OrganisationRow] = relationship(lazy="joined")


class ConversationRow(Base):
    """Where the bot can reach someone later: refreshed on every turn."""

    __tablename__ = "conversation_references"
    __table_args__ = (UniqueConstraint("conversation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(400))
    conversation_type: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(32))
    service_url: Mapped[str] = mapped_column(String(400))
    reference: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
