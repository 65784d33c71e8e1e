"""Talents colleagues can find: `talenten zoeken`, and a "date" (a short request for help) with one.

**Who is found.** Only people who made their profile findable, whose availability is active (not
paused, not withdrawn), never the searcher themself, and never someone in the searcher's own
reporting line unless they allowed it (the one manager-blind rule, `services.own_line`). The search
asks the pool index of matching for the best people (`PoolIndex`, the same path as a poster's
suggestions, never the whole pool loaded and scored), reading the search as a klus of the searcher's
(`domain.talent.search_klus`), so the ranking and its reasons are matching's; its free words also meet
the findable people's own talent text, which only a talent search reads.

**Who sees what.** A result shows what someone can do, their organisation and their own talent text,
never their name; each result shown is in that person's access log. A date request tells the talent
who asks (the requester reveals themself) and is in the talent's access log too. Only when the talent
accepts do both see each other's names and a Teams chat link; a decline tells the requester kindly,
and nobody else (not the talent's manager). A date of more than `max_free_hours` hours needs the
normal approval: once accepted, the requester gets the klus form prefilled from it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import MAX_TITLE, KlusDraft
from klussenbank.domain.matching import Match
from klussenbank.domain.people import AvailabilityStatus
from klussenbank.domain.talent import (
    MAX_DATE_HOURS,
    PAGE_SIZE,
    DateDraft,
    DateStatus,
    TalentDate,
    TalentQuery,
    read_query,
    search_klus,
    validate_date,
)
from klussenbank.services.marketplace import Marketplace, person_of
from klussenbank.services.once import Repeated, first_press, settle
from klussenbank.services.own_line import hidden_from
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, Recipient
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.views import Contact, Refusal, SkillChoice

SAW_TALENT = "talent_search"  # access log: someone saw you among the results of a talent search
ASKED_DATE = "talent_date"  # access log: someone asked you for a date
MAX_PAGES = 10  # a search shows at most this many pages (100 people)


@dataclass(frozen=True)
class TalentResult:
    """One person found, without their name: a reference for a date request, and why they fit."""

    ref: int
    organisation: str
    talent_text: str
    match: Match


@dataclass(frozen=True)
class TalentResultsView:
    text: str  # the search as typed
    skills: tuple[SkillChoice, ...]  # the skills it was read as
    terms: tuple[str, ...]  # and the words that name no skill
    results: tuple[TalentResult, ...]
    page: int  # 0 is the first
    more: bool  # a next page has people
    today: date
    max_free_hours: int


@dataclass(frozen=True)
class TalentSearchView:
    """The search card: what to type, or what was typed that found nothing to search for."""

    text: str = ""
    empty_query: bool = False


@dataclass(frozen=True)
class DateFormView:
    """A date request to a talent of a search: new, or back with errors and the values kept."""

    ref: int
    values: DateDraft
    today: date
    max_free_hours: int
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class DateView:
    """A date as one of its two sides sees it: the talent always sees who asks, the requester sees
    the talent's name only once they accepted."""

    id: int
    reader: Literal["requester", "talent"]
    text: str
    hours: int
    start_date: date | None
    end_date: date | None
    status: DateStatus
    needs_approval: bool
    requester: Contact | None  # shown to the talent
    talent: Contact | None  # shown to the requester once accepted
    requester_organisation: str = ""
    max_free_hours: int = 8


class TalentCards(Protocol):
    """A date as a card for one of its sides, in their language (cards/ implements it)."""

    def date(self, view: DateView, locale: str) -> dict[str, Any]: ...


class TalentService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        market: Marketplace,
        directory: Directory,
        cards: TalentCards,
        max_free_hours: int = 8,
    ) -> None:
        self._uow = uow
        self._market = market
        self._clock = market.clock
        self._directory = directory
        self._cards = cards
        self._max_free_hours = max_free_hours

    async def search(self, actor: Actor, text: str, page: int = 0) -> TalentResultsView | TalentSearchView:
        """One page (at most PAGE_SIZE) of the findable colleagues who fit the search best."""
        vocabulary = self._market.vocabulary
        query = read_query(text, vocabulary, actor.locale or "nl")
        if query.empty:
            return TalentSearchView(text=text, empty_query=bool(text.strip()))
        page = max(0, min(page, MAX_PAGES - 1))
        today = self._clock.today()
        async with self._uow() as uow:
            searcher = await person_of(uow, actor)
            hidden = await hidden_from(uow, self._directory, actor.aad_object_id)
            index = self._market.pool
            pool = await index.current(uow)  # (no await from here on: the index stays as it is now)
            unseen = _Unseen(index.findable, hidden)
            klus = search_klus(
                query,
                searcher_id=actor.aad_object_id,
                organisation_key=searcher.organisation_key,
                today=today,
            )
            found = pool.top_candidates(klus, today=today, hidden=unseen, limit=(page + 1) * PAGE_SIZE + 1)
            shown = found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            results = await self._results(uow, shown)
            now = self._clock.now()
            for match in shown:  # each person may read in their access log that they were seen
                await uow.access_log.add(match.person_id, actor.aad_object_id, SAW_TALENT, None, now=now)
            await uow.commit()
        return TalentResultsView(
            text=query.text,
            skills=_choices(query, self._market),
            terms=query.terms,
            results=tuple(results),
            page=page,
            more=len(found) > (page + 1) * PAGE_SIZE and page + 1 < MAX_PAGES,
            today=today,
            max_free_hours=self._max_free_hours,
        )

    async def _results(self, uow: UnitOfWork, shown: list[Match]) -> list[TalentResult]:
        ids = [m.person_id for m in shown]
        members = {m.person.aad_object_id: m for m in await uow.pool.some(ids)}
        refs = await uow.talent.refs(ids)
        names = {org.key: org.name for org in await uow.organisations.all()}
        return [
            TalentResult(
                ref=refs[match.person_id],
                organisation=names.get(member.person.organisation_key, member.person.organisation_key),
                talent_text=member.availability.talent_text,
                match=match,
            )
            for match in shown
            if (member := members.get(match.person_id)) is not None
        ]

    async def date_form(self, actor: Actor, ref: int | None) -> DateFormView | Refusal:
        """The request form for a talent of a search (the rules of the search hold for them)."""
        async with self._uow() as uow:
            talent_id = await uow.talent.person_of(ref) if ref is not None else None
            if ref is None or talent_id is None or not await self._findable_by(uow, actor, talent_id):
                return Refusal("talent_not_found")
        return DateFormView(ref, DateDraft(hours=2), self._clock.today(), self._max_free_hours)

    async def request(
        self, actor: Actor, ref: int | None, draft: DateDraft, *, once: str | None = None
    ) -> DateView | DateFormView | Refusal | Repeated[DateView]:
        """Ask a talent from a search for a date; they get a card to accept or decline."""
        today = self._clock.today()
        now = self._clock.now()
        async with self._uow() as uow:
            if prior := await first_press(uow, actor, once, "talent.date.request", now=now):
                return await self._again(uow, actor, prior.record_id)
            talent_id = await uow.talent.person_of(ref) if ref is not None else None
            if talent_id is None or not await self._findable_by(uow, actor, talent_id):
                return Refusal("talent_not_found")
            values, errors = validate_date(draft, today=today)
            if values is None:
                assert ref is not None
                return DateFormView(ref, draft, today, self._max_free_hours, tuple(errors))
            text, hours, start, end = values
            talent_date = TalentDate(0, actor.aad_object_id, talent_id, text, hours, start, end)
            date_id = await uow.talent.add(talent_date, now=now)
            await settle(uow, actor, once, date_id)
            await uow.access_log.add(talent_id, actor.aad_object_id, ASKED_DATE, None, now=now)
            stored = await uow.talent.get(date_id)
            assert stored is not None
            await self._tell(uow, stored, "talent", "talent.date.request")
            view = await self._view(uow, stored, "requester")
            await uow.commit()
            return view

    async def accept(
        self, actor: Actor, date_id: int, *, once: str | None = None
    ) -> DateView | Refusal | Repeated[DateView]:
        return await self._decide(actor, date_id, DateStatus.ACCEPTED, once)

    async def decline(
        self, actor: Actor, date_id: int, *, once: str | None = None
    ) -> DateView | Refusal | Repeated[DateView]:
        return await self._decide(actor, date_id, DateStatus.DECLINED, once)

    async def _decide(
        self, actor: Actor, date_id: int, status: DateStatus, once: str | None
    ) -> DateView | Refusal | Repeated[DateView]:
        """Only the talent decides, once; the requester hears it (kindly, when it is no)."""
        now = self._clock.now()
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "talent.date.decide", now=now):
                return await self._again(uow, actor, date_id)
            talent_date = await uow.talent.get(date_id, lock=True)
            if talent_date is None or talent_date.talent_id != actor.aad_object_id:
                return Refusal("date_not_found")
            if talent_date.status is not DateStatus.REQUESTED:
                return Refusal("already_done")
            await uow.talent.decide(date_id, status, now=now)
            decided = await uow.talent.get(date_id)
            assert decided is not None
            await self._tell(uow, decided, "requester", f"talent.date.{status.value}")
            view = await self._view(uow, decided, "talent")
            await uow.commit()
            return view

    async def show(self, actor: Actor, date_id: int) -> DateView | Refusal:
        async with self._uow() as uow:
            talent_date = await uow.talent.get(date_id)
            reader = _reader(talent_date, actor)
            if talent_date is None or reader is None:
                return Refusal("date_not_found")
            return await self._view(uow, talent_date, reader)

    async def klus_draft(self, actor: Actor, date_id: int) -> KlusDraft | Refusal:
        """An accepted date larger than a small one, as the start of a klus form for its requester."""
        async with self._uow() as uow:
            talent_date = await uow.talent.get(date_id)
        if (
            talent_date is None
            or talent_date.requester_id != actor.aad_object_id
            or talent_date.status is not DateStatus.ACCEPTED
            or not talent_date.needs_approval(self._max_free_hours)
        ):
            return Refusal("date_not_found")
        title = " ".join(talent_date.text.split())
        return KlusDraft(
            title=title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…",
            description=talent_date.text,
            hours_per_week=min(talent_date.hours, MAX_DATE_HOURS),
            start_date=talent_date.start_date,
            end_date=talent_date.end_date,
        )

    async def _findable_by(self, uow: UnitOfWork, actor: Actor, person_id: str) -> bool:
        """Whether a search by the actor may show this person (the rules of `search`, for one)."""
        if person_id == actor.aad_object_id:
            return False
        member = next(iter(await uow.pool.some([person_id])), None)
        if member is None or not member.availability.findable:
            return False
        if member.availability.status_on(self._clock.today()) is not AvailabilityStatus.ACTIVE:
            return False
        return person_id not in await hidden_from(uow, self._directory, actor.aad_object_id)

    async def _again(
        self, uow: UnitOfWork, actor: Actor, date_id: int | None
    ) -> Refusal | Repeated[DateView]:
        talent_date = await uow.talent.get(date_id) if date_id is not None else None
        reader = _reader(talent_date, actor)
        if talent_date is None or reader is None:
            return Refusal("already_done")
        return Repeated(await self._view(uow, talent_date, reader))

    async def _tell(
        self, uow: UnitOfWork, talent_date: TalentDate, reader: Literal["requester", "talent"], reason: str
    ) -> None:
        person_id = talent_date.talent_id if reader == "talent" else talent_date.requester_id
        person = await uow.people.get(person_id)
        if person is None:
            return
        view = await self._view(uow, talent_date, reader)
        await uow.outbox.enqueue(
            {"card": self._cards.date(view, person.locale)},
            [Recipient(person_aad_object_id=person_id)],
            reason=reason,
            now=self._clock.now(),
        )

    async def _contact(self, uow: UnitOfWork, person_id: str, reader_id: str) -> Contact | None:
        """How the reader reaches the person: a Teams chat only where their tenants allow it."""
        person, reader = await uow.people.get(person_id), await uow.people.get(reader_id)
        if person is None:
            return None
        chat = reader is not None and self._market.chat_allowed(reader.tenant_id, person.tenant_id)
        return Contact(person.name, person.email, person.aad_object_id, chat=chat)

    async def _view(
        self, uow: UnitOfWork, talent_date: TalentDate, reader: Literal["requester", "talent"]
    ) -> DateView:
        accepted = talent_date.status is DateStatus.ACCEPTED
        requester = await uow.people.get(talent_date.requester_id)
        organisation = await uow.organisations.get(requester.organisation_key) if requester else None
        return DateView(
            id=talent_date.id,
            reader=reader,
            text=talent_date.text,
            hours=talent_date.hours,
            start_date=talent_date.start_date,
            end_date=talent_date.end_date,
            status=talent_date.status,
            needs_approval=talent_date.needs_approval(self._max_free_hours),
            requester=await self._contact(uow, talent_date.requester_id, talent_date.talent_id)
            if reader == "talent"
            else None,
            talent=await self._contact(uow, talent_date.talent_id, talent_date.requester_id)
            if reader == "requester" and accepted
            else None,
            requester_organisation=organisation.name if organisation else "",
            max_free_hours=self._max_free_hours,
        )


class _Unseen:
    """Who a talent search leaves out: everyone not findable, and the people hidden from the searcher."""

    def __init__(self, findable: Collection[str], hidden: frozenset[str]) -> None:
        self._findable = findable
        self._hidden = hidden

    def __contains__(self, person_id: object) -> bool:
        return person_id not in self._findable or person_id in self._hidden


def _reader(talent_date: TalentDate | None, actor: Actor) -> Literal["requester", "talent"] | None:
    if talent_date is None:
        return None
    if actor.aad_object_id == talent_date.requester_id:
        return "requester"
    if actor.aad_object_id == talent_date.talent_id:
        return "talent"
    return None


def _choices(query: TalentQuery, market: Marketplace) -> tuple[SkillChoice, ...]:
    skills = (market.vocabulary.get(skill_id) for skill_id in query.skills)
    return tuple(SkillChoice(s.id, s.label_nl, s.label_en) for s in skills)
