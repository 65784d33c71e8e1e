"""The candidate's side: open klussen ranked for them, showing and withdrawing interest, saying yes
or no once chosen, and no more suggestions with one tap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from klussenbank.domain.klus import (
    HOLDS_HOURS,
    MAX_MOTIVATION,
    Interest,
    InterestStatus,
    Klus,
    KlusStatus,
)
from klussenbank.domain.people import Person, WorkMode
from klussenbank.services.approval_routing import SAW_CANDIDACY, ApprovalRouter
from klussenbank.services.contacts import contact_for
from klussenbank.services.klus_views import teams_user_ids
from klussenbank.services.marketplace import Marketplace, may_see, person_of
from klussenbank.services.once import ALREADY_DONE, first_press
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.shifts import by_shift, shift_clash
from klussenbank.services.views import KlusNotice, KlusOffer, OfferFilters, OffersView, Refusal

# Waiting for the poster: nothing to confirm or decline yet.
WAITING_FOR_CHOICE = (InterestStatus.INVITED, InterestStatus.INTERESTED)


class InterestService:
    def __init__(self, uow: UnitOfWorkFactory, *, market: Marketplace, approvals: ApprovalRouter) -> None:
        self._uow = uow
        self._market = market
        self._clock = market.clock
        self._approvals = approvals

    async def offers(self, actor: Actor, filters: OfferFilters | None = None) -> OffersView:
        """Open klussen ranked for me; with simple filters."""
        filters = filters or OfferFilters()
        today = self._clock.today()
        async with self._uow() as uow:
            person = await person_of(uow, actor)
            klussen = [
                k
                for k in await uow.klussen.open(today)
                if self._market.offered_openly(k)
                and may_see(k, person)
                and (filters.organisation is None or k.organisation_key == filters.organisation)
                and (not filters.remote or k.work_mode is not WorkMode.ON_SITE)
                and (filters.max_hours is None or k.hours_per_week <= filters.max_hours)
            ]
            offers = await self._market.offers_for(uow, actor.aad_object_id, klussen, limit=20)
            return OffersView(
                tuple(offers),
                filters,
                tuple(await uow.organisations.all()),
                has_profile=await uow.availability.get(actor.aad_object_id) is not None,
            )

    async def offer(self, actor: Actor, klus_id: int) -> KlusOffer | Refusal:
        async with self._uow() as uow:
            klus = await uow.klussen.get(klus_id)
            if klus is None or not may_see(klus, await person_of(uow, actor)):
                return Refusal("klus_not_found")
            return await self._offer(uow, klus, actor.aad_object_id)

    async def _offer(self, uow: UnitOfWork, klus: Klus, person_id: str, *, banner: str = "") -> KlusOffer:
        """The klus as it is now for this person; `banner` says why their press changed nothing."""
        today = self._clock.today()
        candidate = await self._market.candidate(uow, person_id)
        match = self._market.matcher.explain(klus, candidate, today=today) if candidate else None
        interest = await uow.interests.get(klus.id, person_id)
        approved = interest is not None and interest.status is InterestStatus.APPROVED
        work_done = approved and any(
            a.candidate_id == person_id and a.completed_at is not None
            for a in await uow.approvals.for_klus(klus.id)
        )
        return KlusOffer(
            await self._market.view(uow, klus),
            match,
            interest.status if interest else None,
            interest.motivation if interest else "",
            own=klus.poster_id == person_id,
            accepts_interest=klus.open_on(today),
            work_done=work_done,
            banner=banner,
            refresh_user_ids=await teams_user_ids(uow, person_id),
            contact=await contact_for(uow, klus, person_id, klus.poster_id, self._market.chat_allowed),
        )

    async def _left_out(self, uow: UnitOfWork, klus: Klus, person_id: str) -> bool:
        """The pool rules keep the person from this klus (not in its pool, onboarding not done, a
        required qualification missing; see `Matcher.left_out`)."""
        candidate = await self._market.candidate(uow, person_id)
        return candidate is None or bool(self._market.matcher.left_out(klus, candidate))

    async def _moved_on(
        self, uow: UnitOfWork, klus: Klus, person_id: str, done: InterestStatus, code: str = ""
    ) -> KlusOffer:
        """A candidate pressed a button on a card older than the state of things: show the klus as
        it is now, with why nothing happened on top, instead of a bare refusal that loses the klus."""
        interest = await uow.interests.get(klus.id, person_id)
        return await self._offer(
            uow, klus, person_id, banner=code or _why_not(klus, interest, done, self._clock.today())
        )

    async def show_interest(
        self, actor: Actor, klus_id: int, motivation: str, *, once: str | None = None
    ) -> KlusOffer | Refusal:
        """Whatever stops it, someone who may see the klus gets it back as it is now, with why."""
        motivation = motivation.strip()
        me = actor.aad_object_id
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "interest.add", now=self._clock.now()):
                return await self._again(uow, actor, klus_id)
            person = await person_of(uow, actor)
            klus = await uow.klussen.get(klus_id, lock=True)
            if klus is None or not may_see(klus, person):
                return Refusal("klus_not_found")
            if len(motivation) > MAX_MOTIVATION:
                return await self._offer(uow, klus, me, banner="refusal.motivation_too_long")
            if klus.poster_id == me:
                return await self._offer(uow, klus, me, banner="refusal.own_klus")
            interest = await uow.interests.get(klus.id, me)
            if not klus.open_on(self._clock.today()) or (
                interest is not None
                and interest.status not in (InterestStatus.INVITED, InterestStatus.WITHDRAWN)
            ):
                return await self._moved_on(uow, klus, me, InterestStatus.INTERESTED)
            if await uow.availability.get(me) is None:
                return await self._offer(uow, klus, me, banner="refusal.interest_needs_profile")
            if (klus.pool_key or klus.qualifications) and await self._left_out(uow, klus, me):
                return await self._offer(uow, klus, me, banner="refusal.pool_rules")
            if interest is None and await by_shift(uow, klus):  # its coordinators propose people
                return await self._offer(uow, klus, me, banner="refusal.coordinator_proposes")
            await uow.interests.save(
                Interest(klus.id, actor.aad_object_id, InterestStatus.INTERESTED, motivation),
                hours_per_week=klus.hours_per_week,
                now=self._clock.now(),
            )
            poster = await uow.people.get(klus.poster_id)
            offer = await self._offer(uow, klus, actor.aad_object_id)
            if poster is not None:
                await self._market.notify(
                    uow,
                    poster,
                    KlusNotice(
                        "interest", offer.klus, name=person.name, match=offer.match, motivation=motivation
                    ),
                    "klus.interest",
                )
                await uow.access_log.add(
                    actor.aad_object_id, poster.aad_object_id, SAW_CANDIDACY, klus.id, now=self._clock.now()
                )
            await uow.commit()
            return offer

    async def withdraw_interest(self, actor: Actor, klus_id: int) -> KlusOffer | Refusal:
        async with self._uow() as uow:
            klus = await uow.klussen.get(klus_id, lock=True)
            interest = await uow.interests.get(klus_id, actor.aad_object_id)
            if klus is None or interest is None:
                return Refusal("klus_not_found")
            if interest.status not in (InterestStatus.INTERESTED, InterestStatus.INVITED):
                return await self._moved_on(uow, klus, actor.aad_object_id, InterestStatus.WITHDRAWN)
            await self._market.move(uow, klus, interest, InterestStatus.WITHDRAWN)
            offer = await self._offer(uow, klus, actor.aad_object_id)
            await uow.commit()
            return offer

    async def confirm(
        self, actor: Actor, klus_id: int, *, share_motivation: bool = False, once: str | None = None
    ) -> KlusOffer | Refusal:
        """The chosen candidate says yes: their hours are taken, if they still have them, and
        their line manager is asked to approve (with the motivation only if they share it)."""
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "match.answer", now=self._clock.now()):
                return await self._again(uow, actor, klus_id)
            chosen = await self._chosen(uow, actor, klus_id, InterestStatus.CONFIRMED)
            if not isinstance(chosen, tuple):
                return chosen
            klus, interest = chosen
            if klus.status is not KlusStatus.OPEN:
                return await self._moved_on(uow, klus, actor.aad_object_id, InterestStatus.CONFIRMED)
            availability = await uow.availability.get(actor.aad_object_id)
            commitments = await uow.interests.commitments(actor.aad_object_id, lock=True)
            taken = sum(
                c.hours_per_week
                for c in commitments
                if c.start_date <= klus.end_date and klus.start_date <= c.end_date
            )
            if availability is None or taken + klus.hours_per_week > availability.hours_per_week:
                return await self._offer(uow, klus, actor.aad_object_id, banner="refusal.no_hours_left")
            if await shift_clash(uow, klus.id, actor.aad_object_id) is not None:
                return await self._offer(uow, klus, actor.aad_object_id, banner="shifts.refusal.overlap")
            await self._market.move(uow, klus, interest, InterestStatus.CONFIRMED)
            await self._approvals.open(
                uow, klus, await person_of(uow, actor), share_motivation=share_motivation
            )
            offer = await self._offer(uow, klus, actor.aad_object_id)
            await uow.commit()
            return offer

    async def decline(self, actor: Actor, klus_id: int, *, once: str | None = None) -> KlusOffer | Refusal:
        """The chosen candidate says no after all; the poster may choose again."""
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "match.answer", now=self._clock.now()):
                return await self._again(uow, actor, klus_id)
            chosen = await self._chosen(uow, actor, klus_id, InterestStatus.DECLINED)
            if not isinstance(chosen, tuple):
                return chosen
            klus, interest = chosen
            await self._market.move(uow, klus, interest, InterestStatus.DECLINED)
            person = await person_of(uow, actor)
            offer = await self._offer(uow, klus, actor.aad_object_id)
            if await by_shift(uow, klus):  # its coordinators proposed them, and propose someone else
                told = await self._coordinators_of(uow, klus, but=actor.aad_object_id)
                notice, reason = (
                    KlusNotice("proposal_declined", offer.klus, name=person.name),
                    "shifts.declined",
                )
            else:
                told = [p for p in [await uow.people.get(klus.poster_id)] if p is not None]
                notice, reason = KlusNotice("declined", offer.klus, name=person.name), "klus.declined"
            await self._market.notify_all(uow, [(p, notice) for p in told], reason)
            await uow.commit()
            return offer

    async def _coordinators_of(self, uow: UnitOfWork, klus: Klus, *, but: str) -> list[Person]:
        """The coordinators of the klus's pool whom the bot knows, but one."""
        pool = self._approvals.pools.pool(klus.pool_key)
        coordinators = await self._approvals.pools.coordinators(pool) if pool else []
        ids = [c.aad_object_id for c in coordinators if c.aad_object_id != but]
        return list(await uow.people.some(ids))

    async def _again(self, uow: UnitOfWork, actor: Actor, klus_id: int) -> KlusOffer | Refusal:
        """A second press of a card: the klus as it is now, saying it was already done."""
        klus = await uow.klussen.get(klus_id)
        if klus is None or not may_see(klus, await person_of(uow, actor)):
            return Refusal("klus_not_found")
        return await self._offer(uow, klus, actor.aad_object_id, banner=ALREADY_DONE)

    async def _chosen(
        self, uow: UnitOfWork, actor: Actor, klus_id: int, done: InterestStatus
    ) -> tuple[Klus, Interest] | KlusOffer | Refusal:
        """The klus and the actor's interest in it, if they were chosen and have not answered yet;
        else the klus as it is now for them (`done`: what their answer would have made of it)."""
        klus = await uow.klussen.get(klus_id, lock=True)
        interest = await uow.interests.get(klus_id, actor.aad_object_id)
        if klus is None or interest is None:
            return Refusal("klus_not_found")
        if interest.status is not InterestStatus.CHOSEN:
            return await self._moved_on(uow, klus, actor.aad_object_id, done)
        return klus, interest

    async def stop_suggestions(self, actor: Actor) -> bool:
        """One tap on a suggestion: no more of them. False when there is no profile to change."""
        async with self._uow() as uow:
            availability = await uow.availability.get(actor.aad_object_id)
            if availability is None:
                return False
            await uow.availability.save(
                actor.aad_object_id, replace(availability, suggestions=False), now=self._clock.now()
            )
            await uow.commit()
            return True


def _why_not(klus: Klus, interest: Interest | None, done: InterestStatus, today: date) -> str:
    """Why a candidate's press changed nothing, as a catalog key for the banner above the klus."""
    status = interest.status if interest else None
    if status is done:
        return "refusal.already_done"  # a second click
    if status in HOLDS_HOURS:
        return "klus.moved_on.changed"  # their own match moved on (approved, or waiting for it)
    if klus.status is KlusStatus.CANCELLED:
        return "klus.moved_on.cancelled"
    if klus.status is KlusStatus.EXPIRED or (klus.status is KlusStatus.OPEN and not klus.open_on(today)):
        return "klus.moved_on.expired"
    if klus.status is not KlusStatus.OPEN or status is InterestStatus.NOT_CHOSEN:
        return "klus.moved_on.filled"
    if done in (InterestStatus.CONFIRMED, InterestStatus.DECLINED) and status in WAITING_FOR_CHOICE:
        return "refusal.not_chosen_yet"
    return "klus.moved_on.changed"
