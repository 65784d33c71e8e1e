"""Who is HR, and for which organisations: from the organisations file and the directory."""

from __future__ import annotations

from klussenbank.domain.organisations import Rules
from klussenbank.services.ports import Actor, Directory

HR_ROLE = "hr"


class HrRoles:
    def __init__(self, directory: Directory, rules: Rules) -> None:
        self._directory = directory
        self._rules = rules

    async def organisations_of(self, actor: Actor) -> tuple[str, ...]:
        """Where the organisations file names the actor as HR, and their own organisation if the
        directory gives them the HR role. Empty for everyone else."""
        entry = await self._directory.person(actor.aad_object_id)
        me = {actor.aad_object_id.lower(), (entry.email.lower() if entry and entry.email else "")} - {""}
        organisations = [o.key for o in await self._directory.organisations()]
        if entry is not None and entry.organisation.key not in organisations:
            organisations.append(entry.organisation.key)
        return tuple(
            key
            for key in organisations
            if {h.lower() for h in self._rules.of(key).hr} & me
            or (entry is not None and entry.organisation.key == key and HR_ROLE in entry.roles)
        )
