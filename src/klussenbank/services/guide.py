"""What someone does with Klussenbank, so the welcome and the help can offer their next step:
available, posting, reacting, approving, HR, a pool's shifts and its coordination.

A manager is told only that approval cards will come: nothing here looks at whether their staff
signed up or reacted (the manager-blind rule).
"""

from __future__ import annotations

from dataclasses import dataclass

from klussenbank.domain.organisations import Rules
from klussenbank.services.pool_roles import PoolRoles
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.roles import HrRoles


@dataclass(frozen=True)
class Situation:
    has_profile: bool = False  # signed up as available
    posted: bool = False  # posted a klus
    reacted: bool = False  # showed interest in a klus, or was invited to one
    manages: bool = False  # someone reports to them: approval cards may come their way
    hr: bool = False  # HR for an organisation: announcements and reports
    in_pool: bool = False  # their organisation is in a pool run by a coordinator: shifts, planning
    coordinates: bool = False  # coordinator of a pool: its members, requests and charging


class GuideService:
    def __init__(self, uow: UnitOfWorkFactory, *, directory: Directory, rules: Rules) -> None:
        self._uow = uow
        self._directory = directory
        self._roles = HrRoles(directory, rules)
        self._rules = rules
        self._pools = PoolRoles(directory, rules)

    async def situation(self, actor: Actor) -> Situation:
        me = actor.aad_object_id
        async with self._uow(reads_only=True) as uow:
            has_profile, posted, reacted, organisation = await uow.people.doings(me)
        return Situation(
            has_profile=has_profile,
            posted=posted,
            reacted=reacted,
            manages=bool(await self._directory.reports(me)),
            hr=bool(await self._roles.organisations_of(actor)),
            in_pool=organisation is not None and bool(self._rules.pools_of(organisation)),
            coordinates=bool(self._rules.pools) and bool(await self._pools.pools_of(me)),
        )
