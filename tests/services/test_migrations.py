from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.store.migrate import alembic_config, upgrade_async
from klussenbank.store.orm.base import Base
from tests.conftest import FixedClock
from tests.services.conftest import ANNA, DAAN, EVA, Market, agreement_service
from tests.services.test_agreements import opened, pdf_text, signed
from tests.services.test_approvals import confirmed_match, only_approval


async def test_migrations_create_every_table_of_the_model(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert {table.name for table in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


async def differences(engine: AsyncEngine) -> list[object]:
    """What autogenerate would change to make the database match the model."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def diff(sync: Connection) -> list[object]:
        context = MigrationContext.configure(sync, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(diff)


async def test_the_migrations_match_the_model_exactly(engine: AsyncEngine) -> None:
    assert await differences(engine) == []


async def test_0010_reverses_to_the_dutch_agreements_and_agreements_made_before_it_stay_readable(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
    engine: AsyncEngine,
    database_url: str,
) -> None:
    klus_id = await confirmed_match(market, signup, EVA, poster=DAAN, organisation="ermelo")
    approval = await only_approval(uow_factory, klus_id)
    await market.approvals.approve(ANNA, approval.id)  # stored in Dutch and English
    await engine.dispose()

    try:
        await asyncio.to_thread(command.downgrade, alembic_config(database_url), "0009")
        async with engine.connect() as connection:
            columns = await connection.run_sync(
                lambda sync: [c["name"] for c in inspect(sync).get_columns("agreements")]
            )
            rows = (await connection.execute(text("SELECT approval_id, pdf FROM agreements"))).all()
        assert "language" not in columns
        assert [(row.approval_id, pdf_text(row.pdf).split()[0]) for row in rows] == [
            (approval.id, "Detacheringsovereenkomst")  # the Dutch one stays
        ]
    finally:
        await engine.dispose()
        await upgrade_async(database_url)

    assert await differences(engine) == []
    # What was made before 0010 is in Dutch only: Daan, who reads English, gets the Dutch one.
    agreements = agreement_service(uow_factory, clock, directory)
    link = await agreements.link(DAAN, approval.id)
    assert signed(link)[1] == "en"
    _, dutch = await opened(agreements, link)
    assert dutch.startswith("Detacheringsovereenkomst") and "Secondment" not in dutch
