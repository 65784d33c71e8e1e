"""After the approval, against a real database: the work starts, hours are confirmed and checked each
month, the work ends, and both sides evaluate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.klus import KlusStatus
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.work import EvaluationDraft, Role
from klussenbank.services.approvals import ApprovalService
from klussenbank.services.klussen import KlusService
from klussenbank.services.ports import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import Refusal
from klussenbank.services.work import EvaluationView, HoursView, WorkResult, WorkService
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, work_service
from tests.services.test_approvals import confirmed_match, only_approval
from tests.services.test_klussen import outbox

# The match: Chantal works 8 hours a week on Anna's klus from 7 December 2026 to 22 January 2027.
START, END = TODAY + timedelta(days=14), TODAY + timedelta(days=60)


@pytest.fixture
def work(uow_factory: UnitOfWorkFactory, clock: FixedClock, vocabulary: SkillVocabulary) -> WorkService:
    return work_service(uow_factory, clock, vocabulary)


async def approved_match(
    klussen: KlusService, approvals: ApprovalService, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> int:
    klus_id = await confirmed_match(klussen, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)
    await approvals.approve(BRAM, approval.id)
    return approval.id


async def status_of_klus(klussen: KlusService) -> KlusStatus:
    [summary] = await klussen.mine(ANNA)
    return summary.klus.status


async def test_the_work_from_start_to_evaluation(
    work: WorkService,
    klussen: KlusService,
    approvals: ApprovalService,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    approval_id = await approved_match(klussen, approvals, signup, uow_factory)
    assert await work.tick() == WorkResult()
    clock.current = START
    assert (await work.tick()).started == 1
    assert await status_of_klus(klussen) is KlusStatus.IN_PROGRESS

    clock.current = date(2026, 12, 31)  # the end of December: its hours are asked for
    assert (await work.tick()).hours_asked == 1
    assert (await work.tick()).hours_asked == 0
    assert ("work.hours.employee", "Chantal Bakker") in await outbox(engine)
    december = date(2026, 12, 1)

    for wrong in (-1.0, 7.25, 201.0, None):
        refused = await work.report_hours(CHANTAL, approval_id, december, wrong)
        assert isinstance(refused, HoursView) and refused.errors and refused.hours.reported is None
    assert await work.report_hours(DAAN, approval_id, december, 10) == Refusal("match_not_found")
    assert await work.report_hours(ANNA, approval_id, december, 10) == Refusal("match_not_found")  # not hers
    reported = await work.report_hours(CHANTAL, approval_id, december, 10.5)
    assert isinstance(reported, HoursView) and reported.hours.reported == 10.5
    assert (
        reported.hours.planned == 28.5
    )  # 8 hours a week over 7-31 December (25 days): 28.57, to half an hour
    assert ("work.hours.poster", "Anna de Vries") in await outbox(engine)
    assert await work.correct_hours(CHANTAL, approval_id, december, 12) == Refusal("match_not_found")
    checked = await work.correct_hours(ANNA, approval_id, december, 12)
    assert isinstance(checked, HoursView) and checked.hours.worked == 12
    late = await work.report_hours(CHANTAL, approval_id, december, 30)
    assert isinstance(late, HoursView) and late.banner == "hours.already_checked" and late.hours.worked == 12

    clock.current = END + timedelta(days=1)
    result = await work.tick()
    assert (result.hours_asked, result.completed) == (1, 1)  # January, up to the end date
    assert await status_of_klus(klussen) is KlusStatus.COMPLETED
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
    klussen: KlusService,
    approvals: ApprovalService,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    approval_id = await approved_match(klussen, approvals, signup, uow_factory)
    clock.current = START + timedelta(days=3)

    assert await work.complete(CHANTAL, approval_id) == Refusal("match_not_found")
    assert await work.complete(ANNA, approval_id) is None

    assert await status_of_klus(klussen) is KlusStatus.COMPLETED
    assert await work.complete(ANNA, approval_id) is None  # a second click: already done
    assert (await work.tick()).completed == 0


async def test_a_declined_match_has_no_work_to_end(
    work: WorkService,
    klussen: KlusService,
    approvals: ApprovalService,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
) -> None:
    klus_id = await confirmed_match(klussen, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)
    await approvals.decline(BRAM, approval.id, "Niet nu.")

    assert await work.complete(ANNA, approval.id) == Refusal("match_not_found")
    assert await status_of_klus(klussen) is KlusStatus.OPEN
