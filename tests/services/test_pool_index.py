"""The product's matching path (the pool index in each process, kept current by the change log)
against the plain matcher over the whole pool, and freshness across instances and processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Collection
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klussenbank.domain.klus import Klus
from klussenbank.domain.matching import Match
from klussenbank.domain.people import Availability, AvailabilityStatus, Person, WorkMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.pool_index import candidates_of, history_since
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import CandidatesView, KlusView
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import BRAM, EVA, TENANT, Market, marketplace
from tests.services.test_klussen import posted

SKILLS = ("minute-taking", "data-entry", "report-writing", "diary-management", "mowing", "budgeting")
FREE = ("gebarentaal", "notulen maken", "Arabisch tolken", "begrotingen opstellen")
ORGANISATIONS = ("harderwijk", "ermelo", "zeewolde")
DAY = timedelta(days=1)


@st.composite
def profiles(draw: st.DrawFn) -> tuple[str, Availability]:
    start = TODAY + draw(st.integers(-30, 40)) * DAY
    status = draw(st.sampled_from([AvailabilityStatus.ACTIVE] * 4 + list(AvailabilityStatus)))
    return draw(st.sampled_from(ORGANISATIONS)), Availability(
        skills=tuple(draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3, unique=True))),
        free_skills=tuple(draw(st.lists(st.sampled_from(FREE), max_size=1))),
        hours_per_week=draw(st.sampled_from([4, 8, 16, 24])),
        start_date=start,
        end_date=draw(st.one_of(st.none(), st.integers(10, 120).map(lambda n: start + n * DAY))),
        weekdays=("mon",),
        organisations=tuple(draw(st.lists(st.sampled_from(ORGANISATIONS), min_size=1, unique=True))),
        work_mode=draw(st.sampled_from(WorkMode)),
        intro="",
        status=status,
        paused_until=TODAY + draw(st.integers(-5, 5)) * DAY if status is AvailabilityStatus.PAUSED else None,
        suggestions=draw(st.booleans()),
    )


async def add_people(uow_factory: UnitOfWorkFactory, people: list[tuple[str, Availability]]) -> None:
    async with uow_factory() as uow:
        for organisation, availability in people:
            aad = str(uuid.uuid4())
            person = Person(aad, TENANT, f"Mens {aad[:6]}", f"{aad[:6]}@example.org", organisation, "nl-NL")
            await uow.people.save(person, now=FixedClock().now())
            await uow.availability.save(aad, availability, now=FixedClock().now())
        await uow.commit()


async def plain(
    market: Market, uow_factory: UnitOfWorkFactory, klus: Klus, hidden: Collection[str], limit: int
) -> list[Match]:
    """The plain matcher over every member, loaded from the database."""
    async with uow_factory() as uow:
        members, _ = await uow.pool.page(0, 10**6)
        everyone = await candidates_of(uow, members, history_since(market.shared.clock))
    return market.shared.matcher.rank_candidates(
        klus, everyone, today=TODAY, hidden=frozenset(hidden), limit=limit
    )


async def klus_of(uow_factory: UnitOfWorkFactory, klus_id: int) -> Klus:
    async with uow_factory() as uow:
        klus = await uow.klussen.get(klus_id)
    assert klus is not None
    return klus


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(profiles(), max_size=12),
    required=st.lists(st.sampled_from(SKILLS), min_size=1, max_size=2, unique=True),
    mode=st.sampled_from(WorkMode),
    hours=st.sampled_from([4, 8, 16]),
)
async def test_posting_and_the_candidates_card_rank_as_the_plain_matcher(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    people: list[tuple[str, Availability]],
    required: list[str],
    mode: WorkMode,
    hours: int,
) -> None:
    """Each example adds people to the same pool: the index built in an earlier example catches up."""
    await add_people(uow_factory, people)
    settings_ = market.shared.settings
    async with uow_factory() as uow:
        members, _ = await uow.pool.page(0, 10**6)
        enough = await uow.suggestions.reached(FixedClock().now() - 7 * DAY, settings_.suggestions_per_week)
    quiet = {m.person.aad_object_id for m in members if not m.availability.suggestions}
    view = await posted(
        market,
        BRAM,
        required_skills=tuple(required),
        nice_skills=(),
        work_mode=mode,
        hours_per_week=hours,
        place="" if mode is WorkMode.REMOTE else "Ermelo",
    )
    klus = await klus_of(uow_factory, view.id)
    expected = [
        m
        for m in await plain(market, uow_factory, klus, quiet | enough, settings_.suggestions_per_klus)
        if m.score >= settings_.min_suggestion_score
    ]
    async with uow_factory() as uow:
        assert await uow.suggestions.for_klus(klus.id) == {m.person_id for m in expected}

    card = await market.choosing.candidates(BRAM, klus.id)
    assert isinstance(card, CandidatesView)
    line = await FileDirectory.load("demo").reports(BRAM.aad_object_id)
    async with uow_factory() as uow:
        allowed = {
            m.person.aad_object_id for m in await uow.pool.some(line) if m.availability.visible_to_own_line
        }
    hidden = {p for p in line if p not in allowed}
    shown = [(row.person_id, row.match) for row in card.candidates if row.interest is None]
    assert shown == [
        (m.person_id, m) for m in await plain(market, uow_factory, klus, hidden, settings_.candidates_shown)
    ]


def other_process_saves(database_url: str, aad_object_id: str, hours: int) -> None:
    """Another instance of the bot, in its own process, saves this person's profile."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run(
        [sys.executable, "-m", "tests.services.other_instance", database_url, aad_object_id, str(hours)],
        cwd=root,
        check=True,
        timeout=120,
    )


def suggested_hours(card: CandidatesView | object, person_id: str) -> dict[str, int | str] | None:
    """The hours reason of this person among the card's suggestions, None when not suggested."""
    assert isinstance(card, CandidatesView)
    for row in card.candidates:
        if row.person_id == person_id and row.interest is None and row.match is not None:
            return next(dict(r.params) for r in row.match.reasons if r.code == "hours")
    return None


async def test_a_profile_saved_in_another_process_is_seen_by_the_next_turn_of_every_instance(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    database_url: str,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> None:
    klus: KlusView = await posted(market)  # this instance's index is built now
    other = marketplace(uow_factory, clock, vocabulary, directory)  # a second instance, its own index
    eva = EVA.aad_object_id
    for instance in (market, other):
        assert suggested_hours(await instance.choosing.candidates(BRAM, klus.id), eva) is None

    other_process_saves(database_url, eva, 8)

    for instance in (market, other):
        card = await instance.choosing.candidates(BRAM, klus.id)
        assert suggested_hours(card, eva) == {"offered": 8, "needed": 8}

    other_process_saves(database_url, eva, 4)  # a change, not only a new profile

    for instance in (market, other):
        card = await instance.choosing.candidates(BRAM, klus.id)
        assert suggested_hours(card, eva) == {"offered": 4, "needed": 8}
    jobs = await market.interest.offers(EVA)
    assert [(o.klus.id, o.match is not None) for o in jobs.offers] == [(klus.id, True)]
    assert jobs.offers[0].match is not None
    assert dict(next(r for r in jobs.offers[0].match.reasons if r.code == "hours").params) == {
        "offered": 4,
        "needed": 8,
    }
    # A posting in the other instance tells her: its index saw the change as well.
    again = await posted(other, title="Notuleren bij de commissie")
    async with uow_factory() as uow:
        assert eva in await uow.suggestions.for_klus(again.id)


async def test_who_reached_the_weekly_number_of_suggestions(
    market: Market, uow_factory: UnitOfWorkFactory
) -> None:
    now = FixedClock().now()
    klus_ids = [(await posted(market, BRAM, title=f"Klus {n}")).id for n in range(3)]
    ids = {name: str(uuid.uuid4()) for name in ("three", "two", "old")}
    async with uow_factory() as uow:
        for name, aad in ids.items():
            await uow.people.save(
                Person(aad, TENANT, name, f"{name}@example.org", "ermelo", "nl-NL"), now=now
            )
        for n, klus_id in enumerate(klus_ids):
            await uow.suggestions.add(klus_id, [ids["three"]], now=now - n * DAY)
            await uow.suggestions.add(
                klus_id, [ids["old"]], now=now - (6 + 2 * n) * DAY
            )  # 2 of 3 before the week
            if n:
                await uow.suggestions.add(klus_id, [ids["two"]], now=now)
        await uow.commit()

    async with uow_factory(reads_only=True) as uow:
        assert ids["three"] in await uow.suggestions.reached(now - 7 * DAY, 3)
        assert {ids["three"], ids["two"]} <= await uow.suggestions.reached(now - 7 * DAY, 2)
        assert ids["old"] not in await uow.suggestions.reached(now - 7 * DAY, 2)
        assert await uow.suggestions.reached(now - 7 * DAY, 4) == set()
