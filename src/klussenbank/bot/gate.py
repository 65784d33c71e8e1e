"""How many turns one process works on at once.

Fifty people pressing a button at the same moment all reach the bot at once. Worked on all together,
each turn gets a fiftieth of the core and nearly all of them finish near the end, the first as late as
the last. The gate lets `size` turns in at a time and the rest wait in the order they came: the first
answers come back sooner, and no one waits longer than before (the work is the same). A few at a time
(not one) keep the core busy while a turn waits for the database or Teams.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prometheus_client import Gauge


class TurnGate:
    def __init__(self, size: int, waiting: Gauge) -> None:
        self._slots = asyncio.Semaphore(size)  # hands out freed slots to its waiters in order
        self._waiting = waiting

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        self._waiting.inc()
        try:
            await self._slots.acquire()
        finally:
            self._waiting.dec()
        try:
            yield
        finally:
            self._slots.release()
