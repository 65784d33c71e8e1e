"""The poster chooses: the candidates of their klus (who showed interest, and suggestions), inviting
a suggested person to react, and choosing someone who showed interest."""

from __future__ import annotations

from datetime import date

from klussenbank.domain.klus import DECIDED, TAKES_A_PLACE, Interest, InterestStatus, Klus, KlusStatus
from klussenbank.domain.matching import Match
from klussenbank.domain.people import Person
from klussenbank.services.approval_routing import SAW_CANDIDACY, SAW_SUGGESTION
from klussenbank.services.contacts import contact_for
from klussenbank.services.marketplace import Marketplace, may_manage
from klussenbank.services.once import Repeated, first_press
from klussenbank.services.own_line import hidden_from
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.shifts import by_shift
from klussenbank.services.views import CandidateRow, CandidatesView, KlusNotice, Refusal


class ChoosingService:
    def __init__(self, uow: UnitOfWorkFactory, *, market: Marketplace, directory: Directory) -> None:
        self._uow = uow
        self._market = market
        self._clock = market.clock
        self._directory = directory

    async def candidates(self, actor: Actor, klus_id: int) -> CandidatesView | Refusal:
        async with self._uow() as uow:
            return await self._managed(uow, actor, klus_id)

    async def _managed(self, uow: UnitOfWork, actor: Actor, klus_id: int) -> CandidatesView | Refusal:
        """The candidates of a klus the actor manages, as they are now (their reading is logged)."""
        klus = await uow.klussen.get(klus_id)
        refusal = await _may_choose(uow, klus, actor)
        if refusal is not None:
            return refusal
        assert klus is not None
        view = await self._candidates_view(uow, klus)
        await uow.commit()  # the access log
        return view

    async def _candidates_view(self, uow: UnitOfWork, klus: Klus) -> CandidatesView:
        today = self._clock.today()
        matcher = self._market.matcher
        interests = {i.person_id: i for i in await uow.interests.for_klus(klus.id)}
        explained = {
            c.person_id: matcher.explain(klus, c, today=today)
            for c in await self._market.candidates(uow, list(interests))
        }
        # Someone who showed interest themselves chose to be seen.
        hidden = await hidden_from(uow, self._directory, klus.poster_id) | frozenset(interests)
        pool = await self._market.pool.current(uow)
        suggested = pool.top_candidates(
            klus, today=today, hidden=hidden, limit=self._market.settings.candidates_shown
        )
        # The people on the card, their organisations and intros: three reads for all the rows.
        showing = [p for p, i in interests.items() if i.status is not InterestStatus.WITHDRAWN]
        people = {
            p.aad_object_id: p for p in await uow.people.some([*showing, *(m.person_id for m in suggested)])
        }
        organisations = {o.key: o.name for o in await uow.organisations.all()}
        intros = await uow.availability.intros(list(people))

        async def row(person: Person, interest: Interest | None, match: Match | None) -> CandidateRow:
            return CandidateRow(
                person_id=person.aad_object_id,
                name=person.name,
                organisation=organisations.get(person.organisation_key, person.organisation_key),
                interest=interest.status if interest else None,
                motivation=interest.motivation if interest else "",
                match=match,
                intro=intros.get(person.aad_object_id, ""),
                contact=await contact_for(
                    uow, klus, klus.poster_id, person.aad_object_id, self._market.chat_allowed
                )
                if interest
                else None,
            )

        rows = [
            await row(people[person_id], interests[person_id], explained.get(person_id))
            for person_id in showing
            if person_id in people
        ]
        rows.sort(key=lambda row: -(row.match.score if row.match else 0.0))
        rows += [await row(people[match.person_id], None, match) for match in suggested]
        # The poster saw these people: each may read so in their access log.
        await uow.access_log.add_all(
            [
                (
                    r.person_id,
                    SAW_SUGGESTION if r.interest in (None, InterestStatus.INVITED) else SAW_CANDIDACY,
                )
                for r in rows
            ],
            klus.poster_id,
            klus.id,
            now=self._clock.now(),
        )
        chosen = sum(1 for i in interests.values() if i.status in TAKES_A_PLACE)
        return CandidatesView(klus=await self._market.view(uow, klus), candidates=tuple(rows), chosen=chosen)

    async def invite(
        self, actor: Actor, klus_id: int, person_id: str, *, once: str | None = None
    ) -> CandidatesView | Refusal | Repeated[CandidatesView]:
        """Ask a suggested person to react: they get an invitation card."""
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "candidate.invite", now=self._clock.now()):
                return await self._again(uow, actor, klus_id)
            klus = await uow.klussen.get(klus_id, lock=True)
            refusal = await _may_choose(uow, klus, actor) or _still_open(klus, self._clock.today())
            if refusal is not None:
                return refusal
            assert klus is not None
            view = await self._candidates_view(uow, klus)
            row = next((r for r in view.candidates if r.person_id == person_id), None)
            if row is None:
                return Refusal("candidate_unknown")
            if row.interest is not None:
                return Refusal("already_done")
            if view.chosen >= klus.people_needed:
                return Refusal("choose_full")
            person = await uow.people.get(person_id)
            assert person is not None
            await uow.interests.save(
                Interest(klus.id, person_id, InterestStatus.INVITED),
                hours_per_week=klus.hours_per_week,
                now=self._clock.now(),
            )
            await self._market.notify(
                uow, person, KlusNotice("invited", view.klus, match=row.match), "klus.invite"
            )
            result = await self._candidates_view(uow, klus)
            await uow.commit()
            return result

    async def choose(
        self, actor: Actor, klus_id: int, person_id: str, *, once: str | None = None
    ) -> CandidatesView | Refusal | Repeated[CandidatesView]:
        """The poster picks someone who showed interest; they are asked to confirm."""
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "candidate.choose", now=self._clock.now()):
                return await self._again(uow, actor, klus_id)
            klus = await uow.klussen.get(klus_id, lock=True)
            refusal = await _may_choose(uow, klus, actor) or _still_open(klus, None)
            if refusal is not None:
                return refusal
            assert klus is not None
            interest = await uow.interests.get(klus.id, person_id)
            if interest is None or interest.status is not InterestStatus.INTERESTED:
                return Refusal(
                    "already_done" if interest and interest.status in DECIDED else "choose_not_interested"
                )
            interests = await uow.interests.for_klus(klus.id)
            taken = sum(1 for i in interests if i.status in TAKES_A_PLACE)
            if taken >= klus.people_needed:
                return Refusal("choose_full")
            person = await uow.people.get(person_id)
            assert person is not None
            await self._market.move(uow, klus, interest, InterestStatus.CHOSEN)
            view = await self._market.view(uow, klus)
            contact = await contact_for(uow, klus, person_id, klus.poster_id, self._market.chat_allowed)
            await self._market.notify(uow, person, KlusNotice("chosen", view, contact=contact), "klus.chosen")
            result = await self._candidates_view(uow, klus)
            await uow.commit()
            return result

    async def _again(self, uow: UnitOfWork, actor: Actor, klus_id: int) -> Refusal | Repeated[CandidatesView]:
        """A second press of a candidate's button: the candidates as they are now."""
        view = await self._managed(uow, actor, klus_id)
        return view if isinstance(view, Refusal) else Repeated(view)


async def _may_choose(uow: UnitOfWork, klus: Klus | None, actor: Actor) -> Refusal | None:
    """The poster chooses, but not for a request by shift: its pool's coordinators give that out."""
    refusal = may_manage(klus, actor)
    if refusal is None and klus is not None and await by_shift(uow, klus):
        return Refusal("shifts_coordinators_only")
    return refusal


def _still_open(klus: Klus | None, today: date | None) -> Refusal | None:
    if klus is None:
        return Refusal("klus_not_found")
    if klus.status is not KlusStatus.OPEN or (today is not None and not klus.open_on(today)):
        return Refusal("klus_closed")
    return None
