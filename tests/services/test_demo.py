"""The demo marketplace that `klussenbank demo load` adds for a first look in the Playground."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.services.demo import BRAM, EVA, DemoResult, seed_demo_marketplace
from klussenbank.services.ports.records import Actor
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
