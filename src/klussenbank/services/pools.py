"""Pools run by a coordinator, the people side: the coordinator's card (members, onboarding steps,
qualifications, who lacks what for open requests) and a person's own (unavailable periods, their
qualifications and onboarding), and the reminder before a qualification expires.

Rights are checked on the server on every action: only a pool's coordinators manage it; HR of the
person's organisation may record qualifications too. Every look of a coordinator at a member goes
to that member's access log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from klussenbank.domain.klus import Klus
from klussenbank.domain.organisations import Rules
from klussenbank.domain.people import Person
from klussenbank.domain.pools import (
    REMIND_BEFORE_EXPIRY,
    PeriodError,
    Pool,
    Qualification,
    QualificationError,
    UnavailablePeriod,
    missing_qualifications,
)
from klussenbank.services.clock import Clock
from klussenbank.services.once import first_press
from klussenbank.services.pool_roles import PoolRoles
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, Recipient
from klussenbank.services.ports.renderers import PoolRenderer
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.roles import HrRoles, find_person
from klussenbank.services.views import Refusal

SAW_POOL = "pool"  # a pool's coordinator saw a member's onboarding and qualifications
NOT_COORDINATOR = "pools.not_coordinator"


@dataclass(frozen=True)
class MemberView:
    person_id: str
    name: str
    steps_done: tuple[str, ...]
    steps_to_go: tuple[str, ...]
    qualifications: tuple[Qualification, ...]


@dataclass(frozen=True)
class PoolView:
    """The coordinator's card of one pool; `banner` and `error` are catalog keys (with `detail`)."""

    pool: Pool
    members: tuple[MemberView, ...]
    others: tuple[Pool, ...] = ()  # the other pools they coordinate
    banner: str = ""
    error: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Lacking:
    """An open request of the pool and the members missing one of its qualifications."""

    klus: Klus
    members: tuple[tuple[str, tuple[str, ...]], ...]  # (name, the qualifications they miss)


@dataclass(frozen=True)
class LackingView:
    pool: Pool
    requests: tuple[Lacking, ...]


@dataclass(frozen=True)
class MyPoolView:
    """A person's own card: when they cannot work, their qualifications, their pools' programmes."""

    periods: tuple[UnavailablePeriod, ...]
    qualifications: tuple[Qualification, ...]
    pools: tuple[tuple[Pool, tuple[str, ...], tuple[str, ...]], ...]  # (pool, steps done, to go)
    today: date
    banner: str = ""
    error: str = ""


@dataclass(frozen=True)
class PeriodDraft:
    first_day: date | None
    last_day: date | None
    reason: str = ""
    weekdays: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class QualificationDraft:
    person_id: str
    name: str
    obtained_on: date | None
    expires_on: date | None = None
    unreadable: tuple[str, ...] = ()


class PoolService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        directory: Directory,
        rules: Rules,
        renderer: PoolRenderer,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._directory = directory
        self._roles = PoolRoles(directory, rules)
        self._hr = HrRoles(directory, rules)
        self._renderer = renderer

    # -- the coordinator ----------------------------------------------------------------------------

    async def _coordinated(self, actor: Actor, pool_key: str) -> tuple[Pool, tuple[Pool, ...]] | Refusal:
        """The pool (the first they coordinate when no key is given) and their others."""
        pools = await self._roles.pools_of(actor.aad_object_id)
        pool = next((p for p in pools if p.key == pool_key or not pool_key), None)
        if pool is None:
            return Refusal(NOT_COORDINATOR)
        return pool, tuple(p for p in pools if p != pool)

    async def overview(self, actor: Actor, pool_key: str = "", **notes: str) -> PoolView | Refusal:
        """The pool's members with their onboarding and qualifications (`pool` / `flexpool`)."""
        found = await self._coordinated(actor, pool_key)
        if isinstance(found, Refusal):
            return found
        pool, others = found
        async with self._uow() as uow:
            view = PoolView(pool, await self._members(uow, actor, pool), others, **notes)
            await uow.commit()
            return view

    async def _members(self, uow: UnitOfWork, actor: Actor, pool: Pool) -> tuple[MemberView, ...]:
        """The pool's members as the card shows them: a few reads for all of them, not a few each."""
        ids = await uow.pool_people.members(pool.key)
        names = {p.aad_object_id: p.name for p in await uow.people.some(ids)}
        steps = await uow.pool_people.steps_done_of(pool.key, ids)
        held = await uow.pool_people.qualifications_of(ids)
        members = []
        for person_id in (i for i in ids if i in names):
            done = tuple(steps.get(person_id, ()))
            counted = tuple(q for q in held.get(person_id, ()) if pool.qualification(q.name))
            members.append(MemberView(person_id, names[person_id], done, pool.steps_to_go(done), counted))
        seen = [(m.person_id, SAW_POOL) for m in members]
        await uow.access_log.add_all(seen, actor.aad_object_id, None, now=self._clock.now())
        return tuple(members)

    async def add_member(self, actor: Actor, pool_key: str, who: str, once: str | None) -> PoolView | Refusal:
        """Add someone by e-mail address (the directory's); a second press adds nobody again."""
        found = await self._coordinated(actor, pool_key)
        if isinstance(found, Refusal):
            return found
        pool = found[0]
        entry = await find_person(self._directory, who.strip()) if "@" in who else None
        if entry is None:
            return await self.overview(actor, pool.key, error="pools.error.unknown_person", detail=who[:100])
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "pool.add_member", now=self._clock.now()) is None:
                await self._ensure_person(uow, actor, entry.aad_object_id)
                await uow.pool_people.add_member(
                    pool.key, entry.aad_object_id, by=actor.aad_object_id, now=self._clock.now()
                )
                await uow.commit()
        return await self.overview(actor, pool.key, banner="pools.member_added", detail=entry.name)

    async def remove_member(
        self, actor: Actor, pool_key: str, person_id: str, once: str | None
    ) -> PoolView | Refusal:
        """Take someone out of the pool: their onboarding in it goes, their qualifications stay theirs;
        a second press takes nobody out again."""
        found = await self._coordinated(actor, pool_key)
        if isinstance(found, Refusal):
            return found
        pool = found[0]
        async with self._uow() as uow:
            repeated = await first_press(uow, actor, once, "pool.remove_member", now=self._clock.now())
            person = await uow.people.get(person_id) if person_id else None
            if person is None:
                return Refusal("pools.not_a_member")
            if repeated is None:
                if not await uow.pool_people.remove_member(pool.key, person_id):
                    return Refusal("pools.not_a_member")
                await uow.commit()
        return await self.overview(actor, pool.key, banner="pools.member_removed", detail=person.name)

    async def _ensure_person(self, uow: UnitOfWork, actor: Actor, person_id: str) -> None:
        """Someone the bot never met: added from the directory, so they can be a member."""
        if await uow.people.get(person_id) is not None:
            return
        entry = await self._directory.person(person_id)
        assert entry is not None
        now = self._clock.now()
        if await uow.organisations.get(entry.organisation.key) is None:
            await uow.organisations.add(entry.organisation, now=now)
        person = Person(
            entry.aad_object_id, actor.tenant_id, entry.name, entry.email, entry.organisation.key, "nl-NL"
        )
        await uow.people.save(person, now=now)

    async def tick_step(
        self, actor: Actor, pool_key: str, person_id: str, step: str, once: str | None
    ) -> PoolView | Refusal:
        """Tick off one step of a member's onboarding programme."""
        found = await self._coordinated(actor, pool_key)
        if isinstance(found, Refusal):
            return found
        pool = found[0]
        name = next((s for s in pool.onboarding if s == step), None)
        async with self._uow() as uow:
            if name is None or person_id not in await uow.pool_people.members(pool.key):
                return Refusal("pools.not_a_member")
            if await first_press(uow, actor, once, "pool.step", now=self._clock.now()) is None:
                await uow.pool_people.tick_step(
                    pool.key, person_id, name, by=actor.aad_object_id, now=self._clock.now()
                )
                await uow.commit()
        return await self.overview(actor, pool.key, banner="pools.step_done", detail=name)

    async def record_qualification(
        self, actor: Actor, pool_key: str, draft: QualificationDraft, once: str | None
    ) -> PoolView | Refusal:
        """Record a qualification for a member: by a coordinator of the pool, or HR of their organisation."""
        pool = self._roles.pool(pool_key)
        if pool is None:
            return Refusal(NOT_COORDINATOR)
        async with self._uow() as uow:
            person = await uow.people.get(draft.person_id)
            if person is None or draft.person_id not in await uow.pool_people.members(pool.key):
                return Refusal("pools.not_a_member")
        coordinator = await self._roles.coordinates(actor.aad_object_id, pool)
        if not coordinator and person.organisation_key not in await self._hr.organisations_of(actor):
            return Refusal(NOT_COORDINATOR)
        name = pool.qualification(draft.name)
        error = ""
        if draft.unreadable or draft.obtained_on is None:
            error = "pools.error.obtained_on"
        elif name is None:
            error = "pools.error.unknown_qualification"
        elif draft.obtained_on > self._clock.today():
            error = "pools.error.obtained_in_future"
        if not error:
            assert name is not None and draft.obtained_on is not None
            try:
                qualification = Qualification(
                    0, draft.person_id, name, draft.obtained_on, draft.expires_on, actor.aad_object_id
                )
            except QualificationError as exc:
                error = f"pools.error.{exc.reason}"
        if error:
            return await self._after(actor, pool, error=error, detail=draft.name[:100])
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "pool.qualification", now=self._clock.now()) is None:
                await uow.pool_people.record_qualification(qualification, now=self._clock.now())
                await uow.commit()
        return await self._after(
            actor, pool, banner="pools.qualification_recorded", detail=f"{name}, {person.name}"
        )

    async def _after(self, actor: Actor, pool: Pool, **notes: str) -> PoolView | Refusal:
        """The coordinator's card after an action; HR who is no coordinator gets the bare note."""
        view = await self.overview(actor, pool.key, **notes)
        return PoolView(pool, (), (), **notes) if isinstance(view, Refusal) else view

    async def lacking(self, actor: Actor, pool_key: str = "") -> LackingView | Refusal:
        """Per open request of the pool, the members missing a qualification it requires."""
        found = await self._coordinated(actor, pool_key)
        if isinstance(found, Refusal):
            return found
        pool = found[0]
        today = self._clock.today()
        async with self._uow() as uow:
            requests = [
                k for k in await uow.klussen.open(today) if k.pool_key == pool.key and k.qualifications
            ]
            ids = await uow.pool_people.members(pool.key)
            held = await uow.pool_people.qualifications_of(ids)
            names = {p.aad_object_id: p.name for p in await uow.people.some(ids)}
            lacking = []
            for klus in requests:
                missing = [
                    (
                        names.get(p, ""),
                        missing_qualifications(klus.qualifications, held.get(p, []), klus.start_date),
                    )
                    for p in ids
                ]
                lacking.append(Lacking(klus, tuple(sorted((n, m) for n, m in missing if m))))
            if requests:
                seen = [(person_id, SAW_POOL) for person_id in ids]
                await uow.access_log.add_all(seen, actor.aad_object_id, None, now=self._clock.now())
            await uow.commit()
        return LackingView(pool, tuple(lacking))

    # -- the person ---------------------------------------------------------------------------------

    async def mine(self, actor: Actor, **notes: str) -> MyPoolView:
        """My unavailable periods (those not over), my qualifications, my pools' programmes."""
        today = self._clock.today()
        async with self._uow() as uow:
            if await uow.people.get(actor.aad_object_id) is None:
                return MyPoolView((), (), (), today, **notes)
            periods = tuple(
                p for p in await uow.pool_people.periods(actor.aad_object_id) if p.last_day >= today
            )
            pools = []
            for key in await uow.pool_people.pools_of(actor.aad_object_id):
                pool = self._roles.pool(key)
                if pool is not None:
                    done = tuple(await uow.pool_people.steps_done(key, actor.aad_object_id))
                    pools.append((pool, done, pool.steps_to_go(done)))
            qualifications = tuple(await uow.pool_people.qualifications(actor.aad_object_id))
            return MyPoolView(periods, qualifications, tuple(pools), today, **notes)

    async def add_period(self, actor: Actor, draft: PeriodDraft, once: str | None) -> MyPoolView:
        """`niet beschikbaar`: a period when I cannot work (but on the weekdays I name)."""
        today = self._clock.today()
        error = ""
        if draft.unreadable or draft.first_day is None or draft.last_day is None:
            error = "pools.error.period_dates"
        elif draft.last_day < today:
            error = "pools.error.period_past"
        if not error:
            assert draft.first_day is not None and draft.last_day is not None
            try:
                period = UnavailablePeriod(
                    0, draft.first_day, draft.last_day, draft.reason.strip(), draft.weekdays
                )
            except PeriodError as exc:
                error = f"pools.error.{exc.reason}"
        if error:
            return await self.mine(actor, error=error)
        async with self._uow() as uow:
            if await uow.people.get(actor.aad_object_id) is None:
                return await self.mine(actor, error="pools.error.no_profile")
            if await first_press(uow, actor, once, "pool.period", now=self._clock.now()) is None:
                await uow.pool_people.add_period(actor.aad_object_id, period, now=self._clock.now())
                await uow.commit()
        return await self.mine(actor, banner="pools.period_added")

    async def remove_period(self, actor: Actor, period_id: int) -> MyPoolView:
        async with self._uow() as uow:
            removed = await uow.pool_people.remove_period(actor.aad_object_id, period_id)
            await uow.commit()
        return await self.mine(actor, banner="pools.period_removed" if removed else "")

    # -- the reminder chore -------------------------------------------------------------------------

    async def remind_expiring(self) -> int:
        """Tell people 30 days before a qualification expires (once per qualification and expiry)."""
        sent = 0
        today = self._clock.today()
        async with self._uow() as uow:
            due = await uow.pool_people.expiring(today + REMIND_BEFORE_EXPIRY)
            for qualification in due:
                person = await uow.people.get(qualification.person_id)
                assert qualification.expires_on is not None
                if person is None or qualification.expires_on < today:
                    continue
                if await uow.pool_people.mark_reminded(qualification, now=self._clock.now()):
                    await uow.outbox.enqueue(
                        {"card": self._renderer.expiry_reminder(qualification, person.locale)},
                        [Recipient(person_aad_object_id=person.aad_object_id)],
                        reason="pools.expiry_reminder",
                        now=self._clock.now(),
                    )
                    sent += 1
            await uow.commit()
        return sent
