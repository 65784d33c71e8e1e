"""Who coordinates which pool (from the organisations file and the directory), and the start-up check
that every pool names organisations and coordinators that exist."""

from __future__ import annotations

from klussenbank.data import PolicyFileError
from klussenbank.domain.organisations import Rules
from klussenbank.domain.pools import Pool
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import DirectoryPerson
from klussenbank.services.roles import find_person


async def check_pools(rules: Rules, directory: Directory) -> None:
    """Raise a `PolicyFileError` naming the file, the pool and the key when a pool names an
    organisation or a coordinator nobody knows. (A directory with no people yet, a Graph cache
    before its first sync, cannot tell about coordinators.)"""
    known = {o.key for o in await directory.organisations()} | set(rules.by_organisation)
    has_people = bool(await directory.people())
    for pool in rules.pools.values():
        where = f"organisations file {rules.source} [pools.{pool.key}]"
        for key in pool.organisations:
            if key not in known:
                raise PolicyFileError(
                    f"{where} organisations: {key!r} is not an organisation (known are {sorted(known)})"
                )
        for entry in pool.coordinators if has_people else ():
            if await find_person(directory, entry) is None:
                raise PolicyFileError(f"{where} coordinators: {entry!r} is not in the directory")


class PoolRoles:
    """Coordinators of pools: the people the file names, or the directory's people with the pool's
    coordinator role in one of its organisations."""

    def __init__(self, directory: Directory, rules: Rules) -> None:
        self._directory = directory
        self._rules = rules

    def pool(self, key: str) -> Pool | None:
        return self._rules.pools.get(key)

    async def coordinates(self, person_id: str, pool: Pool) -> bool:
        entry = await self._directory.person(person_id)
        me = {person_id.lower(), (entry.email.lower() if entry and entry.email else "")} - {""}
        if {c.lower() for c in pool.coordinators} & me:
            return True
        return bool(
            pool.coordinator_role
            and entry is not None
            and entry.organisation.key in pool.organisations
            and pool.coordinator_role in entry.roles
        )

    async def pools_of(self, person_id: str) -> tuple[Pool, ...]:
        """The pools this person coordinates."""
        return tuple([p for p in self._rules.pools.values() if await self.coordinates(person_id, p)])

    async def coordinators(self, pool: Pool) -> list[DirectoryPerson]:
        """Everyone who coordinates the pool, those the file names first, in its order."""
        found: list[DirectoryPerson] = []
        for entry in pool.coordinators:
            person = await find_person(self._directory, entry)
            if person is not None and person not in found:
                found.append(person)
        if pool.coordinator_role:
            found += [
                p
                for p in await self._directory.people()
                if p.organisation.key in pool.organisations
                and pool.coordinator_role in p.roles
                and p not in found
            ]
        return found
