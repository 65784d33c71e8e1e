"""The work after an approved match: the hours per month and the evaluations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class HoursRow(Base):
    """The hours of one month of an approved match: planned, reported by the employee, corrected."""

    __tablename__ = "hours"
    __table_args__ = (UniqueConstraint("approval_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)
    planned: Mapped[float] = mapped_column(Float)
    reported: Mapped[float | None] = mapped_column(Float)
    corrected: Mapped[float | None] = mapped_column(Float)
    # The poster's card for the month: changed in place when the employee reports again.
    poster_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvaluationRow(Base):
    """How one side found the work: seen by the two parties and HR; reports show averages."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("approval_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    went_well: Mapped[str] = mapped_column(Text)
    could_be_better: Mapped[str] = mapped_column(Text)
    again: Mapped[bool] = mapped_column(Boolean)
    skills: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
