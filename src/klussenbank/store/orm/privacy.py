"""Who looked at whose data, and who did what administratively."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class AccessLogRow(Base):
    """Someone other than the person saw their data (a candidacy, an approval request, HR their track
    or coaching profile: no klus); one row a day."""

    __tablename__ = "access_log"
    __table_args__ = (UniqueConstraint("subject_id", "viewer_id", "what", "klus_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    viewer_id: Mapped[str] = mapped_column(String(64))
    what: Mapped[str] = mapped_column(String(32))
    # None: a look outside any klus (a talent search, a date request, a pool coordinator's look).
    klus_id: Mapped[int | None] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """An administrative action: who did what, when (HR announcing, exports, purges, CLI commands)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(500))
