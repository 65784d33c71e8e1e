"""Requests by shift, and the coordinator's work: a request (a klus in a pool run by a coordinator)
names its shifts; it goes to the pool's coordinators (not to everyone); a coordinator sees the people
who fit, ranked and explained, and proposes one or more; the person says yes or no in chat
(`InterestService`), and a yes books them on the shifts, never on two that overlap."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import (
    HOLDS_HOURS,
    TAKES_A_PLACE,
    Interest,
    InterestStatus,
    Klus,
    KlusDraft,
    validate_klus,
)
from klussenbank.domain.matching import Match
from klussenbank.domain.organisations import Rules
from klussenbank.domain.people import Organisation, WorkMode
from klussenbank.domain.pools import Exclusion, Pool, PoolMode, blocked_days
from klussenbank.domain.shifts import Shift, first_overlap, parse_shifts, peak_hours_per_week
from klussenbank.services.approval_routing import SAW_SUGGESTION
from klussenbank.services.klus_views import skill_choices
from klussenbank.services.marketplace import Marketplace, person_of
from klussenbank.services.once import Repeated, first_press, settle
from klussenbank.services.own_line import hidden_from
from klussenbank.services.pool_roles import PoolRoles
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, DirectoryPerson
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.views import KlusNotice, KlusView, Refusal, SkillChoice

# The fields of the form; the klus rules' other errors (hours, period) are about the shifts.
FORM_FIELDS = (
    "title",
    "description",
    "organisation",
    "required_skills",
    "skills_other",
    "place",
    "people_needed",
)
SHOWN = 10  # people on the coordinator's list


@dataclass(frozen=True)
class ShiftDraft:
    """A request by shift as the poster typed it."""

    title: str = ""
    description: str = ""
    organisation: str = ""
    required_skills: tuple[str, ...] = ()
    skills_other: str = ""
    place: str = ""
    shifts: str = ""
    people_needed: int | None = None
    pool: str = ""
    qualifications: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShiftFormView:
    values: ShiftDraft
    skill_choices: tuple[SkillChoice, ...]
    organisation_choices: tuple[Organisation, ...]  # the client organisations of the pools
    pool_choices: tuple[Pool, ...]
    today: date
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class ShiftRequestView:
    """A request by shift: its klus, its shifts, who is booked and how many places are open."""

    klus: KlusView
    shifts: tuple[Shift, ...]
    booked: tuple[str, ...]  # names
    proposed: tuple[str, ...]  # names of people proposed who have not answered yet

    @property
    def open_places(self) -> int:
        return max(0, self.klus.people_needed - len(self.booked))


@dataclass(frozen=True)
class ProposalRow:
    """Someone who fits a request, for the coordinator: why, and whether a shift of theirs overlaps."""

    person_id: str
    name: str
    organisation: str
    match: Match | None
    clash: Shift | None = None  # a shift they are booked on that overlaps one of the request
    unavailable: tuple[date, ...] = ()  # shift days an unavailable period of theirs blocks
    left_out: tuple[Exclusion, ...] = ()  # why the pool's rules leave a member out
    status: InterestStatus | None = None  # proposed (chosen), said yes (confirmed, approved), declined


@dataclass(frozen=True)
class CoordinatorView:
    request: ShiftRequestView
    rows: tuple[ProposalRow, ...]
    banner: str = ""


@dataclass(frozen=True)
class OpenRequestsView:
    """The requests a coordinator runs that still have open places, soonest first."""

    requests: tuple[ShiftRequestView, ...]


class Coordinators:
    """Who posts and who runs requests by shift: the pools of the organisations file whose coordinator
    assigns the work. Anyone in a member organisation may ask; the pool's coordinators give it out."""

    def __init__(self, directory: Directory, rules: Rules) -> None:
        self._rules = rules
        self._roles = PoolRoles(directory, rules)

    def pool(self, key: str) -> Pool | None:
        pool = self._rules.pools.get(key)
        return pool if pool is not None and pool.mode is PoolMode.COORDINATOR_ASSIGNS else None

    def pools_for(self, organisation_key: str) -> tuple[Pool, ...]:
        """The pools someone of this organisation may ask people of."""
        return tuple(p for p in self._rules.pools_of(organisation_key) if self.pool(p.key))

    async def pools_of(self, actor: Actor) -> tuple[Pool, ...]:
        """The pools the actor coordinates."""
        return tuple(p for p in await self._roles.pools_of(actor.aad_object_id) if self.pool(p.key))

    async def organisations_of(self, actor: Actor) -> tuple[str, ...]:
        """The organisations of the pools the actor coordinates."""
        return tuple(dict.fromkeys(o for p in await self.pools_of(actor) for o in p.organisations))

    async def coordinates(self, actor: Actor, klus: Klus) -> bool:
        pool = self.pool(klus.pool_key)
        return pool is not None and await self._roles.coordinates(actor.aad_object_id, pool)

    async def of(self, pool: Pool) -> list[DirectoryPerson]:
        return await self._roles.coordinators(pool)


async def by_shift(uow: UnitOfWork, klus: Klus) -> bool:
    """Whether the klus is a request by shift: its pool's coordinators give it out, and nobody else
    (its requester does not choose, and nobody reacts to it without being proposed)."""
    return bool(klus.pool_key) and bool(await uow.shifts.of_klussen([klus.id]))


async def shift_clash(uow: UnitOfWork, klus_id: int, person_id: str) -> tuple[Shift, Shift] | None:
    """A shift of this klus and one the person is already booked on that overlap, if any."""
    mine = (await uow.shifts.of_klussen([klus_id])).get(klus_id, [])
    if not mine:
        return None
    booked = (await uow.shifts.booked([person_id], but=klus_id)).get(person_id, [])
    return first_overlap(mine, booked)


class ShiftService:
    def __init__(
        self, uow: UnitOfWorkFactory, *, market: Marketplace, directory: Directory, coordinators: Coordinators
    ) -> None:
        self._uow = uow
        self._market = market
        self._clock = market.clock
        self._directory = directory
        self._coordinators = coordinators

    async def form(self, actor: Actor) -> ShiftFormView | Refusal:
        async with self._uow() as uow:
            person = await person_of(uow, actor)
            pools = self._coordinators.pools_for(person.organisation_key)
            if not pools:
                return Refusal("shifts_no_pool")
            own = await uow.organisations.get(person.organisation_key)
            values = ShiftDraft(
                organisation=person.organisation_key,
                place=own.name if own else "",
                people_needed=1,
                pool=pools[0].key,
            )
            return await self._form(uow, values, pools)

    async def _form(
        self, uow: UnitOfWork, values: ShiftDraft, pools: Sequence[Pool], errors: Sequence[FieldError] = ()
    ) -> ShiftFormView:
        vocabulary = self._market.vocabulary
        clients = {o for p in pools for o in p.organisations}
        return ShiftFormView(
            values=values,
            skill_choices=skill_choices(vocabulary, (s.id for s in vocabulary.skills)),
            organisation_choices=tuple(o for o in await uow.organisations.all() if o.key in clients),
            pool_choices=tuple(pools),
            today=self._clock.today(),
            errors=tuple(errors),
        )

    async def post(
        self, actor: Actor, draft: ShiftDraft, *, once: str | None = None, quiet: bool = False
    ) -> ShiftRequestView | ShiftFormView | Refusal | Repeated[ShiftRequestView]:
        """Post a request by shift in a pool: checked whole (nothing is stored with an error), then
        sent to the pool's coordinators (unless `quiet`: the demo's), and to nobody else."""
        today, now = self._clock.today(), self._clock.now()
        async with self._uow() as uow:
            prior = await first_press(uow, actor, once, "shifts.post", now=now)
            if prior is not None:
                klus = await uow.klussen.get(prior.record_id) if prior.record_id else None
                if klus is None or klus.poster_id != actor.aad_object_id:
                    return Refusal("already_done")
                return Repeated(await self._request(uow, klus))
            person = await person_of(uow, actor)
            pools = self._coordinators.pools_for(person.organisation_key)
            if not pools:
                return Refusal("shifts_no_pool")
            pool = next((p for p in pools if p.key == draft.pool), None)
            shifts, shift_errors = parse_shifts(draft.shifts, today=today)
            first, last = (shifts[0].day, shifts[-1].day) if shifts else (today, today)
            klus, errors = validate_klus(
                KlusDraft(
                    title=draft.title,
                    description=draft.description,
                    organisation=draft.organisation,
                    required_skills=draft.required_skills,
                    skills_other=draft.skills_other,
                    hours_per_week=max(1, peak_hours_per_week(shifts)),
                    start_date=first,
                    end_date=last,
                    work_mode=WorkMode.ON_SITE,
                    place=draft.place,
                    people_needed=draft.people_needed,
                    # Proposals can be made until the day before the first shift (or on the day itself).
                    interest_deadline=max(today, first - timedelta(days=1)),
                    internal_first_until=today,
                    unreadable=draft.unreadable,
                ),
                today=today,
                vocabulary=self._market.vocabulary,
                organisations=pool.organisations if pool else {o for p in pools for o in p.organisations},
                poster_id=actor.aad_object_id,
            )
            errors = [e if e.field in FORM_FIELDS else replace(e, field="shifts") for e in errors]
            if pool is None:
                errors.append(FieldError("pool", "unknown_choice"))
            elif any(pool.qualification(q) is None for q in draft.qualifications):
                errors.append(FieldError("qualifications", "unknown_choice"))
            errors += shift_errors
            if klus is None or pool is None or errors:
                return await self._form(uow, draft, pools, errors)
            klus = replace(
                klus,
                pool_key=pool.key,
                qualifications=tuple(pool.qualification(q) or q for q in draft.qualifications),
            )
            klus = replace(klus, id=await uow.klussen.add(klus, now=now))
            await uow.shifts.add(klus.id, shifts)
            view = await self._market.view(uow, klus)
            for coordinator in [] if quiet else await self._coordinators.of(pool):
                them = await uow.people.get(coordinator.aad_object_id)
                if them is not None and them.aad_object_id != actor.aad_object_id:
                    await self._market.notify(uow, them, KlusNotice("shift_request", view), "shifts.request")
            await settle(uow, actor, once, klus.id)
            result = await self._request(uow, klus)
            await uow.commit()
            return result

    async def open_requests(self, actor: Actor) -> OpenRequestsView | Refusal:
        """The coordinator's requests with open places: what still needs people, at a glance."""
        pools = {p.key for p in await self._coordinators.pools_of(actor)}
        if not pools:
            return Refusal("shifts_coordinators_only")
        async with self._uow() as uow:
            klussen = [k for k in await uow.klussen.open(self._clock.today()) if k.pool_key in pools]
            shifts = await uow.shifts.of_klussen([k.id for k in klussen])
            requests = [await self._request(uow, k, shifts[k.id]) for k in klussen if k.id in shifts]
            return OpenRequestsView(
                tuple(sorted((r for r in requests if r.open_places), key=lambda r: r.shifts[0]))
            )

    async def candidates(self, actor: Actor, klus_id: int) -> CoordinatorView | Refusal:
        async with self._uow() as uow:
            found = await self._coordinated(uow, actor, klus_id)
            if isinstance(found, Refusal):
                return found
            view = await self._candidates(uow, actor, found)
            await uow.commit()  # the access log
            return view

    async def propose(
        self, actor: Actor, klus_id: int, person_id: str, *, once: str | None = None
    ) -> CoordinatorView | Refusal | Repeated[CoordinatorView]:
        """Propose someone for a request: they are asked in chat whether they take its shifts."""
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "shifts.propose", now=self._clock.now()):
                found = await self._coordinated(uow, actor, klus_id)
                return (
                    found
                    if isinstance(found, Refusal)
                    else Repeated(await self._candidates(uow, actor, found))
                )
            found = await self._coordinated(uow, actor, klus_id, lock=True)
            if isinstance(found, Refusal):
                return found
            klus = found
            if not klus.open_on(self._clock.today()):
                return Refusal("klus_closed")
            interests = await uow.interests.for_klus(klus.id)
            if sum(1 for i in interests if i.status in TAKES_A_PLACE) >= klus.people_needed:
                return await self._candidates(uow, actor, klus, banner="shifts.banner.full")
            view = await self._candidates(uow, actor, klus)
            row = next((r for r in view.rows if r.person_id == person_id), None)
            if row is None:
                return Refusal("candidate_unknown")
            if row.status is not None:
                return replace(view, banner="refusal.already_done")
            if row.clash is not None:
                return replace(view, banner="shifts.banner.clash")
            if row.unavailable or row.left_out:
                return replace(view, banner="shifts.banner.not_ready")
            person = await uow.people.get(person_id)
            assert person is not None
            await uow.interests.save(
                Interest(klus.id, person_id, InterestStatus.CHOSEN),
                hours_per_week=klus.hours_per_week,
                now=self._clock.now(),
            )
            coordinator = await person_of(uow, actor)
            await self._market.notify(
                uow,
                person,
                KlusNotice("proposed", view.request.klus, name=coordinator.name, match=row.match),
                "shifts.proposed",
            )
            await settle(uow, actor, once, klus.id)
            result = await self._candidates(uow, actor, klus, banner="shifts.banner.proposed")
            await uow.commit()
            return result

    async def _coordinated(
        self, uow: UnitOfWork, actor: Actor, klus_id: int, *, lock: bool = False
    ) -> Klus | Refusal:
        """A request by shift of a pool the actor coordinates; to anyone else it does not exist."""
        klus = await uow.klussen.get(klus_id, lock=lock)
        if (
            klus is None
            or not await self._coordinators.coordinates(actor, klus)
            or klus_id not in await uow.shifts.of_klussen([klus_id])
        ):
            return Refusal("klus_not_found")
        return klus

    async def _request(
        self, uow: UnitOfWork, klus: Klus, shifts: Sequence[Shift] | None = None
    ) -> ShiftRequestView:
        if shifts is None:
            shifts = (await uow.shifts.of_klussen([klus.id])).get(klus.id, [])
        interests = await uow.interests.for_klus(klus.id)
        people = {p.aad_object_id: p.name for p in await uow.people.some([i.person_id for i in interests])}

        def names(statuses: Collection[InterestStatus]) -> tuple[str, ...]:
            return tuple(sorted(people.get(i.person_id, "") for i in interests if i.status in statuses))

        return ShiftRequestView(
            await self._market.view(uow, klus),
            tuple(shifts),
            booked=names(HOLDS_HOURS),
            proposed=names((InterestStatus.CHOSEN,)),
        )

    async def _candidates(
        self, uow: UnitOfWork, actor: Actor, klus: Klus, *, banner: str = ""
    ) -> CoordinatorView:
        """People for a request: those proposed first, then the ready people who fit best, ranked by the
        pool's matcher (someone booked on an overlapping shift, or unavailable on a shift's day, last,
        with why); then the pool's members its rules leave out, with why."""
        today, now = self._clock.today(), self._clock.now()
        matcher = self._market.matcher
        request = await self._request(uow, klus)
        interests = {i.person_id: i for i in await uow.interests.for_klus(klus.id)}
        shown = {p: i for p, i in interests.items() if i.status in (*TAKES_A_PLACE, InterestStatus.DECLINED)}
        # The manager-blind rule, as for a poster; but the pool's members are no secret to its
        # coordinator (they are on the pool's card), so it hides none of them.
        pool_members = await uow.pool_people.members(klus.pool_key)
        line = await hidden_from(uow, self._directory, actor.aad_object_id) - frozenset(pool_members)
        hidden = line | frozenset(interests)
        index = await self._market.pool.current(uow)
        suggested = {
            m.person_id: m for m in index.top_candidates(klus, today=today, hidden=hidden, limit=SHOWN)
        }
        members = [m for m in pool_members if m not in hidden and m not in suggested]
        candidates = {
            c.person_id: c for c in await self._market.candidates(uow, [*shown, *suggested, *members])
        }
        people = {p.aad_object_id: p for p in await uow.people.some(list(candidates))}
        organisations = {o.key: o.name for o in await uow.organisations.all()}
        booked = await uow.shifts.booked(list(suggested), but=klus.id)
        days = {shift.day for shift in request.shifts}

        def row(person_id: str, **found: Any) -> ProposalRow:
            person = people[person_id]
            return ProposalRow(
                person_id=person_id,
                name=person.name,
                organisation=organisations.get(person.organisation_key, ""),
                **found,
            )

        rows = [
            row(pid, match=matcher.explain(klus, candidates[pid], today=today), status=interest.status)
            for pid, interest in shown.items()
            if pid in candidates and pid in people
        ]
        fitting = []
        for pid, match in suggested.items():
            if pid not in people:
                continue
            clash = first_overlap(booked.get(pid, []), request.shifts)
            blocked = blocked_days(candidates[pid].side.unavailable, klus.start_date, klus.end_date) & days
            fitting.append(
                row(pid, match=match, clash=clash[0] if clash else None, unavailable=tuple(sorted(blocked)))
            )
        rows += sorted(fitting, key=lambda r: r.clash is not None or bool(r.unavailable))  # stable: ranked
        for pid in members:
            left_out = matcher.left_out(klus, candidates[pid]) if pid in candidates else ()
            if left_out and pid in people:
                rows.append(row(pid, match=None, left_out=left_out))
        # The coordinator saw these people: each may read so in their access log.
        seen = [(shown_row.person_id, SAW_SUGGESTION) for shown_row in rows]
        await uow.access_log.add_all(seen, actor.aad_object_id, klus.id, now=now)
        return CoordinatorView(request, tuple(rows), banner)
