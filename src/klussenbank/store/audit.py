"""The audit log: who did what administratively, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.services.ports.records import AuditEntry
from klussenbank.store.db import utc
from klussenbank.store.orm.privacy import AuditRow


class SqlAudit:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, actor: str, action: str, detail: str, *, now: datetime) -> None:
        self._session.add(AuditRow(at=now, actor=actor[:128], action=action[:64], detail=detail[:500]))
        await self._session.flush()

    async def recent(self, limit: int) -> list[AuditEntry]:
        rows = await self._session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))
        return [AuditEntry(utc(r.at), r.actor, r.action, r.detail) for r in rows]
