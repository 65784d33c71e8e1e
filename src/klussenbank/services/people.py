"""Bringing organisations and people from the directory into the pool."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from klussenbank.domain.people import Person
from klussenbank.services.clock import Clock
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.repositories import UnitOfWorkFactory


@dataclass(frozen=True)
class ImportResult:
    organisations_added: int
    people_added: int
    people_updated: int


async def import_directory(
    uow_factory: UnitOfWorkFactory,
    directory: Directory,
    clock: Clock,
    *,
    tenant_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Upsert every organisation and person of the directory; profiles are left alone. `progress`
    hears how many people are done of how many."""
    now = clock.now()
    orgs_added = added = updated = 0
    async with uow_factory() as uow:
        for organisation in await directory.organisations():
            if await uow.organisations.get(organisation.key) is None:
                await uow.organisations.add(organisation, now=now)
                orgs_added += 1
        people = await directory.people()
        for done, entry in enumerate(people, 1):
            existing = await uow.people.get(entry.aad_object_id)
            await uow.people.save(
                Person(
                    aad_object_id=entry.aad_object_id,
                    tenant_id=existing.tenant_id if existing else tenant_id,
                    name=entry.name,
                    email=entry.email,
                    organisation_key=entry.organisation.key,
                    locale=existing.locale if existing else "nl-NL",
                ),
                now=now,
            )
            if existing:
                updated += 1
            else:
                added += 1
            if progress is not None:
                progress(done, len(people))
        await uow.commit()
    return ImportResult(orgs_added, added, updated)
