"""A unit of work reads a person, an organisation or a klus once, until it writes to their tables."""

from __future__ import annotations

import dataclasses

from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.klus import InterestStatus, KlusStatus
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from tests.conftest import FixedClock, statements
from tests.services.conftest import BRAM, CHANTAL, Market
from tests.services.test_klussen import interested, posted, sign_up


async def test_a_second_read_is_answered_from_the_first_until_a_write_to_its_tables(
    market: Market, uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    klus = await posted(market, BRAM)
    now = FixedClock().now()
    async with uow_factory() as uow:
        with statements(engine) as first:
            bram = await uow.people.get(BRAM.aad_object_id)
            organisation = await uow.organisations.get(klus.organisation_key)
            read = await uow.klussen.get(klus.id)
        with statements(engine) as again:
            assert await uow.people.get(BRAM.aad_object_id) == bram
            assert await uow.organisations.get(klus.organisation_key) == organisation
            assert await uow.klussen.get(klus.id) == read
            assert await uow.people.get("nobody") is None
            assert await uow.people.get("nobody") is None
        assert first and len(again) == 1  # (only the first look for nobody)

        # Writing elsewhere keeps what was read; a locking read goes to the database.
        await uow.access_log.add(BRAM.aad_object_id, BRAM.aad_object_id, "test", klus.id, now=now)
        with statements(engine) as after_other_write:
            assert await uow.people.get(BRAM.aad_object_id) == bram
            assert await uow.klussen.get(klus.id, lock=True) == read
        assert after_other_write and all("FROM klus" in statement for statement in after_other_write)

        # A write to their tables: read again, as they are now.
        assert bram is not None and read is not None
        await uow.people.save(dataclasses.replace(bram, name="Bram Nieuw"), now=now)
        await uow.klussen.set_status(klus.id, KlusStatus.CANCELLED, now=now)
        renamed = await uow.people.get(BRAM.aad_object_id)
        cancelled = await uow.klussen.get(klus.id)
        assert renamed is not None and renamed.name == "Bram Nieuw"
        assert cancelled is not None and cancelled.status is KlusStatus.CANCELLED


async def test_a_change_waiting_for_its_flush_is_read_as_it_will_be(
    market: Market, uow_factory: UnitOfWorkFactory
) -> None:
    klus = await posted(market, BRAM)
    async with uow_factory() as uow:
        read = await uow.klussen.get(klus.id)
        assert read is not None
        await uow.klussen.update(dataclasses.replace(read, title="Een nieuwe titel"), now=FixedClock().now())
        changed = await uow.klussen.get(klus.id)
    assert changed is not None and changed.title == "Een nieuwe titel"


async def test_an_interest_is_read_once_until_it_is_saved(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    await sign_up(signup, CHANTAL)
    klus = await posted(market, BRAM)
    await interested(market, CHANTAL, klus.id)
    async with uow_factory() as uow:
        first = await uow.interests.get(klus.id, CHANTAL.aad_object_id)
        with statements(engine) as again:
            assert await uow.interests.get(klus.id, CHANTAL.aad_object_id) == first
        assert again == []

        assert first is not None
        await uow.interests.save(
            dataclasses.replace(first, status=InterestStatus.CHOSEN), hours_per_week=4, now=FixedClock().now()
        )
        chosen = await uow.interests.get(klus.id, CHANTAL.aad_object_id)
    assert chosen is not None and chosen.status is InterestStatus.CHOSEN
