"""Requests by shift, and the coordinator's work: a request (a klus) names its shifts; it goes to the
coordinators of its organisation (not to everyone); a coordinator sees the people who fit, ranked and
explained, and proposes one or more; the person says yes or no in chat (`InterestService`), and a yes
books them on the shifts, never on two that overlap."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

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
from klussenbank.domain.shifts import Shift, first_overlap, parse_shifts, peak_hours_per_week
from klussenbank.services.approval_routing import SAW_SUGGESTION
from klussenbank.services.choosing import hidden_from
from klussenbank.services.klus_views import skill_choices
from klussenbank.services.marketplace import Marketplace, person_of
from klussenbank.services.once import Repeated, first_press, settle
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, DirectoryPerson
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.roles import HR_ROLE, HrRoles, find_person
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
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShiftFormView:
    values: ShiftDraft
    skill_choices: tuple[SkillChoice, ...]
    organisation_choices: tuple[Organisation, ...]
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
    """Who runs the requests by shift of an organisation: its HR (the organisations file's `hr`, and
    the directory's HR role)."""

    def __init__(self, directory: Directory, rules: Rules) -> None:
        self._directory = directory
        self._rules = rules
        self._hr = HrRoles(directory, rules)

    async def organisations_of(self, actor: Actor) -> tuple[str, ...]:
        return await self._hr.organisations_of(actor)

    async def of(self, organisation_key: str) -> list[DirectoryPerson]:
        found = {}
        for entry in self._rules.of(organisation_key).hr:
            person = await find_person(self._directory, entry)
            if person is not None:
                found[person.aad_object_id] = person
        for person in await self._directory.people():
            if person.organisation.key == organisation_key and HR_ROLE in person.roles:
                found.setdefault(person.aad_object_id, person)
        return list(found.values())


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

    async def form(self, actor: Actor) -> ShiftFormView:
        async with self._uow() as uow:
            person = await person_of(uow, actor)
            own = await uow.organisations.get(person.organisation_key)
            values = ShiftDraft(
                organisation=person.organisation_key, place=own.name if own else "", people_needed=1
            )
            return await self._form(uow, values)

    async def _form(
        self, uow: UnitOfWork, values: ShiftDraft, errors: Sequence[FieldError] = ()
    ) -> ShiftFormView:
        vocabulary = self._market.vocabulary
        return ShiftFormView(
            values=values,
            skill_choices=skill_choices(vocabulary, (s.id for s in vocabulary.skills)),
            organisation_choices=tuple(await uow.organisations.all()),
            today=self._clock.today(),
            errors=tuple(errors),
        )

    async def post(
        self, actor: Actor, draft: ShiftDraft, *, once: str | None = None
    ) -> ShiftRequestView | ShiftFormView | Refusal | Repeated[ShiftRequestView]:
        """Post a request by shift: checked whole (nothing is stored with an error), then sent to the
        coordinators of its organisation, and to nobody else."""
        today, now = self._clock.today(), self._clock.now()
        async with self._uow() as uow:
            prior = await first_press(uow, actor, once, "shifts.post", now=now)
            if prior is not None:
                klus = await uow.klussen.get(prior.record_id) if prior.record_id else None
                if klus is None or klus.poster_id != actor.aad_object_id:
                    return Refusal("already_done")
                return Repeated(await self._request(uow, klus))
            await person_of(uow, actor)
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
                organisations={org.key for org in await uow.organisations.all()},
                poster_id=actor.aad_object_id,
            )
            errors = [
                e if e.field in FORM_FIELDS else replace(e, field="shifts") for e in errors
            ] + shift_errors
            if klus is None or errors:
                return await self._form(uow, draft, errors)
            klus = replace(klus, id=await uow.klussen.add(klus, now=now))
            await uow.shifts.add(klus.id, shifts)
            view = await self._market.view(uow, klus)
            for coordinator in await self._coordinators.of(klus.organisation_key):
                person = await uow.people.get(coordinator.aad_object_id)
                if person is not None and person.aad_object_id != actor.aad_object_id:
                    await self._market.notify(
                        uow, person, KlusNotice("shift_request", view), "shifts.request"
                    )
            await settle(uow, actor, once, klus.id)
            result = await self._request(uow, klus)
            await uow.commit()
            return result

    async def open_requests(self, actor: Actor) -> OpenRequestsView | Refusal:
        """The coordinator's requests with open places: what still needs people, at a glance."""
        organisations = await self._coordinators.organisations_of(actor)
        if not organisations:
            return Refusal("shifts_coordinators_only")
        async with self._uow() as uow:
            klussen = [
                k for k in await uow.klussen.open(self._clock.today()) if k.organisation_key in organisations
            ]
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
        """A request by shift of an organisation the actor coordinates; to anyone else it does not exist."""
        klus = await uow.klussen.get(klus_id, lock=lock)
        if (
            klus is None
            or klus_id not in await uow.shifts.of_klussen([klus_id])
            or klus.organisation_key not in await self._coordinators.organisations_of(actor)
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
        """People for a request: those proposed first, then who fits best, ranked by the pool's matcher;
        someone booked on an overlapping shift is shown last, with that shift."""
        today, now = self._clock.today(), self._clock.now()
        request = await self._request(uow, klus)
        interests = {i.person_id: i for i in await uow.interests.for_klus(klus.id)}
        shown = {p: i for p, i in interests.items() if i.status in (*TAKES_A_PLACE, InterestStatus.DECLINED)}
        hidden = await hidden_from(uow, self._directory, actor.aad_object_id) | frozenset(interests)
        pool = await self._market.pool.current(uow)
        suggested = pool.top_candidates(klus, today=today, hidden=hidden, limit=SHOWN)
        explained = {
            c.person_id: self._market.matcher.explain(klus, c, today=today)
            for c in await self._market.candidates(uow, list(shown))
        }
        ids = [*shown, *(m.person_id for m in suggested)]
        people = {p.aad_object_id: p for p in await uow.people.some(ids)}
        organisations = {o.key: o.name for o in await uow.organisations.all()}
        booked = await uow.shifts.booked([m.person_id for m in suggested], but=klus.id)
        rows = [
            ProposalRow(
                person_id=pid,
                name=people[pid].name,
                organisation=organisations.get(people[pid].organisation_key, ""),
                match=explained.get(pid),
                status=interest.status,
            )
            for pid, interest in shown.items()
            if pid in people
        ]
        fitting = []
        for match in suggested:
            person = people[match.person_id]
            clash = first_overlap(booked.get(match.person_id, []), request.shifts)
            fitting.append(
                ProposalRow(
                    person_id=match.person_id,
                    name=person.name,
                    organisation=organisations.get(person.organisation_key, ""),
                    match=match,
                    clash=clash[0] if clash else None,
                )
            )
        rows += sorted(fitting, key=lambda r: r.clash is not None)  # stable: the matcher's order stays
        for row in rows:  # the coordinator saw these people: each may read so in their access log
            await uow.access_log.add(row.person_id, actor.aad_object_id, SAW_SUGGESTION, klus.id, now=now)
        return CoordinatorView(request, tuple(rows), banner)
