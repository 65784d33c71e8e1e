"""Growth: skills a poster confirmed after the work, and the monthly pulse ("Hoe bevalt Klussenbank?")."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class SkillConfirmationRow(Base):
    """A skill the poster of a match confirmed the employee used or learned; they may hide it."""

    __tablename__ = "skill_confirmations"
    __table_args__ = (UniqueConstraint("approval_id", "skill"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(String(100))
    hidden: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PulseRow(Base):
    """One person's pulse of one month: sent once (the unique constraint holds across instances),
    answered at most once."""

    __tablename__ = "pulses"
    __table_args__ = (UniqueConstraint("person_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date, index=True)  # its first day
    score: Mapped[int | None] = mapped_column(Integer)  # 1..5, None until answered
    text: Mapped[str] = mapped_column(Text, server_default="")
    signed: Mapped[bool] = mapped_column(Boolean, server_default=false())  # "zet mijn naam erbij"
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
