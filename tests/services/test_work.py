"""After the approval, against a real database: the work starts, hours are confirmed and checked each
month, the work ends (and every status card says so), both sides evaluate, and who may read that."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.klus import KlusStatus
from klussenbank.domain.organisations import OrganisationRules, Rules
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.work import EvaluationDraft, HoursDraft, Role
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.i18n import Translator
from klussenbank.services.hours import HoursService
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import EvaluationsView, EvaluationView, HoursView, Refusal
from klussenbank.services.work import WorkResult, WorkService
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, Market, hours_service, work_service
from tests.services.test_approvals import approved_match, confirmed_match, only_approval
from tests.services.test_klussen import outbox

# The match: Chantal works 8 hours a week on Anna's klus from 7 December 2026 to 22 January 2027.
START, END = TODAY + timedelta(days=14), TODAY + timedelta(days=60)


@pytest.fixture
def work(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, vocabulary: SkillVocabulary, directory: FileDirectory
) -> WorkService:
    return work_service(uow_factory, clock, vocabulary, directory)


@pytest.fixture
def hours(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> HoursService:
    return hours_service(uow_factory, clock)


async def status_of_klus(market: Market) -> KlusStatus:
    [summary] = await market.posting.mine(ANNA)
    return summary.klus.status


async def test_the_work_from_start_to_evaluation(
    work: WorkService,
    hours: HoursService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    approval_id = await approved_match(market, signup, uow_factory)
    assert await work.tick() == WorkResult()
    clock.current = START
    assert (await work.tick()).started == 1
    assert await status_of_klus(market) is KlusStatus.IN_PROGRESS

    clock.current = date(2026, 12, 31)  # the end of December: its hours are asked for
    assert (await work.tick()).hours_asked == 1
    assert (await work.tick()).hours_asked == 0
    assert ("work.hours.employee", "Chantal Bakker") in await outbox(engine)
    december = date(2026, 12, 1)

    for wrong in (-1.0, 7.25, 201.0, 400.0, None):
        refused = await hours.report_hours(CHANTAL, approval_id, HoursDraft(december, wrong))
        assert isinstance(refused, HoursView) and refused.errors and refused.hours.reported is None
    assert await hours.report_hours(DAAN, approval_id, HoursDraft(december, 10)) == Refusal("match_not_found")
    # not hers:
    assert await hours.report_hours(ANNA, approval_id, HoursDraft(december, 10)) == Refusal("match_not_found")
    reported = await hours.report_hours(CHANTAL, approval_id, HoursDraft(december, 10.5))
    assert isinstance(reported, HoursView) and reported.hours.reported == 10.5
    assert (
        reported.hours.planned == 28.5
    )  # 8 hours a week over 7-31 December (25 days): 28.57, to half an hour
    assert ("work.hours.poster", "Anna de Vries") in await outbox(engine)
    refused = await hours.correct_hours(CHANTAL, approval_id, HoursDraft(december, 12), shown=10.5)
    assert refused == Refusal("match_not_found")
    checked = await hours.correct_hours(ANNA, approval_id, HoursDraft(december, 12), shown=10.5)
    assert isinstance(checked, HoursView) and checked.hours.worked == 12
    late = await hours.report_hours(CHANTAL, approval_id, HoursDraft(december, 30))
    assert isinstance(late, HoursView) and late.hours.worked == 12  # settled: the card says so
    again = await hours.correct_hours(ANNA, approval_id, HoursDraft(december, 14), shown=10.5)
    assert isinstance(again, HoursView) and again.hours.worked == 12

    clock.current = END + timedelta(days=1)
    result = await work.tick()
    assert (result.hours_asked, result.completed) == (1, 1)  # January, up to the end date
    assert await status_of_klus(market) is KlusStatus.COMPLETED
    queued = await outbox(engine)
    assert ("work.evaluation", "Chantal Bakker") in queued and ("work.evaluation", "Anna de Vries") in queued
    assert await work.tick() == WorkResult()

    wrong = await work.evaluate(CHANTAL, approval_id, EvaluationDraft(score=7))
    assert isinstance(wrong, EvaluationView) and {e.field for e in wrong.errors} == {"score", "again"}
    assert await work.evaluate(DAAN, approval_id, EvaluationDraft(score=4, again=True)) == Refusal(
        "match_not_found"
    )
    done = await work.evaluate(
        CHANTAL,
        approval_id,
        EvaluationDraft(
            score=5,
            went_well="Fijn team.",
            again=True,
            skills=("data-entry", "document-management"),
            add_skills=True,
        ),
    )
    assert isinstance(done, EvaluationView) and done.done
    assert isinstance(
        await work.evaluate(ANNA, approval_id, EvaluationDraft(score=4, again=True)), EvaluationView
    )
    async with uow_factory() as uow:
        mine = await uow.work.evaluation(approval_id, Role.EMPLOYEE)
        theirs = await uow.work.evaluation(approval_id, Role.POSTER)
        profile = await uow.availability.get(CHANTAL.aad_object_id)
    assert mine is not None and mine.score == 5 and mine.skills == ("data-entry", "document-management")
    assert theirs is not None and theirs.score == 4 and theirs.skills == ()
    assert profile is not None and "document-management" in profile.skills  # her choice
    again = await work.evaluate(CHANTAL, approval_id, EvaluationDraft(score=1, again=False))
    assert isinstance(again, EvaluationView) and again.done  # once; the first answer stays
    async with uow_factory() as uow:
        kept = await uow.work.evaluation(approval_id, Role.EMPLOYEE)
    assert kept is not None and kept.score == 5


async def test_the_poster_may_end_the_work_early(
    work: WorkService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    approval_id = await approved_match(market, signup, uow_factory)
    clock.current = START + timedelta(days=3)

    assert await work.complete(CHANTAL, approval_id) == Refusal("match_not_found")
    assert await work.complete(ANNA, approval_id) is True

    assert await status_of_klus(market) is KlusStatus.COMPLETED
    assert await work.complete(ANNA, approval_id) is False  # a second click: already done
    assert (await work.tick()).completed == 0


async def hours_cards(engine: AsyncEngine) -> list[tuple[str, str, bool, dict[str, Any]]]:
    """(reason, recipient, whether it changes a card sent before, content) of every hours card."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT m.reason, p.name, d.updates_delivery_id, m.content FROM outbox_messages m "
                "JOIN outbox_deliveries d ON d.message_id = m.id JOIN people p ON p.id = d.person_id "
                "WHERE m.reason LIKE 'work.hours%' ORDER BY m.id"
            )
        )
        return [
            (reason, name, update is not None, content if isinstance(content, dict) else json.loads(content))
            for reason, name, update, content in rows
        ]


async def test_the_poster_confirms_only_the_hours_as_they_are_now_on_one_card_a_month(
    work: WorkService,
    hours: HoursService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    """Chantal types 200 (a typo), then 24. Anna's card for December changes in place; pressing
    "Hours are right" on the card that still showed 200 saves nothing and shows her the 24."""
    approval_id = await approved_match(market, signup, uow_factory)
    clock.current = date(2026, 12, 31)
    await work.tick()
    december = date(2026, 12, 1)
    await hours.report_hours(CHANTAL, approval_id, HoursDraft(december, 200))
    await hours.report_hours(CHANTAL, approval_id, HoursDraft(december, 24))

    cards = await hours_cards(engine)
    assert [(reason, name, update) for reason, name, update, _ in cards] == [
        ("work.hours.employee", "Chantal Bakker", False),
        ("work.hours.poster", "Anna de Vries", False),
        ("work.hours.update", "Anna de Vries", True),  # the same card, now with 24
    ]
    assert '"shown": 24' in words(cards[-1][3]) and '"shown": 200' in words(cards[1][3])

    stale = await hours.correct_hours(ANNA, approval_id, HoursDraft(december, 200), shown=200)
    assert isinstance(stale, HoursView) and stale.changed and not stale.errors
    assert (stale.hours.reported, stale.hours.corrected) == (24, None)  # nothing saved
    forged = await hours.correct_hours(ANNA, approval_id, HoursDraft(december, 200), shown=None)
    assert isinstance(forged, HoursView) and forged.changed and forged.hours.corrected is None
    too_many = await hours.correct_hours(ANNA, approval_id, HoursDraft(december, 400), shown=24)
    assert isinstance(too_many, HoursView) and too_many.errors and too_many.hours.corrected is None

    checked = await hours.correct_hours(ANNA, approval_id, HoursDraft(december, 24), shown=24)
    assert isinstance(checked, HoursView) and not checked.changed and checked.hours.corrected == 24
    async with uow_factory() as uow:
        [saved] = await uow.work.hours(approval_id)
    assert saved.worked == 24


async def test_a_declined_match_has_no_work_to_end(
    work: WorkService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)
    await market.approvals.decline(BRAM, approval.id, "Niet nu.")

    assert await work.complete(ANNA, approval.id) == Refusal("match_not_found")
    assert await status_of_klus(market) is KlusStatus.OPEN


async def card_updates(engine: AsyncEngine, after: int) -> list[tuple[str, dict[str, Any]]]:
    """(recipient's name, card) of every update of an approval card queued after message `after`."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT p.name, m.content FROM outbox_messages m "
                "JOIN outbox_deliveries d ON d.message_id = m.id JOIN people p ON p.id = d.person_id "
                "WHERE m.reason = 'approval.update' AND m.id > :after ORDER BY p.name"
            ),
            {"after": after},
        )
        return [
            (name, content if isinstance(content, dict) else json.loads(content)) for name, content in rows
        ]


async def last_message(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text("SELECT max(id) FROM outbox_messages")) or 0)


def words(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


@pytest.mark.parametrize("ending", ["end date passed", "poster says it is done"])
async def test_when_the_work_ends_every_card_about_the_approval_says_so(
    ending: str,
    work: WorkService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    approval_id = await approved_match(market, signup, uow_factory)
    clock.current = START
    await work.tick()
    before = await last_message(engine)

    if ending == "end date passed":
        clock.current = END + timedelta(days=1)
        assert (await work.tick()).completed == 1
    else:
        clock.current = START + timedelta(days=3)
        assert await work.complete(ANNA, approval_id) is True

    updates = await card_updates(engine, before)
    # Chantal's and Anna's status cards and Bram's approval card, each in its reader's view.
    assert [name for name, _ in updates] == ["Anna de Vries", "Bram Jansen", "Chantal Bakker"]
    ended = Translator("nl")("approval.status.completed", date=Translator("nl").date(clock.current))
    for name, content in updates:
        card = content["card"]
        assert ended in words(card) and "gaat aan de slag" not in words(card), name
        verbs = {a.get("verb") for a in card.get("actions", [])}
        # The two sides can read the evaluations; the manager only sees that the work ended. All
        # three approved or signed the agreement: it stays in reach on their cards.
        expected = {"evaluations.show"} if name != "Bram Jansen" else set()
        assert verbs == expected | {"agreement.show"}, name


DAAN_MAIL = "daan.visser@ermelo.example"


@pytest.mark.parametrize(
    ("daan_is_hr_of", "daan_reads"),
    [("ermelo", True), ("zeewolde", True), ("harderwijk", False), (None, False)],
    ids=["hr-of-the-employees-organisation", "hr-of-the-klus-organisation", "hr-elsewhere", "colleague"],
)
async def test_the_evaluations_are_for_the_two_sides_and_hr_of_their_organisations(
    daan_is_hr_of: str | None,
    daan_reads: bool,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> None:
    # Nobody is HR but Daan where the test says so, and Anna of Harderwijk (her directory role).
    rules = Rules({daan_is_hr_of: OrganisationRules(hr=(DAAN_MAIL,))} if daan_is_hr_of else {})
    work = work_service(uow_factory, clock, vocabulary, directory, rules)
    approval_id = await approved_match(market, signup, uow_factory, poster=EVA, organisation="zeewolde")
    assert await work.evaluations(CHANTAL, approval_id) == Refusal("match_not_found")  # still working
    clock.current = END + timedelta(days=1)
    assert (await work.tick()).completed == 1
    said = EvaluationDraft(score=4, went_well="Fijn team.", could_be_better="Meer uitleg vooraf.", again=True)
    assert isinstance(await work.evaluate(CHANTAL, approval_id, said), EvaluationView)

    mine = await work.evaluations(CHANTAL, approval_id)
    theirs = await work.evaluations(EVA, approval_id)

    assert isinstance(mine, EvaluationsView) and isinstance(theirs, EvaluationsView)
    assert (mine.role, theirs.role) == (Role.EMPLOYEE, Role.POSTER)
    match = theirs.match
    assert (match.klus_title, match.employee_name, match.employee_organisation) == (
        "Notuleren bij de raad",
        "Chantal Bakker",
        "Gemeente Ermelo",
    )
    assert (match.poster_name, match.poster_organisation, match.completed_on) == (
        "Eva Smit",
        "Gemeente Zeewolde",
        END + timedelta(days=1),
    )
    assert match.employee is not None and match.poster is None  # Eva has not said anything yet
    assert (match.employee.score, match.employee.went_well, match.employee.could_be_better) == (
        4,
        "Fijn team.",
        "Meer uitleg vooraf.",
    )
    assert match.employee.again and mine.match == match
    for outsider in (BRAM, ANNA):  # her line manager; HR of an organisation that has no part in it
        assert await work.evaluations(outsider, approval_id) == Refusal("match_not_found")
    daan = await work.evaluations(DAAN, approval_id)
    if daan_reads:
        assert isinstance(daan, EvaluationsView) and daan.role is None and daan.match == match
    else:
        assert daan == Refusal("match_not_found")
    for forged in (approval_id + 1, 0, -5):
        assert await work.evaluations(CHANTAL, forged) == Refusal("match_not_found")

    # HR reading is in both sides' access log; the two sides reading each other is not.
    for side in (CHANTAL, EVA):
        read = [
            (r.viewer_name, r.klus_title)
            for r in (await market.approvals.access_log(side)).rows
            if r.what == "evaluations"
        ]
        assert read == ([("Daan Visser", "Notuleren bij de raad")] if daan_reads else []), side.name
