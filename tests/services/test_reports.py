"""HR's report against a real database: the figures of a known marketplace, who may see them, the CSV,
and the period's individual evaluations."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from klussenbank.domain.organisations import OrganisationRules, Rules
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.work import Evaluation, EvaluationDraft, Role
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.reports import EvaluationsListView, FiguresView, ReportRequest
from klussenbank.services.signup import SignupService
from klussenbank.services.views import Refusal
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import (
    ANNA,
    BRAM,
    CHANTAL,
    DAAN,
    EVA,
    TENANT,
    Market,
    report_service,
    work_service,
)
from tests.services.test_approvals import approved_match, confirmed_match, only_approval
from tests.services.test_klussen import posted


async def test_the_figures_of_a_known_marketplace(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
) -> None:
    # Harderwijk (Anna) posts two klussen; Chantal is approved by Bram for the first one, 8 hours
    # a week from 7 December 2026 to 22 January 2027; nobody reacts to the second.
    klus_id = await confirmed_match(market, signup, CHANTAL)
    await posted(market, ANNA, organisation="harderwijk", title="Archief ordenen")
    clock.current = TODAY + timedelta(days=2)
    await market.approvals.approve(BRAM, (await only_approval(uow_factory, klus_id)).id)
    reports = report_service(uow_factory, clock, directory)

    assert await reports.report(BRAM, ReportRequest()) == Refusal("not_hr")
    view = await reports.report(ANNA, ReportRequest("harderwijk", TODAY, TODAY + timedelta(days=30)))

    assert isinstance(view, FiguresView)
    found = view.figures
    assert (found.posted, found.filled, found.expired, found.cancelled) == (2, 1, 0, 0)
    assert (found.approvals_decided, found.approvals_approved, found.approval_rate) == (1, 1, 1.0)
    assert found.days_to_first_interest == 0.0 and found.days_to_decide == 2.0 and found.days_to_match == 2.0
    # The match runs from 7 December; the period ends 23 December: 17 days of 8 hours a week.
    assert found.hours == round(8 * 17 / 7, 1) == 19.4
    assert found.euros_avoided == round(19.4 * 85, 2)  # the demo's external rate
    assert found.filled_internally_in_time == 1
    assert found.people_available == 0  # Chantal is of Ermelo
    link = urlsplit(view.csv_url)
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    body = await reports.csv("harderwijk", TODAY, TODAY + timedelta(days=30), query["expires"], query["sig"])
    assert body is not None
    rows = dict(csv.reader(io.StringIO(body)))
    assert (rows["klussen_posted"], rows["hours_deployed"], rows["euros_external_hiring_avoided"]) == (
        "2",
        "19.4",
        "1649.0",
    )
    assert (
        await reports.csv("ermelo", TODAY, TODAY + timedelta(days=30), query["expires"], query["sig"]) is None
    )


async def test_a_wrong_period_says_so_and_shows_this_year(
    signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: FileDirectory
) -> None:
    reports = report_service(uow_factory, clock, directory)

    view = await reports.report(ANNA, ReportRequest("ermelo", TODAY, TODAY - timedelta(days=1)))

    assert isinstance(view, FiguresView)
    assert [e.code for e in view.errors] == ["end_before_start"]
    assert (view.figures.start, view.figures.end) == (TODAY.replace(month=1, day=1), TODAY)
    assert await reports.report(DAAN, ReportRequest("ermelo")) == Refusal("not_hr")


async def test_the_report_opens_on_the_hr_persons_own_organisation(
    signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: FileDirectory
) -> None:
    # The demo file makes Anna HR of every organisation; she works at Harderwijk, not the first one.
    anna_sees = await report_service(uow_factory, clock, directory).report(ANNA, ReportRequest())
    # Bram (of Ermelo) is HR of Zeewolde only: the first of his.
    bram_only_zeewolde = Rules({"zeewolde": OrganisationRules(hr=(BRAM.aad_object_id,))})
    bram_sees = await report_service(uow_factory, clock, directory, bram_only_zeewolde).report(
        BRAM, ReportRequest()
    )

    assert isinstance(anna_sees, FiguresView) and isinstance(bram_sees, FiguresView)
    assert anna_sees.organisation.key == "harderwijk"
    assert [o.key for o in anna_sees.organisations] == ["harderwijk", "ermelo", "zeewolde"]
    assert bram_sees.organisation.key == "zeewolde"
    assert [o.key for o in bram_sees.organisations] == ["zeewolde"]


# HR people of Ermelo and Zeewolde who never used the bot; Anna is HR of Harderwijk (her directory role).
HR_ERMELO = Actor("hr-ermelo", TENANT, "HR Ermelo", "nl-NL")
HR_ZEEWOLDE = Actor("hr-zeewolde", TENANT, "HR Zeewolde", "nl-NL")
HR_RULES = Rules(
    {
        "ermelo": OrganisationRules(hr=(HR_ERMELO.aad_object_id,)),
        "zeewolde": OrganisationRules(hr=(HR_ZEEWOLDE.aad_object_id,)),
    }
)


async def test_hr_reads_the_evaluations_about_their_organisation_newest_first(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Chantal (Ermelo) works on Eva's Zeewolde klus, Daan (Ermelo) on Anna's Harderwijk klus; both
    # end on 23 January 2027. Chantal evaluates on the 24th, Anna on the 25th.
    zeewolde = await confirmed_match(market, signup, CHANTAL, poster=EVA, organisation="zeewolde")
    harderwijk = await confirmed_match(
        market, signup, DAAN, poster=ANNA, organisation="harderwijk", title="Archief ordenen"
    )
    first, second = [(await only_approval(uow_factory, k)).id for k in (zeewolde, harderwijk)]
    for approval_id in (first, second):
        await market.approvals.approve(BRAM, approval_id)
    work = work_service(uow_factory, clock, vocabulary, directory, HR_RULES)
    end = TODAY + timedelta(days=61)
    clock.current = end
    assert (await work.tick()).completed == 2
    clock.current = end + timedelta(days=1)
    await work.evaluate(CHANTAL, first, EvaluationDraft(score=4, went_well="Fijn team.", again=True))
    clock.current = end + timedelta(days=2)
    await work.evaluate(
        ANNA, second, EvaluationDraft(score=2, could_be_better="Vaker overleggen.", again=False)
    )
    reports = report_service(uow_factory, clock, directory, HR_RULES)
    period = (end, end + timedelta(days=2))

    ermelo = await reports.evaluations(HR_ERMELO, ReportRequest("ermelo", *period))

    # Both matches are of Ermelo's employees: the newest evaluation first.
    assert isinstance(ermelo, EvaluationsListView)
    assert (ermelo.organisation.name, ermelo.start, ermelo.end, ermelo.more) == (
        "Gemeente Ermelo",
        *period,
        0,
    )
    assert [m.approval_id for m in ermelo.matches] == [second, first]
    newest, older = ermelo.matches
    assert (newest.klus_title, newest.employee_name, newest.poster_name) == (
        "Archief ordenen",
        "Daan Visser",
        "Anna de Vries",
    )
    assert newest.employee is None and newest.poster is not None
    assert (newest.poster.role, newest.poster.score, newest.poster.could_be_better) == (
        Role.POSTER,
        2,
        "Vaker overleggen.",
    )
    assert older.employee is not None and older.employee.went_well == "Fijn team." and older.poster is None
    # The borrowing organisations see their own klus only.
    for hr, organisation, expected in ((HR_ZEEWOLDE, "zeewolde", [first]), (ANNA, "harderwijk", [second])):
        found = await reports.evaluations(hr, ReportRequest(organisation, *period))
        assert isinstance(found, EvaluationsListView)
        assert [m.approval_id for m in found.matches] == expected, organisation
    # Given after the period: not in it.
    earlier = await reports.evaluations(HR_ERMELO, ReportRequest("ermelo", TODAY, end))
    assert isinstance(earlier, EvaluationsListView) and earlier.matches == () and earlier.more == 0
    # Not HR, or HR of another organisation: nothing.
    for actor, organisation in ((BRAM, "ermelo"), (CHANTAL, ""), (HR_ZEEWOLDE, "ermelo"), (ANNA, "zeewolde")):
        assert await reports.evaluations(actor, ReportRequest(organisation, *period)) == Refusal("not_hr")
    # A card holds so many: the rest is counted.
    monkeypatch.setattr("klussenbank.services.reports.EVALUATIONS_SHOWN", 1)
    capped = await reports.evaluations(HR_ERMELO, ReportRequest("ermelo", *period))
    assert isinstance(capped, EvaluationsListView)
    assert ([m.approval_id for m in capped.matches], capped.more) == ([second], 1)

    # Each side sees that HR read their match; Anna is a side of her own match, so her reading is not.
    async with uow_factory() as uow:
        seen = {
            person.name: sorted(
                (e.viewer_id, e.klus_id)
                for e in await uow.access_log.for_subject(person.aad_object_id)
                if e.what == "evaluations"
            )
            for person in (CHANTAL, EVA, DAAN, ANNA)
        }
        audit = [
            (e.actor, e.action, e.detail)
            for e in await uow.audit.recent(20)
            if e.action == "evaluations.viewed"
        ]
    assert seen == {
        "Chantal Bakker": [("hr-ermelo", zeewolde), ("hr-zeewolde", zeewolde)],
        "Eva Smit": [("hr-ermelo", zeewolde), ("hr-zeewolde", zeewolde)],
        "Daan Visser": [("hr-ermelo", harderwijk)],
        "Anna de Vries": [("hr-ermelo", harderwijk)],
    }
    assert ("hr-zeewolde", "evaluations.viewed", f"zeewolde {period[0]}..{period[1]}") in audit


async def test_the_evaluations_period_is_in_the_organisations_local_days(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> None:
    """Half past midnight in Amsterdam is the evening before in UTC: it counts on the local day."""
    approval_id = await approved_match(market, signup, uow_factory, poster=EVA, organisation="zeewolde")
    end = TODAY + timedelta(days=61)
    clock.current = end
    assert (await work_service(uow_factory, clock, vocabulary, directory, HR_RULES).tick()).completed == 1
    day = end + timedelta(days=1)
    just_after_midnight = datetime.combine(day, time(0, 30), ZoneInfo("Europe/Amsterdam"))
    async with uow_factory() as uow:
        said = Evaluation(approval_id, Role.EMPLOYEE, 4, "Fijn team.", "", True)
        await uow.work.add_evaluation(said, now=just_after_midnight.astimezone(UTC))
        await uow.commit()
    reports = report_service(uow_factory, clock, directory, HR_RULES)

    on_the_day = await reports.evaluations(HR_ERMELO, ReportRequest("ermelo", day, day))
    the_day_before = await reports.evaluations(HR_ERMELO, ReportRequest("ermelo", end, end))

    assert isinstance(on_the_day, EvaluationsListView) and isinstance(the_day_before, EvaluationsListView)
    assert [m.approval_id for m in on_the_day.matches] == [approval_id]
    assert the_day_before.matches == ()
