"""Teams' rate limits for the delivery worker: in memory for one worker, in PostgreSQL for several."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from klussenbank.domain.delivery import Limit, reserve
from klussenbank.store.db import engine_of
from klussenbank.store.orm.outbox import RateLimitRow

# A limit unused this long has no effect on any booking (its interval is at most 0.5 s), so
# forgetting it changes nothing.
IDLE_LIMIT = 60.0


class MemoryRateLimiter:
    """Limits in this process: right when one worker sends (SQLite's single writer)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._next_free: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def reserve(self, limits: Sequence[Limit]) -> float:
        async with self._lock:
            now = self._clock()
            at, after = reserve(limits, [self._next_free.get(limit.key, 0.0) for limit in limits], now)
            self._next_free.update(zip((limit.key for limit in limits), after, strict=True))
            return at - now

    async def prune(self) -> int:
        async with self._lock:
            cutoff = self._clock() - IDLE_LIMIT
            stale = [key for key, at in self._next_free.items() if at < cutoff]
            for key in stale:
                del self._next_free[key]
            return len(stale)


class SqlRateLimiter:
    """Limits in PostgreSQL, locked row by row: one budget for every worker, one round trip a message."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def reserve(self, limits: Sequence[Limit]) -> float:
        ordered = sorted(limits, key=lambda limit: limit.key)  # one lock order: no deadlocks
        keys = [limit.key for limit in ordered]
        async with engine_of(self._sessions).begin() as connection:
            fresh = [{"key": key, "next_free": 0.0} for key in keys]
            await connection.execute(pg_insert(RateLimitRow).values(fresh).on_conflict_do_nothing())
            next_free = dict(
                (
                    await connection.execute(
                        select(RateLimitRow.key, RateLimitRow.next_free)
                        .where(RateLimitRow.key.in_(keys))
                        .order_by(RateLimitRow.key)
                        .with_for_update()
                    )
                ).all()
            )
            # Read the clock once the rows are locked: every worker books after the one before it.
            at, after = reserve(ordered, [next_free[key] for key in keys], time.time())
            await connection.execute(
                update(RateLimitRow)
                .where(RateLimitRow.key.in_(keys))
                .values(next_free=case(dict(zip(keys, after, strict=True)), value=RateLimitRow.key))
            )
        return max(0.0, at - time.time())

    async def prune(self) -> int:
        async with self._sessions() as session, session.begin():
            stale = RateLimitRow.next_free < time.time() - IDLE_LIMIT
            result = await session.execute(delete(RateLimitRow).where(stale))
            return int(getattr(result, "rowcount", 0))
