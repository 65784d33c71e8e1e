"""A worker killed in the middle of a mass send: nobody gets the message twice, and nothing goes missing.

Real processes, as in production: the fake Bot Connector (Teams' limits enforced, no faults) and
`klussenbank worker`, on the test session's PostgreSQL database. The first worker is SIGKILLed once a third of the
people have their message; a second one takes over. Both run with a short lease
(KLUSSENBANK_WORKER_LEASE_SECONDS) so that the first one's claims are due again within seconds.

What a crash may leave: deliveries the dead worker had claimed but not started are sent by the new
worker; those it was sending are `unconfirmed` (Teams does not deduplicate, so they are never resent
automatically), whether or not they arrived. Nothing else.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.delivery import (
    Connector,
    Worker,
    fake_connector,
    seed,
    start_worker,
    statuses_by_person,
    wait_until_final,
    workers_cleaned_up,
)
from klussenbank.services.delivery import WorkerSettings
from klussenbank.store.db import create_engine
from klussenbank.store.orm.outbox import OutboxDeliveryRow
from tests.conftest import empty_database

# A send of several of the workers' batches (50), killed after a third: at Teams' 50 writes a second
# that is some 12 s of sending, enough for claims in flight and a takeover.
RECIPIENTS = 600
KILL_AFTER = 200  # delivered at the connector
LEASE_SECONDS = 3  # a batch of 50 takes about 1 s at Teams' 50/s: 3 s is ample, yet a quick takeover
SHORT_LEASE = {"KLUSSENBANK_WORKER_LEASE_SECONDS": str(LEASE_SECONDS)}


async def _wait_for_deliveries(connector: Connector, worker: Worker, count: int, within: float) -> int:
    """Until the connector has `count` deliveries; how many it had then."""
    deadline = time.monotonic() + within
    while True:
        stats = await connector.stats(times=False)
        if stats["delivered"] >= count:
            return int(stats["delivered"])
        assert worker.process.poll() is None, f"the worker exited early:\n{worker.log.read_text()}"
        assert time.monotonic() < deadline, f"only {stats['delivered']} delivered after {within:.0f} s"
        await asyncio.sleep(0.05)


async def test_a_worker_killed_mid_send_neither_duplicates_nor_loses(
    postgres_url: str, tmp_path: Path
) -> None:
    """Several worker processes need PostgreSQL: skipped without KLUSSENBANK_TEST_POSTGRES_URL."""
    url = postgres_url
    await empty_database(url)
    async with fake_connector(tmp_path, fault_rate=0.0) as connector:
        people = await seed(url, connector.url, RECIPIENTS)
        engine = create_engine(url)
        try:
            with workers_cleaned_up([]) as workers:
                workers.append(start_worker(url, tmp_path, env=SHORT_LEASE))
                at_kill = await _wait_for_deliveries(connector, workers[0], KILL_AFTER, within=60)
                workers[0].kill()  # SIGKILL: no chance to finish or hand anything back
                workers.append(start_worker(url, tmp_path, env=SHORT_LEASE))
                counts = await wait_until_final(engine, workers[1:], within=120)
                assert workers[1].stop() == 0, workers[1].log.read_text()
            stats = await connector.stats(times=False)
            statuses = await statuses_by_person(engine)
            async with engine.connect() as connection:
                claims = dict(
                    (
                        await connection.execute(
                            select(OutboxDeliveryRow.attempts, func.count()).group_by(
                                OutboxDeliveryRow.attempts
                            )
                        )
                    ).all()
                )
        finally:
            await engine.dispose()

    delivered_by = stats["delivered_by_conversation"]
    received = {aad: delivered_by.get(cid, 0) for aad, cid in people.items()}
    status = {aad: found[0] for aad, found in statuses.items() if len(found) == 1}
    unconfirmed = {aad for aad, s in status.items() if s == "unconfirmed"}
    unconfirmed_not_delivered = {aad for aad in unconfirmed if received[aad] == 0}
    print(
        f"\ndelivered at kill ~{at_kill}; final: {counts}; connector delivered {stats['delivered']}, "
        f"duplicates {stats['duplicates']}, 429s {stats['throttled']}; unconfirmed {len(unconfirmed)} "
        f"(of which delivered {len(unconfirmed) - len(unconfirmed_not_delivered)}, "
        f"not delivered {len(unconfirmed_not_delivered)}); deliveries by times claimed {claims} "
        "(2: taken over from the killed worker)"
    )

    assert len(status) == RECIPIENTS, "one delivery per recipient"
    assert stats["duplicates"] == 0
    assert max(received.values()) == 1, "nobody received the message twice"
    assert all(received[aad] == 1 for aad, s in status.items() if s == "sent"), "sent means delivered once"
    never = {aad for aad, n in received.items() if n == 0}
    assert never <= unconfirmed, f"recipients with no message that are not unconfirmed: {never - unconfirmed}"
    assert set(status.values()) <= {"sent", "unconfirmed"}, counts
    assert len(unconfirmed) <= WorkerSettings().concurrency, "only what was being sent at the crash"
    assert stats["delivered"] + len(unconfirmed_not_delivered) == RECIPIENTS
