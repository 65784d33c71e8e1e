"""The local copy of the Microsoft Graph directory and where its delta sync stands."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class DirectoryUserRow(Base):
    """A user from Microsoft Graph, kept by the delta sync so routing works when Graph is slow."""

    __tablename__ = "directory_users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the Entra object id
    display_name: Mapped[str] = mapped_column(String(256))
    mail: Mapped[str] = mapped_column(String(320))
    user_principal_name: Mapped[str] = mapped_column(String(320))
    department: Mapped[str | None] = mapped_column(String(256))
    job_title: Mapped[str | None] = mapped_column(String(256))
    office_location: Mapped[str | None] = mapped_column(String(256))
    company_name: Mapped[str | None] = mapped_column(String(256))
    manager_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # The key of the tenant whose Graph it came from (KLUSSENBANK_TENANTS_FILE); None: the one tenant.
    tenant: Mapped[str | None] = mapped_column(String(64), index=True)
    # The full sync round that last saw this user: a full round removes those it did not see.
    seen_round: Mapped[int] = mapped_column(Integer)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectorySyncStateRow(Base):
    """Where the users delta sync stands: the next page of a round underway, the delta link after one."""

    __tablename__ = "directory_sync_state"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_link: Mapped[str | None] = mapped_column(Text)
    delta_link: Mapped[str | None] = mapped_column(Text)
    round: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
