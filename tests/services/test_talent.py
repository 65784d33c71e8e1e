"""Talents colleagues can find, and dates, against a real database: who is found (and who never is),
the one manager-blind rule at both entry points, pages, the access log, a date accepted (names
revealed both ways) and declined (nothing revealed, nobody else told), a larger date as a klus."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.talent import DateDraft, DateStatus
from klussenbank.services.once import Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.talent import (
    ASKED_DATE,
    SAW_TALENT,
    DateFormView,
    DateView,
    TalentResultsView,
    TalentSearchView,
)
from klussenbank.services.views import CandidatesView, Refusal
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, TENANT, Market
from tests.services.test_klussen import outbox, posted, sign_up

HER_TALENT = "Ik maak graag dashboards en notuleer snel."


async def findable(signup: SignupService, *actors: Actor, **changes: object) -> None:
    await sign_up(signup, *actors, findable=True, talent_text=HER_TALENT, **changes)


async def search(market: Market, actor: Actor, text: str = "notuleren", page: int = 0) -> TalentResultsView:
    result = await market.talent.search(actor, text, page)
    assert isinstance(result, TalentResultsView), result
    return result


async def found(market: Market, actor: Actor, text: str = "notuleren") -> list[str]:
    """Whom the search shows, as the people behind the references (which name nobody)."""
    view = await search(market, actor, text)
    async with market_uow(market)() as uow:
        return [await uow.talent.person_of(r.ref) or "" for r in view.results]


def market_uow(market: Market) -> UnitOfWorkFactory:
    return market.talent._uow  # (the test reads what the references stand for)


async def seen_by(uow_factory: UnitOfWorkFactory, actor: Actor) -> list[tuple[str, str]]:
    async with uow_factory() as uow:
        return [(e.viewer_id, e.what) for e in await uow.access_log.for_subject(actor.aad_object_id)]


async def ask(market: Market, requester: Actor, talent: Actor, hours: int = 2) -> DateView:
    view = await search(market, requester)
    async with market_uow(market)() as uow:
        refs = await uow.talent.refs([talent.aad_object_id])
    assert refs[talent.aad_object_id] in [r.ref for r in view.results]
    result = await market.talent.request(
        requester, refs[talent.aad_object_id], DateDraft("Zou je me 2 uur willen helpen met notulen?", hours)
    )
    assert isinstance(result, DateView), result
    return result


async def test_a_findable_colleague_is_found_with_why_and_without_a_name(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    await findable(signup, CHANTAL)
    await sign_up(signup, DAAN)  # signed up, but not findable

    view = await search(market, ANNA, "wie kan notuleren?")

    assert [s.id for s in view.skills] == ["minute-taking"] and view.terms == ()
    [result] = view.results
    assert result.organisation == "Gemeente Ermelo" and result.talent_text == HER_TALENT
    assert [r.skills for r in result.match.reasons if r.code == "skills"] == [("minute-taking",)]
    assert "Chantal" not in repr(result) and CHANTAL.aad_object_id not in repr(result.ref)
    assert not view.more
    assert await seen_by(uow_factory, CHANTAL) == [(ANNA.aad_object_id, SAW_TALENT)]
    assert await seen_by(uow_factory, DAAN) == []


async def test_words_that_name_no_skill_are_searched_as_words_and_an_empty_search_asks_again(
    market: Market, signup: SignupService
) -> None:
    await findable(signup, CHANTAL)  # her free skills: gebarentaal, notulist, imkeren

    assert await found(market, ANNA, "wie kan imkeren?") == [CHANTAL.aad_object_id]
    assert await found(market, ANNA, "Power BI") == []  # (dashboards: not hers)
    assert await market.talent.search(ANNA, "wie kan ?") == TalentSearchView("wie kan ?", empty_query=True)


async def test_paused_withdrawn_and_the_searcher_themself_are_never_found(
    market: Market, signup: SignupService
) -> None:
    await findable(signup, ANNA, CHANTAL, EVA)
    await signup.pause(CHANTAL, TODAY + timedelta(days=30))
    await signup.withdraw(EVA)

    assert await found(market, ANNA) == []
    assert await found(market, BRAM) == [ANNA.aad_object_id]


async def test_a_profile_made_findable_later_is_found_in_the_next_search(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, CHANTAL)
    assert await found(market, ANNA) == []

    await findable(signup, CHANTAL)

    assert await found(market, ANNA) == [CHANTAL.aad_object_id]


@pytest.mark.parametrize("entry", ["talent search", "a poster's suggestions"])
async def test_a_manager_never_finds_their_own_staff_unless_they_allowed_it(
    market: Market, signup: SignupService, entry: str
) -> None:
    """The one manager-blind rule, at both of its entry points: Bram manages Chantal and Daan."""
    await findable(signup, CHANTAL, DAAN, EVA, organisations=("ermelo", "harderwijk", "zeewolde"))

    async def bram_finds() -> set[str]:
        if entry == "talent search":
            return set(await found(market, BRAM))
        klus = await posted(market, BRAM)
        view = await market.choosing.candidates(BRAM, klus.id)
        assert isinstance(view, CandidatesView)
        return {row.person_id for row in view.candidates}

    assert await bram_finds() == {EVA.aad_object_id}
    assert set(await found(market, ANNA)) == {CHANTAL.aad_object_id, DAAN.aad_object_id, EVA.aad_object_id}

    await findable(signup, DAAN, organisations=("ermelo", "harderwijk", "zeewolde"), visible_to_own_line=True)

    assert await bram_finds() == {DAAN.aad_object_id, EVA.aad_object_id}


async def test_results_come_in_pages_of_ten(market: Market, signup: SignupService) -> None:
    colleagues = [
        Actor(f"00000000-0000-0000-0000-0000000001{n:02}", TENANT, f"Collega {n}", "nl-NL") for n in range(12)
    ]
    for colleague in colleagues:
        await signup.meet(colleague, None)
    await findable(signup, *colleagues)

    first = await search(market, ANNA)
    second = await search(market, ANNA, page=1)

    assert (len(first.results), first.more, len(second.results), second.more) == (10, True, 2, False)
    assert not {r.ref for r in first.results} & {r.ref for r in second.results}


async def test_a_date_accepted_shows_both_names_and_a_chat(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    await findable(signup, CHANTAL)

    asked = await ask(market, ANNA, CHANTAL)

    assert asked.reader == "requester" and asked.talent is None and asked.status is DateStatus.REQUESTED
    assert ("talent.date.request", "Chantal Bakker") in await outbox(engine)
    assert (ANNA.aad_object_id, ASKED_DATE) in await seen_by(uow_factory, CHANTAL)
    assert await market.talent.accept(ANNA, asked.id) == Refusal("date_not_found")  # not hers to decide

    said_yes = await market.talent.accept(CHANTAL, asked.id, once="k" * 22)

    assert isinstance(said_yes, DateView) and said_yes.status is DateStatus.ACCEPTED
    assert said_yes.requester is not None and said_yes.requester.name == "Anna de Vries"
    assert ("talent.date.accepted", "Anna de Vries") in await outbox(engine)
    for_anna = await market.talent.show(ANNA, asked.id)
    assert isinstance(for_anna, DateView) and for_anna.talent is not None
    assert for_anna.talent.name == "Chantal Bakker" and not for_anna.needs_approval
    again = await market.talent.decline(CHANTAL, asked.id, once="k" * 22)  # the same card's other button
    assert isinstance(again, Repeated) and again.result.status is DateStatus.ACCEPTED
    assert await market.talent.show(DAAN, asked.id) == Refusal("date_not_found")


async def test_a_date_declined_reveals_no_name_and_tells_nobody_else(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await findable(signup, CHANTAL)
    asked = await ask(market, ANNA, CHANTAL)
    before = await outbox(engine)

    said_no = await market.talent.decline(CHANTAL, asked.id)

    assert isinstance(said_no, DateView) and said_no.status is DateStatus.DECLINED
    assert (await outbox(engine))[len(before) :] == [("talent.date.declined", "Anna de Vries")]
    for_anna = await market.talent.show(ANNA, asked.id)
    assert isinstance(for_anna, DateView) and for_anna.talent is None  # still nameless
    assert await market.talent.accept(CHANTAL, asked.id) == Refusal("already_done")


async def test_a_date_request_is_checked_and_asked_once(market: Market, signup: SignupService) -> None:
    await findable(signup, CHANTAL)
    view = await search(market, ANNA)
    ref = view.results[0].ref

    wrong = await market.talent.request(ANNA, ref, DateDraft("", 0, TODAY - timedelta(days=1)))
    assert isinstance(wrong, DateFormView)
    assert {e.field for e in wrong.errors} == {"date_text", "date_hours", "date_start"}
    assert await market.talent.request(ANNA, 999_999, DateDraft("Hulp?", 2)) == Refusal("talent_not_found")
    # A manager cannot reach their own staff with a reference from someone else's search either.
    assert await market.talent.request(BRAM, ref, DateDraft("Hulp?", 2)) == Refusal("talent_not_found")
    first = await market.talent.request(ANNA, ref, DateDraft("Hulp?", 2), once="o" * 22)
    second = await market.talent.request(ANNA, ref, DateDraft("Hulp?", 2), once="o" * 22)
    assert isinstance(first, DateView) and isinstance(second, Repeated) and second.result.id == first.id


async def test_a_larger_date_becomes_a_prefilled_klus_once_accepted(
    market: Market, signup: SignupService, clock: FixedClock
) -> None:
    await findable(signup, CHANTAL)
    asked = await ask(market, ANNA, CHANTAL, hours=12)
    assert asked.needs_approval
    assert await market.talent.klus_draft(ANNA, asked.id) == Refusal("date_not_found")  # not yet

    await market.talent.accept(CHANTAL, asked.id)

    draft = await market.talent.klus_draft(ANNA, asked.id)
    assert not isinstance(draft, Refusal)
    assert (draft.title, draft.hours_per_week) == ("Zou je me 2 uur willen helpen met notulen?", 12)
    assert await market.talent.klus_draft(CHANTAL, asked.id) == Refusal("date_not_found")


async def test_the_own_talent_text_is_searched_too_but_only_by_talent_search(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, CHANTAL, findable=True, talent_text="Ik maak graag podcasts en korte filmpjes.")
    await sign_up(signup, EVA, findable=True, talent_text="Ik speel gitaar in de personeelsband.")

    # The text is what the results show: what they find there, the search finds them by.
    assert await found(market, ANNA, "wie maakt podcasts?") == [CHANTAL.aad_object_id]
    assert await found(market, ANNA, "gitaar") == [EVA.aad_object_id]
    # The switch says "colleagues may find me in talent search": a poster's suggestions do not read it.
    klus = await posted(market, ANNA, required_skills=(), skills_other="podcasts", organisation="harderwijk")
    candidates = await market.choosing.candidates(ANNA, klus.id)
    assert isinstance(candidates, CandidatesView)
    assert CHANTAL.aad_object_id not in [r.person_id for r in candidates.candidates]
