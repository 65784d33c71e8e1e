"""import_directory against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.people import Organisation, WorkMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.people import ImportResult, import_directory
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.store.orm.people import OrganisationRow, PersonRow
from tests.conftest import TODAY, FixedClock

TENANT = "tenant-1"
DIRECTORY: dict[str, Any] = {
    "organisations": [
        {"key": "ermelo", "name": "Gemeente Ermelo"},
        {"key": "harderwijk", "name": "Gemeente Harderwijk"},
    ],
    "people": [
        {
            "aad_object_id": "p-1",
            "name": "Anna de Vries",
            "email": "anna@h.example",
            "organisation": "harderwijk",
        },
        {"aad_object_id": "p-2", "name": "Bram Jansen", "email": "bram@e.example", "organisation": "ermelo"},
        {
            "aad_object_id": "p-3",
            "name": "Chantal Bakker",
            "email": "chantal@e.example",
            "organisation": "ermelo",
        },
    ],
}


def utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes, PostgreSQL aware ones; both are UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


async def count(engine: AsyncEngine, row: type[OrganisationRow] | type[PersonRow]) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(row)) or 0)


async def run(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, data: dict[str, Any] = DIRECTORY
) -> ImportResult:
    return await import_directory(uow_factory, FileDirectory(data), clock, tenant_id=TENANT)


async def test_import_adds_organisations_and_people(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, engine: AsyncEngine
) -> None:
    result = await run(uow_factory, clock)

    assert result == ImportResult(organisations_added=2, people_added=3, people_updated=0)
    async with uow_factory() as uow:
        assert await uow.organisations.all() == [
            Organisation("ermelo", "Gemeente Ermelo"),
            Organisation("harderwijk", "Gemeente Harderwijk"),
        ]
        for entry in DIRECTORY["people"]:
            person = await uow.people.get(entry["aad_object_id"])
            assert person is not None
            assert (person.name, person.email, person.organisation_key, person.tenant_id) == (
                entry["name"],
                entry["email"],
                entry["organisation"],
                TENANT,
            )
            assert person.locale == "nl-NL"
            # Imported is not met: they still get a welcome when they first talk to the bot.
            assert person.welcomed_at is None
    assert await count(engine, OrganisationRow) == 2
    assert await count(engine, PersonRow) == 3


async def test_import_is_idempotent(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, engine: AsyncEngine
) -> None:
    await run(uow_factory, clock)
    async with uow_factory() as uow:
        first = [await uow.people.get(entry["aad_object_id"]) for entry in DIRECTORY["people"]]

    clock.current = TODAY + timedelta(days=1)
    result = await run(uow_factory, clock)

    assert result == ImportResult(organisations_added=0, people_added=0, people_updated=3)
    assert await count(engine, OrganisationRow) == 2
    assert await count(engine, PersonRow) == 3
    async with uow_factory() as uow:
        assert [await uow.people.get(entry["aad_object_id"]) for entry in DIRECTORY["people"]] == first


async def test_import_follows_changes_in_the_directory(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, engine: AsyncEngine
) -> None:
    await run(uow_factory, clock)
    changed = copy.deepcopy(DIRECTORY)
    changed["organisations"].append({"key": "zeewolde", "name": "Gemeente Zeewolde"})
    changed["people"][1].update(name="Bram Jansen-Smit", email="bram@z.example", organisation="zeewolde")
    changed["people"].append(
        {"aad_object_id": "p-4", "name": "Daan Visser", "email": "daan@e.example", "organisation": "ermelo"}
    )

    result = await run(uow_factory, clock, changed)

    assert result == ImportResult(organisations_added=1, people_added=1, people_updated=3)
    assert await count(engine, OrganisationRow) == 3
    assert await count(engine, PersonRow) == 4
    async with uow_factory() as uow:
        bram = await uow.people.get("p-2")
        assert bram is not None
        assert (bram.name, bram.email, bram.organisation_key) == (
            "Bram Jansen-Smit",
            "bram@z.example",
            "zeewolde",
        )
        assert await uow.people.get("p-4") is not None


async def test_import_keeps_what_the_bot_learned_about_a_person(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, vocabulary: SkillVocabulary
) -> None:
    signup = SignupService(
        uow_factory,
        clock=clock,
        vocabulary=vocabulary,
        directory=FileDirectory(DIRECTORY),
        default_organisation="default",
    )
    actor = Actor("p-1", "tenant-from-teams", "Anna", "en-US")
    await signup.meet(actor, None)
    met_at = clock.now()
    await run(uow_factory, clock)  # the organisations exist now
    saved = await signup.save(
        actor,
        AvailabilityDraft(
            skills=("minute-taking",),
            hours_per_week=8,
            start_date=TODAY,
            organisations=("ermelo", "harderwijk"),
            work_mode=WorkMode.HYBRID,
        ),
    )
    async with uow_factory() as uow:
        availability = await uow.availability.get("p-1")
    assert availability is not None, saved

    clock.current = TODAY + timedelta(days=2)
    result = await run(uow_factory, clock)

    assert result == ImportResult(organisations_added=0, people_added=0, people_updated=3)
    async with uow_factory() as uow:
        anna = await uow.people.get("p-1")
        assert anna is not None
        assert anna.locale == "en-US"
        assert utc(anna.welcomed_at) == met_at
        assert anna.tenant_id == "tenant-from-teams"
        # The directory's own data does win.
        assert anna.name == "Anna de Vries"
        # Profiles are left alone.
        assert await uow.availability.get("p-1") == availability


async def test_the_demo_directory_imports(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, engine: AsyncEngine
) -> None:
    result = await import_directory(uow_factory, FileDirectory.load("demo"), clock, tenant_id=TENANT)

    assert result == ImportResult(organisations_added=3, people_added=8, people_updated=0)
    assert await count(engine, OrganisationRow) == 3
    assert await count(engine, PersonRow) == 8
