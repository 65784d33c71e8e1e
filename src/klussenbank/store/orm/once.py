"""The one-time keys of card buttons that create something: one row per person and key, written in the
transaction of the effect, so a second press (on any instance) finds the first one's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class OnceKeyRow(Base):
    __tablename__ = "once_keys"
    __table_args__ = (UniqueConstraint("actor_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    # What the first press made or acted on (a klus, an announcement …), to show it again.
    record_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
