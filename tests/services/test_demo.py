"""The demo marketplace that `klussenbank demo load` adds for a first look in the Playground."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.services.demo import BRAM, EVA, GIJS, DemoResult, seed_demo_flexpool, seed_demo_marketplace
from klussenbank.services.pools import LackingView, PoolService, PoolView
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from tests.conftest import FixedClock
from tests.services.conftest import TENANT, Market


async def test_the_demo_is_loaded_once_quietly_and_matches(
    signup: SignupService, market: Market, clock: FixedClock, engine: AsyncEngine
) -> None:
    assert await seed_demo_marketplace(signup, market.posting, clock, tenant_id=TENANT) == DemoResult(3, 2)
    assert await seed_demo_marketplace(signup, market.posting, clock, tenant_id=TENANT) == DemoResult(0, 0)

    assert len(await market.posting.mine(Actor(BRAM, TENANT, "", "nl-NL"))) == 2
    offers = (await market.interest.offers(Actor(EVA, TENANT, "", "nl-NL"))).offers
    assert [o.klus.title for o in offers] == ["Notuleren bij de bewonersavonden"]
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM outbox_messages"))).scalar() == 0


async def test_the_demo_flexpool_is_loaded_once_and_its_counter_klus_needs_a_qualification(
    signup: SignupService,
    market: Market,
    pools: PoolService,
    clock: FixedClock,
    uow_factory: UnitOfWorkFactory,
) -> None:
    assert await seed_demo_flexpool(pools, signup, market.posting, clock, tenant_id=TENANT)
    assert not await seed_demo_flexpool(pools, signup, market.posting, clock, tenant_id=TENANT)

    bram = Actor(BRAM, TENANT, "", "nl-NL")
    view = await pools.overview(bram)
    assert isinstance(view, PoolView)
    assert [(m.name, len(m.steps_to_go)) for m in view.members] == [
        ("Fenna Mulder", 2),
        ("Gijs de Boer", 0),
        ("Hanna Kok", 0),
    ]
    lacking = await pools.lacking(bram)
    assert isinstance(lacking, LackingView)
    [request] = lacking.requests
    assert request.members == (
        ("Fenna Mulder", ("Voorkomen ID-fraude",)),
        ("Hanna Kok", ("Voorkomen ID-fraude",)),
    )
    async with uow_factory() as uow:
        klus = await uow.klussen.get(request.klus.id)
        assert klus is not None
        found = (await market.shared.pool.current(uow)).top_candidates(klus, today=clock.today())
    assert [m.person_id for m in found] == [GIJS]  # onboarded and qualified
