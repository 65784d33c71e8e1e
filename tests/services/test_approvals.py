"""Approvals against a real database: routing, deciding, forwarding, reminders, escalation, expiry,
idempotency, who may do what, and the privacy rules around them."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.data import load_rules
from klussenbank.domain.approval import ApprovalChain, ApprovalPolicy, ApprovalStatus, ApprovalStep
from klussenbank.domain.klus import InterestStatus, KlusStatus
from klussenbank.domain.organisations import OrganisationRules, Rules
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.working_days import WorkingCalendar
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.approval_chores import TickResult
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import ApprovalView, CandidatesView, KlusOffer, Refusal
from tests.conftest import FixedClock, concurrent_transactions
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, Market, marketplace
from tests.services.test_klussen import interested, outbox, posted, sign_up

ANNA_MAIL = "anna.devries@harderwijk.example"
EVA_MAIL = "eva.smit@zeewolde.example"


async def confirmed_match(
    market: Market, signup: SignupService, candidate: Actor, poster: Actor = ANNA, **klus: Any
) -> int:
    """`candidate` showed interest in a klus by `poster`, was chosen and said yes: the approval id."""
    await sign_up(signup, candidate)
    klus.setdefault("organisation", "harderwijk")
    posted_klus = await posted(market, poster, **klus)
    await interested(market, candidate, posted_klus.id, "Ik notuleer graag.")
    assert isinstance(
        await market.choosing.choose(poster, posted_klus.id, candidate.aad_object_id), CandidatesView
    )
    assert isinstance(
        await market.interest.confirm(candidate, posted_klus.id, share_motivation=True), KlusOffer
    )
    return posted_klus.id


async def approved_match(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    poster: Actor = ANNA,
    **klus: Any,
) -> int:
    """Chantal's match on a klus by `poster`, approved by Bram, her manager: the approval id."""
    klus_id = await confirmed_match(market, signup, CHANTAL, poster, **klus)
    approval = await only_approval(uow_factory, klus_id)
    await market.approvals.approve(BRAM, approval.id)
    return int(approval.id)


async def only_approval(uow_factory: UnitOfWorkFactory, klus_id: int) -> Any:
    async with uow_factory() as uow:
        [approval] = await uow.approvals.for_klus(klus_id)
        return approval


async def interest_status(market: Market, actor: Actor, klus_id: int) -> InterestStatus | None:
    offer = await market.interest.offer(actor, klus_id)
    assert isinstance(offer, KlusOffer)
    return offer.interest


def view(result: ApprovalView | Refusal) -> ApprovalView:
    assert isinstance(result, ApprovalView), result
    return result


# -- routing ------------------------------------------------------------------------------------------


async def test_the_line_manager_is_asked_and_candidate_and_poster_see_the_status(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)

    approval = await only_approval(uow_factory, klus_id)
    assert (approval.approver_id, approval.step, approval.status) == (
        BRAM.aad_object_id,
        ApprovalStep.MANAGER,
        ApprovalStatus.PENDING,
    )
    queued = [q for q in await outbox(engine) if q[0].startswith("approval.")]
    assert queued == [
        ("approval.candidate", "Chantal Bakker"),
        ("approval.poster", "Anna de Vries"),
        ("approval.approver", "Bram Jansen"),
    ]
    bram = view(await market.approvals.show(BRAM, approval.id))
    assert bram.role == "approver" and bram.motivation == "Ik notuleer graag."  # she shared it
    assert bram.expires_on == date(2026, 12, 7)  # 10 working days after Monday 23 November
    chantal = view(await market.approvals.show(CHANTAL, approval.id))
    assert chantal.role == "candidate" and chantal.approver_name == "Bram Jansen" and not chantal.motivation
    assert chantal.expires_on is None  # only the approver has a date to decide by
    assert view(await market.approvals.show(ANNA, approval.id)).role == "poster"
    assert await interest_status(market, CHANTAL, klus_id) is InterestStatus.CONFIRMED


async def test_the_motivation_stays_private_unless_the_candidate_shares_it(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    await sign_up(signup, CHANTAL)
    klus = await posted(market, ANNA, organisation="harderwijk")
    await interested(market, CHANTAL, klus.id, "Ik wil graag weg bij mijn team.")
    await market.choosing.choose(ANNA, klus.id, CHANTAL.aad_object_id)
    await market.interest.confirm(CHANTAL, klus.id)  # share_motivation off: the default

    approval = await only_approval(uow_factory, klus.id)
    assert view(await market.approvals.show(BRAM, approval.id)).motivation == ""


async def test_without_a_line_manager_hr_approves(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    klus_id = await confirmed_match(market, signup, EVA, poster=BRAM, organisation="ermelo")

    approval = await only_approval(uow_factory, klus_id)
    assert approval.approver_id == ANNA.aad_object_id
    async with uow_factory() as uow:
        assert [e.kind.value for e in await uow.approvals.events(approval.id)] == ["fallback"]


@pytest.mark.parametrize(
    ("hr_approvers", "approver"),
    [((ANNA_MAIL, "daan.visser@ermelo.example"), DAAN), ((ANNA_MAIL,), ANNA)],
    ids=["another-hr-approver", "only-the-poster"],
)
async def test_hr_does_not_judge_its_own_klus_when_someone_else_can(
    hr_approvers: tuple[str, ...],
    approver: Actor,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> None:
    policy = ApprovalPolicy(hr_approvers=hr_approvers)
    rules = Rules({}, OrganisationRules(approval=policy))
    market = marketplace(uow_factory, clock, vocabulary, directory, rules=rules)
    # Eva has no line manager, so HR decides; Anna, the first HR approver, posted the klus.
    klus_id = await confirmed_match(market, signup, EVA, poster=ANNA)

    approval = await only_approval(uow_factory, klus_id)
    assert approval.approver_id == approver.aad_object_id


async def test_with_nobody_to_approve_the_approval_waits_and_says_so(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> None:
    market = marketplace(uow_factory, clock, vocabulary, directory, rules=Rules())
    klus_id = await confirmed_match(market, signup, EVA, poster=BRAM, organisation="ermelo")

    approval = await only_approval(uow_factory, klus_id)
    assert approval.approver_id is None and approval.pending
    assert view(await market.approvals.show(EVA, approval.id)).approver_name == ""
    assert isinstance(
        await market.approvals.approve(BRAM, approval.id), ApprovalView
    )  # the poster: not theirs
    assert (await only_approval(uow_factory, klus_id)).pending


# -- deciding ----------------------------------------------------------------------------------------


async def test_approving_makes_the_match_active_and_fills_the_klus(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    await sign_up(signup, DAAN)
    klus_id = await confirmed_match(market, signup, CHANTAL)
    await interested(market, DAAN, klus_id)
    approval = await only_approval(uow_factory, klus_id)

    result = view(await market.approvals.approve(BRAM, approval.id))

    assert result.status is ApprovalStatus.APPROVED and result.role == "other"
    assert [(d.approved, d.name) for d in result.decisions] == [(True, "Bram Jansen")]
    assert await interest_status(market, CHANTAL, klus_id) is InterestStatus.APPROVED
    assert await interest_status(market, DAAN, klus_id) is InterestStatus.NOT_CHOSEN
    [summary] = [s for s in await market.posting.mine(ANNA) if s.klus.id == klus_id]
    assert summary.klus.status is KlusStatus.FILLED
    queued = await outbox(engine)
    assert ("klus.approval_approved_candidate", "Chantal Bakker") in queued
    assert ("klus.approval_approved_poster", "Anna de Vries") in queued
    # Each card sent before is updated: Chantal's, Anna's and Bram's.
    assert sorted(name for reason, name in queued if reason == "approval.update") == [
        "Anna de Vries",
        "Bram Jansen",
        "Chantal Bakker",
    ]


async def test_a_decline_needs_a_reason_and_then_frees_the_hours(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    await sign_up(signup, DAAN)
    klus_id = await confirmed_match(market, signup, CHANTAL)
    await interested(market, DAAN, klus_id)
    approval = await only_approval(uow_factory, klus_id)

    for reason in ("", "   ", "x" * 501):
        refused = view(await market.approvals.decline(BRAM, approval.id, reason))
        assert refused.errors and refused.status is ApprovalStatus.PENDING
    assert (await only_approval(uow_factory, klus_id)).pending

    declined = view(
        await market.approvals.decline(BRAM, approval.id, "  We hebben haar in mei  zelf nodig. ")
    )

    assert (
        declined.status is ApprovalStatus.DECLINED and declined.reason == "We hebben haar in mei zelf nodig."
    )
    assert await interest_status(market, CHANTAL, klus_id) is InterestStatus.NOT_APPROVED
    async with uow_factory() as uow:
        assert await uow.interests.commitments(CHANTAL.aad_object_id) == []
    # The candidate reads the reason, the poster does not; the poster may choose again.
    assert (
        view(await market.approvals.show(CHANTAL, approval.id)).reason == "We hebben haar in mei zelf nodig."
    )
    assert view(await market.approvals.show(ANNA, approval.id)).reason == ""
    assert isinstance(await market.choosing.choose(ANNA, klus_id, DAAN.aad_object_id), CandidatesView)


@pytest.fixture
def hr_across(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> Market:
    """The marketplace where HR also approves matches across organisations."""
    policy = ApprovalPolicy(chain=ApprovalChain.MANAGER_THEN_HR_ACROSS, hr_approvers=(ANNA_MAIL,))
    return marketplace(
        uow_factory, clock, vocabulary, directory, rules=Rules({}, OrganisationRules(approval=policy))
    )


async def test_with_manager_then_hr_both_decide_in_turn(
    hr_across: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    market = hr_across
    # Across organisations (a Zeewolde klus for Chantal of Ermelo): her manager, then HR.
    klus_id = await confirmed_match(market, signup, CHANTAL, poster=EVA, organisation="zeewolde")
    approval = await only_approval(uow_factory, klus_id)

    after_manager = view(await market.approvals.approve(BRAM, approval.id))

    assert after_manager.status is ApprovalStatus.PENDING and after_manager.step is ApprovalStep.HR
    assert after_manager.approver_name == "Anna de Vries" and after_manager.role == "other"
    assert await interest_status(market, CHANTAL, klus_id) is InterestStatus.CONFIRMED
    final = view(await market.approvals.approve(ANNA, approval.id))
    assert final.status is ApprovalStatus.APPROVED
    assert [d.name for d in final.decisions] == ["Bram Jansen", "Anna de Vries"]


async def test_within_one_organisation_manager_then_hr_across_needs_the_manager_only(
    hr_across: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    market = hr_across
    klus_id = await confirmed_match(market, signup, CHANTAL, poster=DAAN, organisation="ermelo")
    approval = await only_approval(uow_factory, klus_id)

    assert view(await market.approvals.approve(BRAM, approval.id)).status is ApprovalStatus.APPROVED


# -- forwarding ---------------------------------------------------------------------------------------


async def test_forwarding_hands_the_decision_to_a_delegate(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)

    for wrong, code in (
        ("", "required"),
        ("niemand@ermelo.example", "delegate_unknown"),
        ("bram.jansen@ermelo.example", "delegate_not_allowed"),  # himself
        ("CHANTAL.bakker@ermelo.example", "delegate_not_allowed"),  # the candidate
    ):
        refused = view(await market.approvals.forward(BRAM, approval.id, wrong))
        assert [e.code for e in refused.errors] == [code], wrong
    forwarded = view(await market.approvals.forward(BRAM, approval.id, f"  {EVA_MAIL.upper()} "))

    assert forwarded.approver_name == "Eva Smit" and forwarded.banner == "approval.forwarded"
    assert ("approval.approver", "Eva Smit") in await outbox(engine)
    eva = view(await market.approvals.show(EVA, approval.id))
    assert eva.role == "approver" and eva.forwarded_by == "Bram Jansen"
    assert view(await market.approvals.approve(EVA, approval.id)).status is ApprovalStatus.APPROVED
    async with uow_factory() as uow:
        # Eva never saw Chantal's data before: now her access log names Eva for the approval.
        assert {e.viewer_id for e in await uow.access_log.for_subject(CHANTAL.aad_object_id)} >= {
            BRAM.aad_object_id,
            EVA.aad_object_id,
        }


# -- idempotency and who may do what ------------------------------------------------------------------


async def test_a_second_click_and_a_replay_record_one_decision(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)

    first = view(await market.approvals.approve(BRAM, approval.id))
    again = view(await market.approvals.approve(BRAM, approval.id))
    late_decline = view(await market.approvals.decline(BRAM, approval.id, "Toch niet."))

    assert first.status is again.status is late_decline.status is ApprovalStatus.APPROVED
    assert again.banner == late_decline.banner == "approval.already_decided"
    async with uow_factory() as uow:
        kinds = [e.kind.value for e in await uow.approvals.events(approval.id)]
    assert kinds == ["routed", "approved"]


async def test_two_clicks_at_once_record_one_decision(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    database_url: str,
) -> None:
    concurrent_transactions(database_url)
    klus_id = await confirmed_match(market, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)

    results = await asyncio.gather(
        market.approvals.approve(BRAM, approval.id), market.approvals.decline(BRAM, approval.id, "Nee.")
    )

    statuses = {view(r).status for r in results}
    assert len(statuses) == 1  # both show the one decision that was made
    async with uow_factory() as uow:
        decisions = [
            e for e in await uow.approvals.events(approval.id) if e.kind.value in ("approved", "declined")
        ]
    assert len(decisions) == 1


async def test_approving_while_the_poster_cancels_ends_one_way_or_the_other(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    database_url: str,
) -> None:
    concurrent_transactions(database_url)
    klus_id = await confirmed_match(market, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)

    await asyncio.gather(market.approvals.approve(BRAM, approval.id), market.posting.cancel(ANNA, klus_id))

    final = await only_approval(uow_factory, klus_id)
    status = await interest_status(market, CHANTAL, klus_id)
    [summary] = [s for s in await market.posting.mine(ANNA) if s.klus.id == klus_id]
    # Either the approval came first (the klus was filled, so cancelling had nothing to do) or
    # the cancel did (the approval ended with it): never a mix, and no deadlock.
    assert (final.status, status, summary.klus.status) in (
        (ApprovalStatus.APPROVED, InterestStatus.APPROVED, KlusStatus.FILLED),
        (ApprovalStatus.CANCELLED, InterestStatus.NOT_CHOSEN, KlusStatus.CANCELLED),
    )


@pytest.mark.parametrize("action", ["show", "approve", "decline", "forward"])
async def test_who_may_do_what(
    action: str,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await sign_up(signup, DAAN)
    klus_id = await confirmed_match(market, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)

    async def act(actor: Actor) -> ApprovalView | Refusal:
        if action == "show":
            return await market.approvals.show(actor, approval.id)
        if action == "approve":
            return await market.approvals.approve(actor, approval.id)
        if action == "decline":
            return await market.approvals.decline(actor, approval.id, "Liever niet.")
        return await market.approvals.forward(actor, approval.id, EVA_MAIL)

    # Strangers (Daan: Bram's other report; Eva) learn nothing: to them it does not exist.
    for stranger in (DAAN, EVA):
        assert await act(stranger) == Refusal("approval_not_found"), stranger.name
    # Candidate and poster see their own view; an action by them changes nothing.
    for party, role in ((CHANTAL, "candidate"), (ANNA, "poster")):
        seen = view(await act(party))
        assert seen.role == role and seen.status is ApprovalStatus.PENDING
        assert seen.banner == ("" if action == "show" else "approval.not_yours")
    assert (await only_approval(uow_factory, klus_id)) == approval
    # The approver may.
    done = view(await act(BRAM))
    assert (done.status is ApprovalStatus.PENDING) == (action in ("show", "forward"))
    assert await market.approvals.show(DAAN, approval.id) == Refusal("approval_not_found")


# -- the chore: installing, reminding, escalating, expiring -------------------------------------------


class RecordingInstaller:
    """The AppInstaller port: installs for the people in `can`, and records who it was asked for."""

    def __init__(self, *can: str) -> None:
        self.can = set(can)
        self.asked: list[str] = []

    async def install_for(self, aad_object_id: str) -> bool:
        self.asked.append(aad_object_id)
        return aad_object_id in self.can


async def test_an_approver_without_the_app_gets_it_installed_first(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    installer = RecordingInstaller(BRAM.aad_object_id)
    market = marketplace(uow_factory, clock, vocabulary, directory, installer=installer)
    klus_id = await confirmed_match(market, signup, CHANTAL)
    assert ("approval.approver", "Bram Jansen") not in await outbox(engine)  # no chat with Bram yet

    result = await market.approval_chores.tick()

    assert (result.sent, result.fallbacks, installer.asked) == (1, 0, [BRAM.aad_object_id])
    assert ("approval.approver", "Bram Jansen") in await outbox(engine)
    assert (await market.approval_chores.tick()).sent == 0  # once
    assert (await only_approval(uow_factory, klus_id)).approver_id == BRAM.aad_object_id


async def test_when_installing_fails_hr_approves_and_the_candidate_hears_why(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    installer = RecordingInstaller(ANNA.aad_object_id)  # Bram's Teams cannot get the app
    market = marketplace(uow_factory, clock, vocabulary, directory, installer=installer)
    await signup.meet(ANNA, None)
    klus_id = await confirmed_match(market, signup, CHANTAL, poster=DAAN, organisation="ermelo")

    first = await market.approval_chores.tick()
    second = await market.approval_chores.tick()

    assert (first.fallbacks, second.sent) == (1, 1)
    assert (await only_approval(uow_factory, klus_id)).approver_id == ANNA.aad_object_id
    queued = await outbox(engine)
    assert ("klus.approval_fallback_candidate", "Chantal Bakker") in queued
    assert ("approval.approver", "Anna de Vries") in queued


async def test_when_teams_cannot_deliver_the_card_hr_takes_over(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL, poster=DAAN, organisation="ermelo")
    assert await market.approval_chores.tick() == TickResult()  # Bram's card is on its way: nothing to do
    async with engine.begin() as connection:  # Teams said 403: Bram removed the app
        await connection.execute(
            text(
                "UPDATE outbox_deliveries SET status = 'unreachable' WHERE message_id IN "
                "(SELECT message_id FROM approval_cards WHERE person_id = :bram)"
            ),
            {"bram": BRAM.aad_object_id},
        )

    assert (await market.approval_chores.tick()).fallbacks == 1

    assert (await only_approval(uow_factory, klus_id)).approver_id == ANNA.aad_object_id
    queued = await outbox(engine)
    assert ("klus.approval_fallback_candidate", "Chantal Bakker") in queued
    assert ("approval.approver", "Anna de Vries") in queued
    assert await market.approval_chores.tick() == TickResult()


async def test_reminder_escalation_and_expiry_follow_the_working_days(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    # The demo policy: remind after 3 working days, escalate after 5, expire after 10.
    klus_id = await confirmed_match(market, signup, CHANTAL)  # Monday 23 November 2026
    approval = await only_approval(uow_factory, klus_id)

    clock.current += timedelta(days=2)  # Wednesday: 2 working days
    assert await market.approval_chores.tick() == TickResult()
    clock.current += timedelta(days=1)  # Thursday: 3
    assert (await market.approval_chores.tick()).reminded == 1
    assert (await market.approval_chores.tick()).reminded == 0  # once
    assert (
        sum(reason == "approval.approver" and name == "Bram Jansen" for reason, name in await outbox(engine))
        == 2
    )
    clock.current += timedelta(days=4)  # Monday 30 November: 5 working days (the weekend does not count)
    assert (await market.approval_chores.tick()).escalated == 1
    escalated = await only_approval(uow_factory, klus_id)
    # Bram has no manager above him: HR (Anna) has it now; Bram's card says so.
    assert escalated.approver_id == ANNA.aad_object_id and escalated.escalations == 1
    assert view(await market.approvals.show(BRAM, approval.id)).role == "other"
    assert await market.approvals.approve(BRAM, approval.id) != Refusal("approval_not_found")
    assert (await only_approval(uow_factory, klus_id)).pending
    clock.current += timedelta(days=7)  # Monday 7 December: 10 working days since the start

    assert (await market.approval_chores.tick()).expired == 1

    assert (await only_approval(uow_factory, klus_id)).status is ApprovalStatus.EXPIRED
    assert await interest_status(market, CHANTAL, klus_id) is InterestStatus.NOT_APPROVED
    queued = await outbox(engine)
    assert ("klus.approval_expired_candidate", "Chantal Bakker") in queued
    assert ("klus.approval_expired_poster", "Anna de Vries") in queued


async def test_a_reminder_waits_for_christmas_and_the_organisations_closed_days(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> None:
    demo = load_rules("demo")
    ermelo = replace(demo.of("ermelo"), calendar=WorkingCalendar(frozenset({date(2026, 12, 28)})))
    rules = Rules({**demo.by_organisation, "ermelo": ermelo}, demo.default)  # Chantal's organisation
    market = marketplace(uow_factory, clock, vocabulary, directory, rules=rules)
    clock.current = date(2026, 12, 23)  # a Wednesday
    await sign_up(signup, CHANTAL, start_date=date(2027, 1, 4), end_date=date(2027, 3, 31))
    klus = await posted(
        market,
        ANNA,
        organisation="harderwijk",
        start_date=date(2027, 1, 11),
        end_date=date(2027, 2, 26),
        interest_deadline=date(2026, 12, 30),
    )
    await interested(market, CHANTAL, klus.id)
    assert isinstance(await market.choosing.choose(ANNA, klus.id, CHANTAL.aad_object_id), CandidatesView)
    assert isinstance(await market.interest.confirm(CHANTAL, klus.id), KlusOffer)
    approval = await only_approval(uow_factory, klus.id)
    # 10 working days: 24, 29, 30, 31 December, (New Year's Day) 4 to 8 January, 11 January.
    assert view(await market.approvals.show(BRAM, approval.id)).expires_on == date(2027, 1, 11)

    clock.current = date(2026, 12, 29)  # Thursday 24 and Tuesday 29: Christmas, the weekend and
    assert (await market.approval_chores.tick()).reminded == 0  # Ermelo's closed Monday 28 do not count
    clock.current = date(2026, 12, 30)  # the third working day
    assert (await market.approval_chores.tick()).reminded == 1


# -- the klus around it -------------------------------------------------------------------------------


async def test_a_klus_waiting_for_approval_does_not_expire_at_its_deadline(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)
    clock.current += timedelta(days=8)  # past the deadline for interest (7 days)

    assert await market.chores.expire_overdue() == 0
    approval = await only_approval(uow_factory, klus_id)
    assert view(await market.approvals.approve(BRAM, approval.id)).status is ApprovalStatus.APPROVED
    [summary] = [s for s in await market.posting.mine(ANNA) if s.klus.id == klus_id]
    assert summary.klus.status is KlusStatus.FILLED


async def test_after_the_deadline_a_decline_lets_the_klus_expire(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)
    clock.current += timedelta(days=8)
    approval = await only_approval(uow_factory, klus_id)

    await market.approvals.decline(BRAM, approval.id, "Niet in december.")

    [summary] = [s for s in await market.posting.mine(ANNA) if s.klus.id == klus_id]
    assert summary.klus.status is KlusStatus.EXPIRED


async def test_cancelling_the_klus_ends_its_approval(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)

    await market.posting.cancel(ANNA, klus_id)

    approval = await only_approval(uow_factory, klus_id)
    assert approval.status is ApprovalStatus.CANCELLED
    assert view(await market.approvals.approve(BRAM, approval.id)).banner == "approval.already_decided"
    queued = await outbox(engine)
    assert ("klus.cancelled", "Chantal Bakker") in queued
    async with uow_factory() as uow:
        assert await uow.interests.commitments(CHANTAL.aad_object_id) == []


# -- privacy ------------------------------------------------------------------------------------------


async def test_a_manager_learns_nothing_until_a_confirmed_match_needs_them(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    await sign_up(signup, CHANTAL)
    klus = await posted(market, ANNA, organisation="harderwijk")
    await interested(market, CHANTAL, klus.id, "Ik notuleer graag.")
    await market.choosing.choose(ANNA, klus.id, CHANTAL.aad_object_id)

    async with engine.connect() as connection:
        to_bram = await connection.scalar(
            text(
                "SELECT count(*) FROM outbox_deliveries d JOIN people p ON p.id = d.person_id "
                "WHERE p.aad_object_id = :bram"
            ),
            {"bram": BRAM.aad_object_id},
        )
    async with uow_factory() as uow:
        seen_by = {e.viewer_id for e in await uow.access_log.for_subject(CHANTAL.aad_object_id)}
    assert to_bram == 0 and BRAM.aad_object_id not in seen_by
    assert isinstance(await market.choosing.candidates(BRAM, klus.id), Refusal)  # not his klus

    await market.interest.confirm(CHANTAL, klus.id)

    log = await market.approvals.access_log(CHANTAL)
    assert [(row.viewer_name, row.what) for row in log.rows if row.viewer_name == "Bram Jansen"] == [
        ("Bram Jansen", "approval")
    ]
    assert {row.what for row in log.rows if row.viewer_name == "Anna de Vries"} == {"candidacy"}


async def test_the_access_log_names_posters_who_saw_someone_once_a_day(
    market: Market, signup: SignupService, clock: FixedClock
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market, BRAM)
    for _ in range(3):
        await market.choosing.candidates(BRAM, klus.id)
    clock.current += timedelta(days=1)
    await market.choosing.candidates(BRAM, klus.id)

    log = await market.approvals.access_log(EVA)

    assert [(r.viewer_name, r.what, r.klus_title) for r in log.rows] == [
        ("Bram Jansen", "suggestion", "Notuleren bij de raad"),
        ("Bram Jansen", "suggestion", "Notuleren bij de raad"),
    ]
    assert log.rows[0].at > log.rows[1].at  # newest first
    assert (await market.approvals.access_log(BRAM)).rows == ()
