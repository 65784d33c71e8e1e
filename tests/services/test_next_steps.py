"""Issue 15 against a real database: one message per person per event when someone has two roles
(poster and line manager; manager and later HR), what a person does here (for the welcome and
help), `mijn reacties`, and the agreements someone may open."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.data import load_rules
from klussenbank.domain.klus import InterestStatus
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.applications import ApplicationsService
from klussenbank.services.guide import GuideService, Situation
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import CandidatesView
from tests.conftest import FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, Market, agreement_service
from tests.services.test_approvals import confirmed_match, hr_across, only_approval, view
from tests.services.test_klussen import interested, outbox, posted, sign_up

__all__ = ["hr_across"]  # the fixture, used by name


async def new_messages(engine: AsyncEngine, before: int) -> list[tuple[str, str]]:
    """(reason, name) of the new messages since the outbox held `before` rows; not the updates of
    cards sent before, which change a card in place."""
    return [q for q in (await outbox(engine))[before:] if not q[0].endswith(".update")]


async def messages_since(engine: AsyncEngine, before: int) -> Counter[str]:
    """How many new messages each person got since the outbox held `before` rows."""
    return Counter(name for _, name in await new_messages(engine, before))


async def test_a_poster_who_is_the_line_manager_gets_one_card_and_no_news_of_their_own_decision(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    before = len(await outbox(engine))
    klus_id = await confirmed_match(market, signup, CHANTAL, poster=BRAM, organisation="ermelo")
    approval_cards = [q for q in (await outbox(engine))[before:] if q[0].startswith("approval.")]
    assert approval_cards == [("approval.candidate", "Chantal Bakker"), ("approval.approver", "Bram Jansen")]

    approval = await only_approval(uow_factory, klus_id)
    before = len(await outbox(engine))
    brams = view(await market.approvals.approve(BRAM, approval.id))

    assert brams.role == "poster" and brams.agreement  # his own card: approved, the agreement on it
    told = await new_messages(engine, before)
    assert [q for q in told if q[1] == "Bram Jansen"] == []
    assert [q for q in told if q[1] == "Chantal Bakker"] == [
        ("klus.approval_approved_candidate", "Chantal Bakker")
    ]
    assert all(count == 1 for count in Counter(name for _, name in told).values()), told


async def test_manager_then_hr_each_person_hears_once(
    hr_across: Market, signup: SignupService, uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    market = hr_across
    klus_id = await confirmed_match(market, signup, CHANTAL, poster=EVA, organisation="zeewolde")
    approval = await only_approval(uow_factory, klus_id)
    await market.approvals.approve(BRAM, approval.id)
    before = len(await outbox(engine))

    final = view(await market.approvals.approve(ANNA, approval.id))

    # Chantal and Eva: the outcome with the agreement; Bram, who approved first: the agreement;
    # Anna decided (and is the HR contact): her card says so.
    assert await messages_since(engine, before) == {"Chantal Bakker": 1, "Eva Smit": 1, "Bram Jansen": 1}
    assert ("agreement.ready", "Bram Jansen") in (await outbox(engine))[before:]
    assert final.agreement


async def test_what_someone_does_here(
    market: Market, signup: SignupService, directory: FileDirectory, uow_factory: UnitOfWorkFactory
) -> None:
    guide = GuideService(uow_factory, directory=directory, rules=load_rules("demo"))
    assert await guide.situation(EVA) == Situation()  # Zeewolde is in no flexpool
    assert await guide.situation(BRAM) == Situation(manages=True, in_pool=True, coordinates=True)
    assert await guide.situation(ANNA) == Situation(hr=True, in_pool=True)

    await sign_up(signup, CHANTAL)
    klus = await posted(market, ANNA, organisation="harderwijk")
    await interested(market, CHANTAL, klus.id)
    await posted(market, BRAM)

    # Bram (who coordinates the demo's flexpool) learns nothing of Chantal (his report) signing up and reacting: only what he does.
    assert await guide.situation(BRAM) == Situation(posted=True, manages=True, in_pool=True, coordinates=True)
    assert await guide.situation(CHANTAL) == Situation(has_profile=True, reacted=True, in_pool=True)
    assert await guide.situation(ANNA) == Situation(posted=True, hr=True, in_pool=True)


async def test_my_applications_what_needs_me_first(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory, vocabulary: SkillVocabulary
) -> None:
    applications = ApplicationsService(uow_factory, vocabulary=vocabulary)
    assert (await applications.mine(CHANTAL)).applications == ()

    await sign_up(signup, CHANTAL)
    first = await posted(market, ANNA, organisation="harderwijk", title="Eerste klus")
    second = await posted(market, EVA, organisation="zeewolde", title="Tweede klus")
    await interested(market, CHANTAL, first.id)
    await interested(market, CHANTAL, second.id)
    assert isinstance(await market.choosing.choose(EVA, second.id, CHANTAL.aad_object_id), CandidatesView)

    mine = await applications.mine(CHANTAL)
    assert [(a.klus.title, a.status) for a in mine.applications] == [
        ("Tweede klus", InterestStatus.CHOSEN),  # hers to answer: first
        ("Eerste klus", InterestStatus.INTERESTED),
    ]
    assert mine.has_profile and mine.more == 0
    assert (await applications.mine(DAAN)).applications == ()  # only one's own


async def test_the_agreements_someone_may_open(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
) -> None:
    # Eva (Zeewolde, no manager) on Bram's klus: HR of Zeewolde (Anna, in the demo file) approves.
    klus_id = await confirmed_match(market, signup, EVA, poster=BRAM, organisation="ermelo")
    approval = await only_approval(uow_factory, klus_id)
    agreements = agreement_service(uow_factory, clock, directory)
    assert (await agreements.mine(EVA)).rows == ()  # not approved yet

    await market.approvals.approve(ANNA, approval.id)

    for party in (EVA, BRAM, ANNA):
        [row] = (await agreements.mine(party)).rows
        assert (row.approval_id, row.klus_title, row.employee_name) == (
            approval.id,
            "Notuleren bij de raad",
            "Eva Smit",
        )
        assert row.number.startswith("KB-2026-") and row.drawn_up_on == clock.today()
    assert (await agreements.mine(CHANTAL)).rows == ()
    assert (await agreements.mine(DAAN)).rows == ()
