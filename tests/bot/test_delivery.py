"""The outbox end to end: queued in a transaction, claimed, sent through the SDK to a connector."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from random import Random

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot.sender import TeamsSender
from klussenbank.cards.general import notice_card
from klussenbank.config import Settings
from klussenbank.domain.delivery import DeliveryStatus
from klussenbank.services.delivery import DeliveryWorker
from klussenbank.services.ports.records import Recipient
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.store.db import session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from klussenbank.store.orm.outbox import OutboxDeliveryRow
from klussenbank.store.rate_limits import MemoryRateLimiter
from tests.bot.conftest import CHANTAL, DAAN, BotHarness
from tests.conftest import FixedClock

CARD = notice_card("Er is een nieuwe klus voor jou.")


def worker(engine: AsyncEngine, clock: FixedClock, name: str = "w1") -> DeliveryWorker:
    return DeliveryWorker(
        name,
        SqlDeliveryQueue(session_factory(engine)),
        TeamsSender.for_settings(Settings()),
        MemoryRateLimiter(),
        clock,
        rng=Random(1),
    )


async def enqueue(uow_factory: UnitOfWorkFactory, clock: FixedClock, *people: str) -> int:
    async with uow_factory() as uow:
        message = await uow.outbox.enqueue(
            {"card": CARD},
            [Recipient(person_aad_object_id=p) for p in people],
            reason="test",
            now=clock.now(),
        )
        await uow.commit()
    return message


async def statuses(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(OutboxDeliveryRow.status).order_by(OutboxDeliveryRow.id))
        return list(rows.scalars())


async def test_a_queued_card_reaches_the_personal_chat(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo", user=CHANTAL)
    await harness.say("hallo", user=DAAN)
    before = len(harness.connector.sent)
    await enqueue(uow_factory, clock, CHANTAL, DAAN)
    delivering = worker(engine, clock)
    try:
        assert await delivering.run_once() == 2
    finally:
        await delivering.close()
    sent = harness.connector.sent[before:]
    assert sorted(a["_conversation"] for a in sent) == sorted([f"a:personal-{CHANTAL}", f"a:personal-{DAAN}"])
    assert all(a["attachments"][0]["content"] == CARD for a in sent)
    assert await statuses(engine) == ["sent", "sent"]
    async with engine.connect() as connection:
        ids = (await connection.execute(select(OutboxDeliveryRow.activity_id))).scalars().all()
    assert all(ids) and len(set(ids)) == 2, "the sent activity ids are kept, for later updates"


async def test_nothing_is_queued_when_the_change_is_rolled_back(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    async with uow_factory() as uow:
        await uow.outbox.enqueue(
            {"text": "x"}, [Recipient(person_aad_object_id=CHANTAL)], reason="t", now=clock.now()
        )
        # no commit: the change that caused it failed
    assert await statuses(engine) == []


async def test_a_recipient_without_any_conversation_is_unreachable(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await enqueue(uow_factory, clock, CHANTAL)  # demo person, never talked to the bot
    delivering = worker(engine, clock)
    try:
        await delivering.run_once()
    finally:
        await delivering.close()
    assert await statuses(engine) == ["unreachable"]


async def test_workers_claim_disjoint_deliveries(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    for _ in range(30):
        await enqueue(uow_factory, clock, CHANTAL)
    queue = SqlDeliveryQueue(session_factory(engine))
    lease = timedelta(seconds=60)
    first, second = await asyncio.gather(
        queue.claim("a", 20, now=clock.now(), lease=lease), queue.claim("b", 20, now=clock.now(), lease=lease)
    )
    ids_a, ids_b = {d.id for d in first}, {d.id for d in second}
    assert not ids_a & ids_b
    assert len(ids_a | ids_b) == 30


async def test_an_expired_lease_makes_the_delivery_due_again(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    await enqueue(uow_factory, clock, CHANTAL)
    queue = SqlDeliveryQueue(session_factory(engine))
    (claimed,) = await queue.claim("dead-worker", 5, now=clock.now(), lease=timedelta(seconds=30))
    assert await queue.claim("other", 5, now=clock.now(), lease=timedelta(seconds=30)) == []
    later = clock.now() + timedelta(seconds=31)
    (again,) = await queue.claim("other", 5, now=later, lease=timedelta(seconds=30))
    assert again.id == claimed.id
    assert again.attempts == 2


async def test_a_worker_that_died_while_sending_never_sends_twice(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    await enqueue(uow_factory, clock, CHANTAL)
    queue = SqlDeliveryQueue(session_factory(engine))
    (claimed,) = await queue.claim("dead-worker", 5, now=clock.now(), lease=timedelta(seconds=30))
    assert await queue.start(claimed.id, "dead-worker", now=clock.now())
    later = clock.now() + timedelta(seconds=31)
    assert await queue.claim("other", 5, now=later, lease=timedelta(seconds=30)) == []
    assert await statuses(engine) == ["unconfirmed"]
    assert (await queue.counts())["unconfirmed"] == 1
    assert await queue.retry("cli:ops", now=later) == 0, "retrying the dead leaves the in-doubt alone"
    assert await queue.retry("cli:ops", now=later, unconfirmed=True) == 1
    async with uow_factory() as uow:
        logged = await uow.audit.recent(5)
    assert [(e.actor, e.action, e.detail) for e in logged] == [
        ("cli:ops", "outbox.retried", "1 dead and unconfirmed deliveries"),
        ("cli:ops", "outbox.retried", "0 dead deliveries"),
    ]


async def test_a_lost_lease_is_not_sent(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    await enqueue(uow_factory, clock, CHANTAL)
    queue = SqlDeliveryQueue(session_factory(engine))
    (slow,) = await queue.claim("slow", 5, now=clock.now(), lease=timedelta(seconds=30))
    later = clock.now() + timedelta(seconds=31)
    (fast,) = await queue.claim("fast", 5, now=later, lease=timedelta(seconds=30))
    assert await queue.start(slow.id, "slow", now=later) is False
    assert await queue.start(fast.id, "fast", now=later) is True


async def test_a_graceful_stop_gives_back_what_was_not_started(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    await enqueue(uow_factory, clock, CHANTAL)
    queue = SqlDeliveryQueue(session_factory(engine))
    await queue.claim("stopping", 5, now=clock.now(), lease=timedelta(seconds=60))
    assert await queue.release("stopping", now=clock.now()) == 1
    assert await statuses(engine) == ["pending"]
    (again,) = await queue.claim("next", 5, now=clock.now(), lease=timedelta(seconds=60))
    assert again.attempts == 1, "an attempt that never started does not count"


async def test_status_counts_and_retrying_the_dead(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    await enqueue(uow_factory, clock, CHANTAL, CHANTAL)
    async with engine.begin() as connection:
        first = (await connection.execute(select(func.min(OutboxDeliveryRow.id)))).scalar_one()
        await connection.execute(
            update(OutboxDeliveryRow)
            .where(OutboxDeliveryRow.id == first)
            .values(status=DeliveryStatus.DEAD.value, attempts=8)
        )
    queue = SqlDeliveryQueue(session_factory(engine))
    counts = await queue.counts()
    assert (counts["dead"], counts["pending"], counts["sent"]) == (1, 1, 0)
    assert await queue.retry("cli:ops", now=clock.now()) == 1
    assert (await queue.counts())["pending"] == 2


async def test_a_sent_card_can_be_updated_later(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    message = await enqueue(uow_factory, clock, CHANTAL)
    delivering = worker(engine, clock)
    try:
        await delivering.run_once()
        (sent,) = [a for a in harness.connector.sent if a["attachments"][0]["content"] == CARD]
        withdrawn = notice_card("Deze klus is ingetrokken.")
        async with uow_factory() as uow:
            await uow.outbox.enqueue_update(message, {"card": withdrawn}, reason="withdrawn", now=clock.now())
            await uow.commit()
        assert await delivering.run_once() == 1
    finally:
        await delivering.close()
    (updated,) = harness.connector.updated
    assert updated["attachments"][0]["content"] == withdrawn
    async with engine.connect() as connection:
        ids = (
            await connection.execute(select(OutboxDeliveryRow.activity_id).order_by(OutboxDeliveryRow.id))
        ).all()
    assert ids[0] == ids[1], "the update went to the activity that was sent"
    assert sent["_conversation"] == f"a:personal-{CHANTAL}"
    assert await statuses(engine) == ["sent", "sent"]


async def update_card(uow_factory: UnitOfWorkFactory, clock: FixedClock, message: int, text: str) -> None:
    async with uow_factory() as uow:
        await uow.outbox.enqueue_update(
            message, {"card": notice_card(text)}, reason="update", now=clock.now()
        )
        await uow.commit()


async def test_an_update_of_a_card_still_on_its_way_waits_for_it_and_the_last_update_wins(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    message = await enqueue(uow_factory, clock, CHANTAL)
    await update_card(uow_factory, clock, message, "Tussenstand.")
    await update_card(uow_factory, clock, message, "Eindstand.")
    assert await statuses(engine) == ["pending", "superseded", "pending"]
    delivering = worker(engine, clock)
    try:
        assert await delivering.run_once() == 2  # the card, and the last update: it waits
        assert harness.connector.updated == []
        clock.current += timedelta(days=1)
        assert await delivering.run_once() == 1
    finally:
        await delivering.close()

    assert [card_text(u) for u in harness.connector.updated] == ["Eindstand."]
    assert await statuses(engine) == ["sent", "superseded", "sent"]
    async with engine.connect() as connection:
        attempts = (
            await connection.execute(select(OutboxDeliveryRow.attempts).order_by(OutboxDeliveryRow.id))
        ).scalars()
        assert list(attempts)[-1] == 1, "waiting for the card is not a failed attempt"


async def test_an_update_of_a_card_that_never_arrived_is_dropped(
    harness: BotHarness, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await harness.say("hallo")
    message = await enqueue(uow_factory, clock, CHANTAL)
    await update_card(uow_factory, clock, message, "Eindstand.")
    async with engine.begin() as connection:
        await connection.execute(
            update(OutboxDeliveryRow)
            .where(OutboxDeliveryRow.message_id == message)
            .values(status=DeliveryStatus.UNREACHABLE.value)
        )
    delivering = worker(engine, clock)
    try:
        assert await delivering.run_once() == 1
    finally:
        await delivering.close()

    assert harness.connector.updated == [] and harness.connector.sent[-1]["type"] == "message"
    assert await statuses(engine) == ["unreachable", "unreachable"]


def card_text(activity: dict[str, object]) -> str:
    attachments = activity["attachments"]
    assert isinstance(attachments, list)
    text: str = attachments[0]["content"]["body"][0]["text"]
    return text
