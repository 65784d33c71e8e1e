"""The poster's klus: the form, posting it (and telling the people who fit it), editing, the list
of what they posted, and cancelling it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date, timedelta

from klussenbank.domain.klus import (
    DEFAULT_INTERNAL_FIRST,
    HOLDS_HOURS,
    SHOWED_INTEREST,
    InterestStatus,
    Klus,
    KlusDraft,
    KlusStatus,
    validate_klus,
)
from klussenbank.domain.people import WorkMode
from klussenbank.services.approval_routing import ApprovalRouter
from klussenbank.services.klus_views import skill_choices
from klussenbank.services.marketplace import Marketplace, may_manage, person_of
from klussenbank.services.once import Repeated, first_press, settle
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.views import KlusFormView, KlusNotice, KlusSummary, KlusView, Refusal, SkillChoice

WEEK = timedelta(days=7)


class PostingService:
    def __init__(self, uow: UnitOfWorkFactory, *, market: Marketplace, approvals: ApprovalRouter) -> None:
        self._uow = uow
        self._market = market
        self._clock = market.clock
        self._approvals = approvals

    async def form(self, actor: Actor, klus_id: int | None = None) -> KlusFormView | Refusal:
        today = self._clock.today()
        async with self._uow() as uow:
            person = await person_of(uow, actor)
            if klus_id is None:
                own = await uow.organisations.get(person.organisation_key)
                values = KlusDraft(
                    organisation=person.organisation_key,
                    hours_per_week=8,
                    start_date=today + timedelta(days=14),
                    end_date=today + timedelta(days=14 + 90),
                    work_mode=WorkMode.HYBRID,
                    place=own.name if own else "",  # partly on site: most likely at their organisation
                    people_needed=1,
                    interest_deadline=today + timedelta(days=10),
                    internal_first_until=today + DEFAULT_INTERNAL_FIRST,
                )
            else:
                klus = await uow.klussen.get(klus_id)
                refusal = _may_edit(klus, actor)
                if refusal is not None:
                    return refusal
                assert klus is not None
                values = _draft_of(klus, today)
            return KlusFormView(
                values=values,
                skill_choices=self._skill_choices(),
                organisation_choices=tuple(await uow.organisations.all()),
                today=today,
                klus_id=klus_id,
            )

    async def post(
        self,
        actor: Actor,
        draft: KlusDraft,
        klus_id: int | None = None,
        *,
        suggest: bool = True,
        once: str | None = None,
    ) -> KlusView | KlusFormView | Refusal | Repeated[KlusView]:
        """Post a new klus (and, unless not to `suggest`, tell the people who fit it), or save changes to one;
        a second press of the form with the one-time key `once` gets the klus of the first."""
        today, now = self._clock.today(), self._clock.now()
        async with self._uow() as uow:
            prior = await first_press(uow, actor, once, "klus.post", now=now)
            if prior is not None:
                return await self._posted(uow, actor, prior.record_id)
            await person_of(uow, actor)
            existing = None
            if klus_id is not None:
                existing = await uow.klussen.get(klus_id, lock=True)
                refusal = _may_edit(existing, actor)
                if refusal is not None:
                    return refusal
            organisations = await uow.organisations.all()
            klus, errors = validate_klus(
                draft,
                today=today,
                vocabulary=self._market.vocabulary,
                organisations={org.key for org in organisations},
                klus_id=klus_id or 0,
                poster_id=actor.aad_object_id,
            )
            if klus is None:
                return KlusFormView(
                    values=draft,
                    skill_choices=self._skill_choices(),
                    organisation_choices=tuple(organisations),
                    today=today,
                    klus_id=klus_id,
                    errors=tuple(errors),
                )
            if existing is not None:
                await uow.klussen.update(klus, now=now)
            else:
                klus = replace(klus, id=await uow.klussen.add(klus, now=now))
            view = await self._market.view(uow, klus)
            if existing is None and suggest:
                await self._suggest(uow, klus, view)
            await settle(uow, actor, once, klus.id)
            await uow.commit()
            return view

    async def _posted(
        self, uow: UnitOfWork, actor: Actor, klus_id: int | None
    ) -> Repeated[KlusView] | Refusal:
        """The klus an earlier press of the form posted or saved; still only for its poster."""
        klus = await uow.klussen.get(klus_id) if klus_id else None
        if klus is None or may_manage(klus, actor) is not None:
            return Refusal("already_done")
        return Repeated(await self._market.view(uow, klus))

    async def _suggest(self, uow: UnitOfWork, klus: Klus, view: KlusView) -> None:
        """Tell the people who fit a new klus best, within each person's weekly number of cards."""
        now = self._clock.now()
        settings = self._market.settings
        pool = await self._market.pool.current(uow)
        enough = await uow.suggestions.reached(now - WEEK, settings.suggestions_per_week)
        matches = [
            match
            for match in pool.top_candidates(
                klus,
                today=self._clock.today(),
                hidden=_AnyOf(enough, self._market.pool.quiet),
                limit=settings.suggestions_per_klus,
            )
            if match.score >= settings.min_suggestion_score
        ]
        people = {p.aad_object_id: p for p in await uow.people.some([m.person_id for m in matches])}
        await uow.suggestions.add(klus.id, [match.person_id for match in matches], now=now)
        await self._market.notify_all(
            uow, [(people[m.person_id], KlusNotice("new_klus", view, match=m)) for m in matches], "klus.new"
        )

    async def mine(self, actor: Actor) -> list[KlusSummary]:
        async with self._uow() as uow:
            klussen = await uow.klussen.by_poster(actor.aad_object_id)
            counts = await uow.interests.counts([k.id for k in klussen])
            summaries = []
            for klus in klussen:
                c = counts.get(klus.id, {})
                summaries.append(
                    KlusSummary(
                        klus=await self._market.view(uow, klus),
                        # Everyone who showed interest, also those not chosen in the end.
                        interested=sum(c.get(s, 0) for s in SHOWED_INTEREST),
                        chosen=c.get(InterestStatus.CHOSEN, 0),
                        # Said yes: waiting for approval, or approved.
                        confirmed=sum(c.get(s, 0) for s in HOLDS_HOURS),
                    )
                )
            return summaries

    async def cancel(
        self, actor: Actor, klus_id: int, *, once: str | None = None
    ) -> KlusView | Refusal | Repeated[KlusView]:
        """Cancel a klus; everyone who showed interest hears so, kindly."""
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "klus.cancel", now=self._clock.now()):
                return await self._posted(uow, actor, klus_id)
            klus = await uow.klussen.get(klus_id, lock=True)
            refusal = may_manage(klus, actor)
            if refusal is not None:
                return refusal
            assert klus is not None
            if klus.status is not KlusStatus.OPEN:
                return Refusal("already_done")
            await uow.klussen.set_status(klus.id, KlusStatus.CANCELLED, now=self._clock.now())
            klus = klus.with_status(KlusStatus.CANCELLED)
            await self._approvals.cancel(uow, klus)
            await self._market.close(uow, klus, "cancelled")
            view = await self._market.view(uow, klus)
            await uow.commit()
            return view

    def _skill_choices(self) -> tuple[SkillChoice, ...]:
        vocabulary = self._market.vocabulary
        return skill_choices(vocabulary, (s.id for s in vocabulary.skills))


class _AnyOf:
    """In any of these sets (without copying them into one)."""

    def __init__(self, *sets: Collection[str]) -> None:
        self._sets = sets

    def __contains__(self, item: object) -> bool:
        return any(item in found for found in self._sets)


def _may_edit(klus: Klus | None, actor: Actor) -> Refusal | None:
    refusal = may_manage(klus, actor)
    if refusal is None and klus is not None and klus.status is not KlusStatus.OPEN:
        return Refusal("klus_closed")
    return refusal


def _draft_of(klus: Klus, today: date) -> KlusDraft:
    return KlusDraft(
        title=klus.title,
        description=klus.description,
        organisation=klus.organisation_key,
        required_skills=klus.required_skills,
        nice_skills=klus.nice_skills,
        skills_other=", ".join(klus.free_skills),
        hours_per_week=klus.hours_per_week,
        start_date=max(klus.start_date, today),
        end_date=klus.end_date,
        work_mode=klus.work_mode,
        place=klus.place,
        people_needed=klus.people_needed,
        interest_deadline=max(klus.interest_deadline, today),
        visibility=klus.visibility,
        internal_first_until=max(klus.internal_first_until, today),
        learning_skills=klus.learning_skills,
        leerklus=klus.leerklus,
    )
