"""Who is HR, and for which organisations: from the organisations file and the directory; and
finding the people the file names (by Entra object id or e-mail address)."""

from __future__ import annotations

from klussenbank.domain.organisations import Rules
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, DirectoryPerson

HR_ROLE = "hr"


async def person_by_email(directory: Directory, address: str) -> DirectoryPerson | None:
    wanted = address.strip().lower()
    return next((p for p in await directory.people() if p.email and p.email.lower() == wanted), None)


async def find_person(directory: Directory, entry: str) -> DirectoryPerson | None:
    """Someone the organisations file names: an e-mail address, or an Entra object id."""
    if "@" in entry:
        return await person_by_email(directory, entry)
    return await directory.person(entry)


class HrRoles:
    def __init__(self, directory: Directory, rules: Rules) -> None:
        self._directory = directory
        self._rules = rules

    async def organisations_of(self, actor: Actor) -> tuple[str, ...]:
        """Where the organisations file names the actor as HR, and their own organisation if the
        directory gives them the HR role; their own organisation first. Empty for everyone else."""
        entry = await self._directory.person(actor.aad_object_id)
        me = {actor.aad_object_id.lower(), (entry.email.lower() if entry and entry.email else "")} - {""}
        organisations = [o.key for o in await self._directory.organisations()]
        if entry is not None:
            own = entry.organisation.key
            organisations = [own, *(k for k in organisations if k != own)]
        return tuple(
            key
            for key in organisations
            if {h.lower() for h in self._rules.of(key).hr} & me
            or (entry is not None and entry.organisation.key == key and HR_ROLE in entry.roles)
        )

    def is_hr_of(self, person: DirectoryPerson, organisation_key: str) -> bool:
        """What `organisations_of` says, for one person the directory already gave and one organisation."""
        me = {person.aad_object_id.lower(), person.email.lower()} - {""}
        return bool({h.lower() for h in self._rules.of(organisation_key).hr} & me) or (
            person.organisation.key == organisation_key and HR_ROLE in person.roles
        )

    async def approver(
        self, organisation_key: str, *excluded: str, rather_not: str = ""
    ) -> DirectoryPerson | None:
        """The organisation's first HR approver the directory knows, other than `excluded`; one
        other than `rather_not` (the poster: not the judge of their own klus) if there is one."""
        skip = {e.lower() for e in excluded}
        fallback = None
        for entry in self._rules.of(organisation_key).approval.hr_approvers:
            person = await find_person(self._directory, entry)
            if person is None or person.aad_object_id.lower() in skip:
                continue
            if person.aad_object_id.lower() != rather_not.lower():
                return person
            fallback = fallback or person
        return fallback
