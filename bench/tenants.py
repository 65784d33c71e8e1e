"""Tenants benchmark: does a burst to one tenant delay another tenant's messages?

Run: ``.venv/bin/python -m bench.tenants [--burst 2000] [--messages 50]``

On a fresh SQLite database, with the fake Bot Connector in its own process (Teams' limits enforced:
50 writes a second per tenant), one delivery worker (the inline worker of ``klussenbank serve``) sends:

1. alone: ``--messages`` messages to tenant B's people;
2. with a burst: first ``--burst`` messages to tenant A's people, then the same ``--messages`` to B's.

It prints B's delivery delay (queued to sent, from the outbox) at the median and p95 in both runs, and
how long A's burst took: at Teams' limit a burst of 2,000 needs 40 s, which B's messages waited for
before the worker took turns between tenants. Timing is printed, never judged.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bench.delivery import CARD, IN_FLIGHT, add_people_with_chats, fake_connector, percentile
from klussenbank.bot.sender import TeamsSender
from klussenbank.config import Settings
from klussenbank.services.clock import SystemClock
from klussenbank.services.delivery import DeliveryWorker
from klussenbank.services.ports.records import Recipient
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from klussenbank.store.migrate import upgrade_async
from klussenbank.store.orm.outbox import OutboxDeliveryRow
from klussenbank.store.outbox import SqlOutbox
from klussenbank.store.rate_limits import MemoryRateLimiter

TENANT_A, TENANT_B = "tenant-a", "tenant-b"


async def seed_people(database_url: str, service_url: str, tenant: str, count: int) -> list[str]:
    """`count` people of `tenant`, each with a personal chat; their ids."""
    people = [f"{tenant}-{n:05d}" for n in range(count)]
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            chats = {aad: f"a:{aad}" for aad in people}
            await add_people_with_chats(session, service_url, tenant, tenant, chats)
    finally:
        await engine.dispose()
    return people


async def queue(database_url: str, people: Sequence[str]) -> None:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            recipients = [Recipient(person_aad_object_id=aad) for aad in people]
            await SqlOutbox(session).enqueue(
                {"card": CARD}, recipients, reason="bench", now=datetime.now(UTC)
            )
    finally:
        await engine.dispose()


async def deliver_all(database_url: str) -> float:
    """One worker until the outbox is empty; seconds it took."""
    engine = create_engine(database_url)
    worker = DeliveryWorker(
        "bench",
        SqlDeliveryQueue(session_factory(engine)),
        TeamsSender.for_settings(Settings()),
        MemoryRateLimiter(),
        SystemClock(),
    )
    stop = asyncio.Event()
    started = time.monotonic()
    task = asyncio.create_task(worker.run(stop))
    try:
        outbox = SqlDeliveryQueue(session_factory(engine))
        while True:
            counts = await outbox.counts()
            if not any(counts[status] for status in IN_FLIGHT):
                break
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await task
        await worker.close()
        await engine.dispose()
    return time.monotonic() - started


async def delays(database_url: str, tenant: str) -> list[float]:
    """Each sent delivery's delay, queued to sent, in seconds."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(OutboxDeliveryRow.created_at, OutboxDeliveryRow.sent_at).where(
                    OutboxDeliveryRow.tenant_id == tenant, OutboxDeliveryRow.status == "sent"
                )
            )
            return [(sent - queued).total_seconds() for queued, sent in rows.all()]
    finally:
        await engine.dispose()


async def run(workdir: Path, service_url: str, burst: int, messages: int) -> tuple[list[float], float]:
    """One run on a fresh database: B's delays, and how long the whole run took."""
    url = f"sqlite+aiosqlite:///{workdir / f'tenants-{burst}.db'}"
    await upgrade_async(url)
    people_a = await seed_people(url, service_url, TENANT_A, burst) if burst else []
    people_b = await seed_people(url, service_url, TENANT_B, messages)
    if people_a:
        await queue(url, people_a)
    await queue(url, people_b)
    took = await deliver_all(url)
    return await delays(url, TENANT_B), took


async def _main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="klussenbank-tenants-") as folder:
        workdir = Path(folder)
        async with fake_connector(workdir) as connector:
            alone, _ = await run(workdir, connector.url, 0, args.messages)
            crowded, took = await run(workdir, connector.url, args.burst, args.messages)
    print(f"tenant B: {args.messages} messages; tenant A: a burst of {args.burst} queued just before them")
    print(f"{'':32} {'median s':>9} {'p95 s':>9}")
    print(f"{'B alone':32} {percentile(alone, 0.5):9.2f} {percentile(alone, 0.95):9.2f}")
    print(f"{'B behind a burst to A':32} {percentile(crowded, 0.5):9.2f} {percentile(crowded, 0.95):9.2f}")
    print(f"the burst run took {took:.1f} s (Teams allows 50 a second per tenant)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--burst", type=int, default=2000, help="messages to tenant A queued first")
    parser.add_argument("--messages", type=int, default=50, help="messages to tenant B queued after them")
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
