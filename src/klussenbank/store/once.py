"""One-time keys: claimed in the transaction of the effect, so of two presses only one takes effect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.services.ports.records import PriorPress
from klussenbank.store.db import insert_for
from klussenbank.store.orm.once import OnceKeyRow


class SqlOnceKeys:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, actor_id: str, key: str, action: str, *, now: datetime) -> PriorPress | None:
        # On a conflict with a press still under way elsewhere, PostgreSQL waits for it to end (and
        # SQLite for its write lock): this press then sees what that one recorded, or claims the key.
        result = await self._session.execute(
            insert_for(self._session)(OnceKeyRow)
            .values(actor_id=actor_id, key=key, action=action, created_at=now)
            .on_conflict_do_nothing(index_elements=[OnceKeyRow.actor_id, OnceKeyRow.key])
        )
        if getattr(result, "rowcount", 0):
            return None
        row = (
            await self._session.execute(
                select(OnceKeyRow.action, OnceKeyRow.record_id).where(
                    OnceKeyRow.actor_id == actor_id, OnceKeyRow.key == key
                )
            )
        ).one()
        return PriorPress(action=row.action, record_id=row.record_id)

    async def settle(self, actor_id: str, key: str, record_id: int) -> None:
        await self._session.execute(
            update(OnceKeyRow)
            .where(OnceKeyRow.actor_id == actor_id, OnceKeyRow.key == key)
            .values(record_id=record_id)
            .execution_options(synchronize_session=False)
        )

    async def forget(self, actor_id: str) -> None:
        await self._session.execute(delete(OnceKeyRow).where(OnceKeyRow.actor_id == actor_id))

    async def purge(self, before: datetime) -> int:
        result = await self._session.execute(delete(OnceKeyRow).where(OnceKeyRow.created_at < before))
        return int(getattr(result, "rowcount", 0) or 0)
