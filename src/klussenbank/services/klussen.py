"""Use cases of the marketplace: post a klus, find klussen, show interest, choose and confirm.

Every message to someone other than the actor goes into the outbox in the same transaction as
the change that causes it; the delivery worker sends it later, never inside the actor's turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import islice

from klussenbank.domain.klus import (
    DECIDED,
    DEFAULT_INTERNAL_FIRST,
    HOLDS_HOURS,
    IN_THE_RUNNING,
    MAX_MOTIVATION,
    SHOWED_INTEREST,
    TAKES_A_PLACE,
    Interest,
    InterestStatus,
    Klus,
    KlusDraft,
    KlusStatus,
    Visibility,
    validate_klus,
)
from klussenbank.domain.matching import Candidate, Commitment, Match, Matcher
from klussenbank.domain.people import Person, WorkMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.approvals import SAW_CANDIDACY, SAW_SUGGESTION, ApprovalRouter
from klussenbank.services.klus_views import klus_view, skill_choices, teams_user_ids
from klussenbank.services.ports import (
    Actor,
    Clock,
    Directory,
    KlusHistory,
    NoticeRenderer,
    PoolMember,
    Recipient,
    UnitOfWork,
    UnitOfWorkFactory,
)
from klussenbank.services.views import (
    CandidateRow,
    CandidatesView,
    KlusFormView,
    KlusNotice,
    KlusOffer,
    KlusSummary,
    KlusView,
    OfferFilters,
    OffersView,
    Refusal,
    SkillChoice,
)

HISTORY = timedelta(days=90)  # how far back fair spread looks
# Someone who stands in a klus: in the running, or matched.
STANDING = IN_THE_RUNNING + HOLDS_HOURS
WEEK = timedelta(days=7)
# Waiting for the poster: nothing to confirm or decline yet.
WAITING_FOR_CHOICE = (InterestStatus.INVITED, InterestStatus.INTERESTED)


@dataclass(frozen=True)
class KlusSettings:
    suggestions_per_week: int = 3  # "new klus for you" cards per person per week, at most
    suggestions_per_klus: int = 25  # people told about one new klus, at most
    min_suggestion_score: float = 0.5  # how well someone must fit to be told
    candidates_shown: int = 10  # suggestions on the poster's candidates card, besides the interested
    others_in_notice: int = 3  # other klussen in a kind "not chosen" message


class KlusService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        vocabulary: SkillVocabulary,
        directory: Directory,
        renderer: NoticeRenderer,
        approvals: ApprovalRouter,
        settings: KlusSettings | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._vocabulary = vocabulary
        self._matcher = Matcher(vocabulary)
        self._directory = directory
        self._renderer = renderer
        self._approvals = approvals
        self._settings = settings or KlusSettings()

    # -- posting ----------------------------------------------------------------------------

    async def form(self, actor: Actor, klus_id: int | None = None) -> KlusFormView | Refusal:
        today = self._clock.today()
        async with self._uow() as uow:
            person = await _person(uow, actor)
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
        self, actor: Actor, draft: KlusDraft, klus_id: int | None = None, *, suggest: bool = True
    ) -> KlusView | KlusFormView | Refusal:
        """Post a new klus (and, unless not to `suggest`, tell the people who fit it), or save changes to one."""
        today, now = self._clock.today(), self._clock.now()
        async with self._uow() as uow:
            await _person(uow, actor)
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
                vocabulary=self._vocabulary,
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
                if suggest:
                    await self._suggest(uow, klus)
            view = await self._view(uow, klus)
            await uow.commit()
            return view

    async def _suggest(self, uow: UnitOfWork, klus: Klus) -> None:
        """Tell the people who fit a new klus best, within each person's weekly number of cards."""
        now = self._clock.now()
        members = await uow.pool.members()
        sent = await uow.suggestions.counts_since(now - WEEK)
        wanted = [
            m
            for m in members
            if m.availability.suggestions
            and sent.get(m.person.aad_object_id, 0) < self._settings.suggestions_per_week
        ]
        candidates = await self._candidates(uow, wanted)
        matches = [
            match
            for match in self._matcher.rank_candidates(
                klus, candidates, today=self._clock.today(), limit=self._settings.suggestions_per_klus
            )
            if match.score >= self._settings.min_suggestion_score
        ]
        people = {m.person.aad_object_id: m.person for m in wanted}
        await uow.suggestions.add(klus.id, [match.person_id for match in matches], now=now)
        view = await self._view(uow, klus)
        for match in matches:
            await self._notify(
                uow, people[match.person_id], KlusNotice("new_klus", view, match=match), "klus.new"
            )

    # -- the poster's side -----------------------------------------------------------------

    async def mine(self, actor: Actor) -> list[KlusSummary]:
        async with self._uow() as uow:
            klussen = await uow.klussen.by_poster(actor.aad_object_id)
            counts = await uow.interests.counts([k.id for k in klussen])
            summaries = []
            for klus in klussen:
                c = counts.get(klus.id, {})
                summaries.append(
                    KlusSummary(
                        klus=await self._view(uow, klus),
                        # Everyone who showed interest, also those not chosen in the end.
                        interested=sum(c.get(s, 0) for s in SHOWED_INTEREST),
                        chosen=c.get(InterestStatus.CHOSEN, 0),
                        # Said yes: waiting for approval, or approved.
                        confirmed=sum(c.get(s, 0) for s in HOLDS_HOURS),
                    )
                )
            return summaries

    async def candidates(self, actor: Actor, klus_id: int) -> CandidatesView | Refusal:
        async with self._uow() as uow:
            klus = await uow.klussen.get(klus_id)
            refusal = _may_manage(klus, actor)
            if refusal is not None:
                return refusal
            assert klus is not None
            view = await self._candidates_view(uow, klus)
            await uow.commit()  # the access log
            return view

    async def _candidates_view(self, uow: UnitOfWork, klus: Klus) -> CandidatesView:
        today = self._clock.today()
        interests = {i.person_id: i for i in await uow.interests.for_klus(klus.id)}
        members = await uow.pool.members()
        by_id = {m.person.aad_object_id: m for m in members}
        pool = await self._candidates(uow, members)
        explained = {
            c.person_id: self._matcher.explain(klus, c, today=today) for c in pool if c.person_id in interests
        }
        # A poster never sees the people in their own reporting line among suggestions, unless
        # they allowed it; someone who showed interest themselves chose to be seen.
        line = await self._directory.reports(klus.poster_id)
        hidden = frozenset(
            p for p in line if not (p in by_id and by_id[p].availability.visible_to_own_line)
        ) | frozenset(interests)
        suggested = self._matcher.rank_candidates(
            klus, pool, today=today, hidden=hidden, limit=self._settings.candidates_shown
        )
        rows: list[CandidateRow] = []
        for person_id, interest in interests.items():
            if interest.status is InterestStatus.WITHDRAWN:
                continue
            person = await uow.people.get(person_id)
            if person is None:
                continue
            rows.append(await self._row(uow, person, interest, explained.get(person_id)))
        rows.sort(key=lambda row: -(row.match.score if row.match else 0.0))
        for match in suggested:
            rows.append(await self._row(uow, by_id[match.person_id].person, None, match))
        now = self._clock.now()
        for row in rows:  # the poster saw these people: each may read so in their access log
            what = SAW_SUGGESTION if row.interest in (None, InterestStatus.INVITED) else SAW_CANDIDACY
            await uow.access_log.add(row.person_id, klus.poster_id, what, klus.id, now=now)
        chosen = sum(1 for i in interests.values() if i.status in TAKES_A_PLACE)
        return CandidatesView(klus=await self._view(uow, klus), candidates=tuple(rows), chosen=chosen)

    async def _row(
        self, uow: UnitOfWork, person: Person, interest: Interest | None, match: Match | None
    ) -> CandidateRow:
        organisation = await uow.organisations.get(person.organisation_key)
        availability = await uow.availability.get(person.aad_object_id)
        return CandidateRow(
            person_id=person.aad_object_id,
            name=person.name,
            organisation=organisation.name if organisation else person.organisation_key,
            interest=interest.status if interest else None,
            motivation=interest.motivation if interest else "",
            match=match,
            intro=availability.intro if availability else "",
        )

    async def invite(self, actor: Actor, klus_id: int, person_id: str) -> CandidatesView | Refusal:
        """Ask a suggested person to react: they get an invitation card."""
        async with self._uow() as uow:
            klus = await uow.klussen.get(klus_id, lock=True)
            refusal = _may_manage(klus, actor) or _still_open(klus, self._clock.today())
            if refusal is not None:
                return refusal
            assert klus is not None
            view = await self._candidates_view(uow, klus)
            row = next((r for r in view.candidates if r.person_id == person_id), None)
            if row is None:
                return Refusal("candidate_unknown")
            if row.interest is not None:
                return Refusal("already_done")
            person = await uow.people.get(person_id)
            assert person is not None
            await uow.interests.save(
                Interest(klus.id, person_id, InterestStatus.INVITED),
                hours_per_week=klus.hours_per_week,
                now=self._clock.now(),
            )
            await self._notify(uow, person, KlusNotice("invited", view.klus, match=row.match), "klus.invite")
            result = await self._candidates_view(uow, klus)
            await uow.commit()
            return result

    async def choose(self, actor: Actor, klus_id: int, person_id: str) -> CandidatesView | Refusal:
        """The poster picks someone who showed interest; they are asked to confirm."""
        async with self._uow() as uow:
            klus = await uow.klussen.get(klus_id, lock=True)
            refusal = _may_manage(klus, actor) or _still_open(klus, None)
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
            await self._move(uow, klus, interest, InterestStatus.CHOSEN)
            view = await self._view(uow, klus)
            await self._notify(uow, person, KlusNotice("chosen", view), "klus.chosen")
            result = await self._candidates_view(uow, klus)
            await uow.commit()
            return result

    async def cancel(self, actor: Actor, klus_id: int) -> KlusView | Refusal:
        """Cancel a klus; everyone who showed interest hears so, kindly."""
        async with self._uow() as uow:
            klus = await uow.klussen.get(klus_id, lock=True)
            refusal = _may_manage(klus, actor)
            if refusal is not None:
                return refusal
            assert klus is not None
            if klus.status is not KlusStatus.OPEN:
                return Refusal("already_done")
            await uow.klussen.set_status(klus.id, KlusStatus.CANCELLED, now=self._clock.now())
            klus = klus.with_status(KlusStatus.CANCELLED)
            await self._approvals.cancel(uow, klus)
            await self._close(uow, klus, "cancelled")
            view = await self._view(uow, klus)
            await uow.commit()
            return view

    async def expire_overdue(self) -> int:
        """Close open klussen whose deadline passed; tell each poster what they can do next.

        A klus with a match still waiting for approval stays open until the approval ends.
        """
        today = self._clock.today()
        closed = 0
        async with self._uow() as uow:
            for overdue in await uow.klussen.overdue(today):
                klus = await uow.klussen.get(overdue.id, lock=True)  # another process may be at it too
                if klus is None or klus.status is not KlusStatus.OPEN:
                    continue
                if (await self.settle(uow, klus)).status is not KlusStatus.OPEN:
                    closed += 1
            await uow.commit()
        return closed

    async def settle(self, uow: UnitOfWork, klus: Klus) -> Klus:
        """Fill the klus when its places are approved; after the deadline, with nobody waiting for
        approval any more, fill it with whoever was approved or let it expire."""
        if klus.status is not KlusStatus.OPEN:
            return klus
        statuses = [i.status for i in await uow.interests.for_klus(klus.id)]
        approved = statuses.count(InterestStatus.APPROVED)
        waiting = statuses.count(InterestStatus.CONFIRMED)
        over = not klus.open_on(self._clock.today())
        if approved >= klus.people_needed or (over and approved and not waiting):
            status, kind = KlusStatus.FILLED, "not_chosen"
        elif over and not waiting:
            status, kind = KlusStatus.EXPIRED, "closed"
        else:
            return klus
        await uow.klussen.set_status(klus.id, status, now=self._clock.now())
        klus = klus.with_status(status)
        await self._close(uow, klus, kind)
        poster = await uow.people.get(klus.poster_id)
        if status is KlusStatus.EXPIRED and poster is not None:
            await self._notify(
                uow, poster, KlusNotice("expired", await self._view(uow, klus)), "klus.expired"
            )
        return klus

    # -- the candidate's side ---------------------------------------------------------------

    async def offers(self, actor: Actor, filters: OfferFilters | None = None) -> OffersView:
        """Open klussen ranked for me; with simple filters."""
        filters = filters or OfferFilters()
        today = self._clock.today()
        async with self._uow() as uow:
            person = await _person(uow, actor)
            klussen = [
                k
                for k in await uow.klussen.open(today)
                if may_see(k, person)
                and (filters.organisation is None or k.organisation_key == filters.organisation)
                and (not filters.remote or k.work_mode is not WorkMode.ON_SITE)
                and (filters.max_hours is None or k.hours_per_week <= filters.max_hours)
            ]
            offers = await self.offers_for(uow, actor.aad_object_id, klussen, limit=20)
            return OffersView(tuple(offers), filters, tuple(await uow.organisations.all()))

    async def offers_for(
        self, uow: UnitOfWork, person_id: str, klussen: list[Klus], *, limit: int
    ) -> list[KlusOffer]:
        """These klussen ranked for the person, best fit first (as they come without a profile)."""
        today = self._clock.today()
        candidate = await self._candidate(uow, person_id)
        mine = {i.klus_id: i for i in await uow.interests.for_person(person_id)}
        if candidate is None:
            # No profile to rank by: the open klussen as they come, without reasons.
            others = (k for k in klussen if k.poster_id != person_id)
            ranked: list[tuple[Klus, Match | None]] = [(k, None) for k in islice(others, limit)]
        else:
            by_id = {k.id: k for k in klussen}
            ranked = [
                (by_id[m.klus_id], m)
                for m in self._matcher.rank_klussen(candidate, klussen, today=today, limit=limit)
            ]
        return [
            KlusOffer(
                await self._view(uow, k),
                match,
                mine[k.id].status if k.id in mine else None,
                mine[k.id].motivation if k.id in mine else "",
            )
            for k, match in ranked
        ]

    async def offer(self, actor: Actor, klus_id: int) -> KlusOffer | Refusal:
        async with self._uow() as uow:
            klus = await uow.klussen.get(klus_id)
            if klus is None or not may_see(klus, await _person(uow, actor)):
                return Refusal("klus_not_found")
            return await self._offer(uow, klus, actor.aad_object_id)

    async def _offer(self, uow: UnitOfWork, klus: Klus, person_id: str, *, banner: str = "") -> KlusOffer:
        """The klus as it is now for this person; `banner` says why their press changed nothing."""
        today = self._clock.today()
        candidate = await self._candidate(uow, person_id)
        match = self._matcher.explain(klus, candidate, today=today) if candidate else None
        interest = await uow.interests.get(klus.id, person_id)
        approved = interest is not None and interest.status is InterestStatus.APPROVED
        work_done = approved and any(
            a.candidate_id == person_id and a.completed_at is not None
            for a in await uow.approvals.for_klus(klus.id)
        )
        return KlusOffer(
            await self._view(uow, klus),
            match,
            interest.status if interest else None,
            interest.motivation if interest else "",
            own=klus.poster_id == person_id,
            accepts_interest=klus.open_on(today),
            work_done=work_done,
            banner=banner,
            refresh_user_ids=await teams_user_ids(uow, person_id),
        )

    async def _moved_on(
        self, uow: UnitOfWork, klus: Klus, person_id: str, done: InterestStatus, code: str = ""
    ) -> KlusOffer:
        """A candidate pressed a button on a card older than the state of things: show the klus as
        it is now, with why nothing happened on top, instead of a bare refusal that loses the klus."""
        interest = await uow.interests.get(klus.id, person_id)
        return await self._offer(
            uow, klus, person_id, banner=code or _why_not(klus, interest, done, self._clock.today())
        )

    async def show_interest(self, actor: Actor, klus_id: int, motivation: str) -> KlusOffer | Refusal:
        """Whatever stops it, someone who may see the klus gets it back as it is now, with why."""
        motivation = motivation.strip()
        me = actor.aad_object_id
        async with self._uow() as uow:
            person = await _person(uow, actor)
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
            await uow.interests.save(
                Interest(klus.id, actor.aad_object_id, InterestStatus.INTERESTED, motivation),
                hours_per_week=klus.hours_per_week,
                now=self._clock.now(),
            )
            poster = await uow.people.get(klus.poster_id)
            offer = await self._offer(uow, klus, actor.aad_object_id)
            if poster is not None:
                await self._notify(
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
            await self._move(uow, klus, interest, InterestStatus.WITHDRAWN)
            offer = await self._offer(uow, klus, actor.aad_object_id)
            await uow.commit()
            return offer

    async def confirm(
        self, actor: Actor, klus_id: int, *, share_motivation: bool = False
    ) -> KlusOffer | Refusal:
        """The chosen candidate says yes: their hours are taken, if they still have them, and
        their line manager is asked to approve (with the motivation only if they share it)."""
        async with self._uow() as uow:
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
            await self._move(uow, klus, interest, InterestStatus.CONFIRMED)
            await self._approvals.open(
                uow, klus, await _person(uow, actor), share_motivation=share_motivation
            )
            offer = await self._offer(uow, klus, actor.aad_object_id)
            await uow.commit()
            return offer

    async def decline(self, actor: Actor, klus_id: int) -> KlusOffer | Refusal:
        """The chosen candidate says no after all; the poster may choose again."""
        async with self._uow() as uow:
            chosen = await self._chosen(uow, actor, klus_id, InterestStatus.DECLINED)
            if not isinstance(chosen, tuple):
                return chosen
            klus, interest = chosen
            await self._move(uow, klus, interest, InterestStatus.DECLINED)
            person = await _person(uow, actor)
            poster = await uow.people.get(klus.poster_id)
            offer = await self._offer(uow, klus, actor.aad_object_id)
            if poster is not None:
                await self._notify(
                    uow, poster, KlusNotice("declined", offer.klus, name=person.name), "klus.declined"
                )
            await uow.commit()
            return offer

    async def leave_everything(self, actor: Actor) -> int:
        """Before someone's data is erased: they step out of every klus they are in (the posters
        hear it kindly, without their name) and their own open klussen are cancelled."""
        left = 0
        async with self._uow() as uow:
            standing = [
                i for i in await uow.interests.for_person(actor.aad_object_id) if i.status in STANDING
            ]
            posted = [k.id for k in await uow.klussen.by_poster(actor.aad_object_id)]
        for interest in standing:
            async with self._uow() as uow:
                klus = await uow.klussen.get(interest.klus_id, lock=True)
                current = await uow.interests.get(interest.klus_id, actor.aad_object_id)
                if klus is None or current is None or current.status not in STANDING:
                    continue
                await self._move(uow, klus, current, InterestStatus.WITHDRAWN)
                await self._approvals.cancel(uow, klus, actor.aad_object_id)
                if klus.status is KlusStatus.FILLED and self._clock.today() <= klus.interest_deadline:
                    await uow.klussen.set_status(klus.id, KlusStatus.OPEN, now=self._clock.now())
                    klus = klus.with_status(KlusStatus.OPEN)
                poster = await uow.people.get(klus.poster_id)
                if poster is not None and current.status is not InterestStatus.INVITED:
                    await self._notify(
                        uow, poster, KlusNotice("left", await self._view(uow, klus)), "klus.left"
                    )
                await uow.commit()
                left += 1
        for klus_id in posted:
            if not isinstance(await self.cancel(actor, klus_id), Refusal):
                left += 1
        return left

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

    # -- helpers ----------------------------------------------------------------------------

    async def _close(self, uow: UnitOfWork, klus: Klus, kind: str) -> None:
        """Everyone still in the running is not chosen: tell them kindly, with klussen that fit them."""
        view = await self._view(uow, klus)
        open_klussen = [k for k in await uow.klussen.open(self._clock.today()) if k.id != klus.id]
        # A cancelled klus also ends the matches made for it.
        ending = IN_THE_RUNNING + (HOLDS_HOURS if kind == "cancelled" else ())
        for interest in await uow.interests.for_klus(klus.id):
            if interest.status not in ending:
                continue
            await self._move(uow, klus, interest, InterestStatus.NOT_CHOSEN)
            person = await uow.people.get(interest.person_id)
            if person is None:
                continue
            others = await self.offers_for(
                uow, person.aad_object_id, open_klussen, limit=self._settings.others_in_notice
            )
            await self._notify(uow, person, KlusNotice(kind, view, others=tuple(others)), f"klus.{kind}")

    async def _move(self, uow: UnitOfWork, klus: Klus, interest: Interest, status: InterestStatus) -> None:
        await uow.interests.save(
            replace(interest, status=status), hours_per_week=klus.hours_per_week, now=self._clock.now()
        )

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

    async def _notify(self, uow: UnitOfWork, person: Person, notice: KlusNotice, reason: str) -> None:
        notice = replace(notice, refresh_user_ids=await teams_user_ids(uow, person.aad_object_id))
        content = {"card": self._renderer.render(notice, person.locale)}
        await uow.outbox.enqueue(
            content,
            [Recipient(person_aad_object_id=person.aad_object_id)],
            reason=reason,
            now=self._clock.now(),
        )

    async def _candidates(self, uow: UnitOfWork, members: Iterable[PoolMember]) -> list[Candidate]:
        """The whole pool as the matcher sees it: one query for everyone's history and hours."""
        history = await uow.interests.history(self._clock.now() - HISTORY)
        commitments = await uow.interests.all_commitments()
        return [_candidate_of(m, commitments.get(m.person.aad_object_id, ()), history) for m in members]

    async def _candidate(self, uow: UnitOfWork, person_id: str) -> Candidate | None:
        """One person as the matcher sees them, reading only their own history and hours."""
        person = await uow.people.get(person_id)
        availability = await uow.availability.get(person_id)
        if person is None or availability is None:
            return None
        history = await uow.interests.history(self._clock.now() - HISTORY, person_id)
        commitments = await uow.interests.commitments(person_id)
        return _candidate_of(PoolMember(person, availability), commitments, history)

    async def _view(self, uow: UnitOfWork, klus: Klus) -> KlusView:
        return await klus_view(uow, klus, self._vocabulary)

    def _skill_choices(self) -> tuple[SkillChoice, ...]:
        return skill_choices(self._vocabulary, (s.id for s in self._vocabulary.skills))


async def _person(uow: UnitOfWork, actor: Actor) -> Person:
    person = await uow.people.get(actor.aad_object_id)
    if person is None:
        raise LookupError(f"unknown person {actor.aad_object_id}")  # every turn meets the actor first
    return person


def _candidate_of(
    member: PoolMember, commitments: Iterable[Commitment], history: Mapping[str, KlusHistory]
) -> Candidate:
    person_id = member.person.aad_object_id
    past = history.get(person_id, KlusHistory())
    return Candidate(
        person_id=person_id,
        organisation_key=member.person.organisation_key,
        availability=member.availability,
        commitments=tuple(commitments),
        recent_matches=past.recent_matches,
        times_passed_over=past.times_passed_over,
    )


def _may_manage(klus: Klus | None, actor: Actor) -> Refusal | None:
    """Only the poster manages a klus; to anyone else it does not exist."""
    if klus is None or klus.poster_id != actor.aad_object_id:
        return Refusal("klus_not_found")
    return None


def _may_edit(klus: Klus | None, actor: Actor) -> Refusal | None:
    refusal = _may_manage(klus, actor)
    if refusal is None and klus is not None and klus.status is not KlusStatus.OPEN:
        return Refusal("klus_closed")
    return refusal


def may_see(klus: Klus, person: Person) -> bool:
    """The poster, and whoever the klus's visibility includes."""
    if klus.poster_id == person.aad_object_id:
        return True
    return klus.visibility is Visibility.POOL or klus.organisation_key == person.organisation_key


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


def _still_open(klus: Klus | None, today: date | None) -> Refusal | None:
    if klus is None:
        return Refusal("klus_not_found")
    if klus.status is not KlusStatus.OPEN or (today is not None and not klus.open_on(today)):
        return Refusal("klus_closed")
    return None


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
    )
