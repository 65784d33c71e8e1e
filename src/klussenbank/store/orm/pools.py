"""Pools run by a coordinator, the person's side: who is a member, the onboarding steps ticked off,
the qualifications recorded (and the expiry reminders sent), and the periods someone cannot work."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class PoolMemberRow(Base):
    __tablename__ = "pool_members"
    __table_args__ = (UniqueConstraint("pool_key", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_key: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    added_by: Mapped[str] = mapped_column(String(64))  # the coordinator's Entra object id
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OnboardingStepRow(Base):
    """One step of a pool's programme, ticked off for a person by a coordinator."""

    __tablename__ = "onboarding_steps"
    __table_args__ = (UniqueConstraint("pool_key", "person_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_key: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(200))
    done_by: Mapped[str] = mapped_column(String(64))
    done_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QualificationRow(Base):
    __tablename__ = "qualifications"
    __table_args__ = (UniqueConstraint("person_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    obtained_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QualificationReminderRow(Base):
    """The reminder before a qualification expires: once per qualification and expiry date."""

    __tablename__ = "qualification_reminders"
    __table_args__ = (UniqueConstraint("qualification_id", "expires_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    qualification_id: Mapped[int] = mapped_column(ForeignKey("qualifications.id", ondelete="CASCADE"))
    expires_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UnavailablePeriodRow(Base):
    __tablename__ = "unavailable_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(Text)  # for the person's eyes only
    weekdays: Mapped[list[str]] = mapped_column(JSON)  # the weekdays they can still work then
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
