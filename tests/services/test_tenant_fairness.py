"""The outbox takes turns between tenants: a burst queued for one tenant does not stand in front of
another tenant's messages (Teams' limits are per tenant, so each tenant's sends wait only for its own).
How much that saves is measured in bench/tenants.py; here, the order."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.cards.general import notice_card
from klussenbank.domain.people import Organisation, Person
from klussenbank.services.ports.records import ConversationRef, Recipient
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.store.db import session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from tests.conftest import FixedClock

BURST = 120


async def people_of(uow_factory: UnitOfWorkFactory, clock: FixedClock, tenant: str, count: int) -> list[str]:
    names = [f"{tenant}-{n}" for n in range(count)]
    async with uow_factory() as uow:
        if await uow.organisations.get("pool") is None:
            await uow.organisations.add(Organisation("pool", "Pool"), now=clock.now())
        for name in names:
            await uow.people.save(Person(name, tenant, name, "", "pool", "nl-NL"), now=clock.now())
            reference = ConversationRef(f"a:{name}", "personal", tenant, "msteams", "http://x/", name, {})
            await uow.conversations.save(reference, now=clock.now())
        await uow.commit()
    return names


async def queue(uow_factory: UnitOfWorkFactory, clock: FixedClock, names: list[str]) -> None:
    async with uow_factory() as uow:
        recipients = [Recipient(person_aad_object_id=name) for name in names]
        await uow.outbox.enqueue({"card": notice_card("Hallo")}, recipients, reason="t", now=clock.now())
        await uow.commit()


async def test_a_burst_to_one_tenant_does_not_stand_in_front_of_another(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    burst = await people_of(uow_factory, clock, "tenant-a", BURST)
    few = await people_of(uow_factory, clock, "tenant-b", 3)
    await queue(uow_factory, clock, burst)
    clock.current += timedelta(seconds=1)  # queued later than the whole burst
    await queue(uow_factory, clock, few)

    outbox = SqlDeliveryQueue(session_factory(engine))
    claimed = await outbox.claim("w", 10, now=clock.now(), lease=timedelta(minutes=1))
    tenants = [delivery.target.tenant_id for delivery in claimed if delivery.target]
    # The first batch already holds B's three, taking turns with A's oldest; A's come in their order.
    assert tenants == ["tenant-a", "tenant-b"] * 3 + ["tenant-a"] * 4
    to_a = [d.person_aad_object_id for d in claimed if d.target and d.target.tenant_id == "tenant-a"]
    assert to_a == burst[:7]
    rest = await outbox.claim("w", 200, now=clock.now(), lease=timedelta(minutes=1))
    assert len(rest) == BURST - 7  # nothing twice, nothing left behind
