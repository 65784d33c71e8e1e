"""Posting, suggestions, interest, choosing, confirming and closing, against a real database."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.klus import InterestStatus, KlusDraft, KlusStatus, Visibility
from klussenbank.domain.people import WorkMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.contacts import contact_for
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import (
    CandidatesView,
    Contact,
    KlusFormView,
    KlusOffer,
    KlusView,
    OfferFilters,
    Refusal,
)
from tests.conftest import TODAY, FixedClock, concurrent_transactions, good_draft, writes
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, Market, marketplace


def klus_draft(**changes: Any) -> KlusDraft:
    base = KlusDraft(
        title="Notuleren bij de raad",
        description="Verslag maken van vier raadsvergaderingen.",
        organisation="ermelo",
        required_skills=("minute-taking",),
        nice_skills=("data-entry",),
        hours_per_week=8,
        start_date=TODAY + timedelta(days=14),
        end_date=TODAY + timedelta(days=60),
        work_mode=WorkMode.REMOTE,
        people_needed=1,
        interest_deadline=TODAY + timedelta(days=7),
        visibility=Visibility.POOL,
    )
    return dataclasses.replace(base, **changes)


async def sign_up(signup: SignupService, *actors: Actor, **changes: Any) -> None:
    for actor in actors:
        result = await signup.save(actor, good_draft(**changes))
        assert not isinstance(result, KlusFormView)


async def outbox(engine: AsyncEngine) -> list[tuple[str, str]]:
    """(reason, recipient's name) of every queued message, in order."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT m.reason, p.name FROM outbox_messages m "
                "JOIN outbox_deliveries d ON d.message_id = m.id JOIN people p ON p.id = d.person_id "
                "ORDER BY m.id"
            )
        )
        return [(reason, name) for reason, name in rows]


async def posted(market: Market, actor: Actor = BRAM, **changes: Any) -> KlusView:
    result = await market.posting.post(actor, klus_draft(**changes))
    assert isinstance(result, KlusView), result
    return result


async def approve_all(market: Market, approver: Actor, uow_factory: UnitOfWorkFactory) -> None:
    """The approver says yes to every approval waiting for them."""
    async with uow_factory() as uow:
        waiting = [a.id for a in await uow.approvals.pending() if a.approver_id == approver.aad_object_id]
    assert waiting
    for approval_id in waiting:
        result = await market.approvals.approve(approver, approval_id)
        assert not isinstance(result, Refusal), result


async def interested(market: Market, actor: Actor, klus_id: int, motivation: str = "") -> KlusOffer:
    result = await market.interest.show_interest(actor, klus_id, motivation)
    assert isinstance(result, KlusOffer), result
    return result


def banner(result: KlusOffer | Refusal) -> str:
    """A press that came too late or was not allowed: the klus comes back as it is now, with why."""
    assert isinstance(result, KlusOffer), result
    return result.banner


# -- posting ------------------------------------------------------------------------------------------


async def test_an_invalid_klus_comes_back_with_its_errors_and_nothing_is_saved(
    market: Market, engine: AsyncEngine
) -> None:
    result = await market.posting.post(BRAM, klus_draft(title="", hours_per_week=99, organisation="nowhere"))

    assert isinstance(result, KlusFormView)
    assert {e.field for e in result.errors} == {"title", "hours_per_week", "organisation"}
    assert result.values.description == "Verslag maken van vier raadsvergaderingen."
    assert await market.posting.mine(BRAM) == []
    assert await outbox(engine) == []


async def test_posting_tells_the_people_who_fit_and_not_the_poster_or_paused_people(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, ANNA, EVA, DAAN, BRAM)
    await signup.pause(DAAN, TODAY + timedelta(days=30))

    klus = await posted(market)

    assert klus.status is KlusStatus.OPEN
    told = sorted(name for reason, name in await outbox(engine) if reason == "klus.new")
    assert told == ["Anna de Vries", "Eva Smit"]


async def test_the_people_told_about_a_new_klus_are_queued_together(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, ANNA, EVA, DAAN, CHANTAL)

    with writes(engine) as written:
        await posted(market)

    told = sorted(name for reason, name in await outbox(engine) if reason == "klus.new")
    assert len(told) == 4 and len(set(told)) == 4  # one card each
    queued = [s for s in written if "outbox_" in s.split("(", 1)[0]]
    # The messages, then their deliveries: not a pair of round trips per person. (SQLite, with
    # no round trips to save, gets the messages one by one to learn their ids in order.)
    assert len(queued) == (2 if engine.dialect.name == "postgresql" else 5), queued


async def test_no_one_gets_more_suggestions_a_week_than_allowed(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    market = marketplace(uow_factory, clock, vocabulary, directory, suggestions_per_week=2)
    await sign_up(signup, EVA)
    for n in range(3):
        await posted(market, title=f"Klus {n}")

    assert [name for _, name in await outbox(engine)] == ["Eva Smit", "Eva Smit"]
    clock.current = TODAY + timedelta(days=8)  # a week later she may hear of new ones again
    await posted(market, title="Klus 4", interest_deadline=TODAY + timedelta(days=12))
    assert len(await outbox(engine)) == 3


async def test_one_tap_stops_suggestions(market: Market, signup: SignupService, engine: AsyncEngine) -> None:
    await sign_up(signup, EVA)
    assert await market.interest.stop_suggestions(EVA)
    assert not await market.interest.stop_suggestions(CHANTAL)  # no profile: nothing to change

    await posted(market)

    assert await outbox(engine) == []


async def test_a_new_klus_form_is_ready_to_post_once_it_has_a_title_and_skills(market: Market) -> None:
    form = await market.posting.form(BRAM)

    assert isinstance(form, KlusFormView) and form.values.organisation == "ermelo"
    # Partly on site needs a place: their own organisation, unless they say otherwise.
    assert (form.values.work_mode, form.values.place) == (WorkMode.HYBRID, "Gemeente Ermelo")
    filled = dataclasses.replace(
        form.values, title="Archief ordenen", description="Dozen scannen.", required_skills=("data-entry",)
    )
    assert isinstance(await market.posting.post(BRAM, filled), KlusView)
    remote = await market.posting.post(BRAM, dataclasses.replace(filled, work_mode=WorkMode.REMOTE))
    assert isinstance(remote, KlusView) and remote.place == ""  # no place of work to show


async def test_only_the_poster_edits_and_an_edit_keeps_the_id(market: Market) -> None:
    klus = await posted(market)

    assert await market.posting.form(EVA, klus.id) == Refusal("klus_not_found")
    assert await market.posting.post(EVA, klus_draft(title="Overgenomen"), klus.id) == Refusal(
        "klus_not_found"
    )
    form = await market.posting.form(BRAM, klus.id)
    assert isinstance(form, KlusFormView) and form.values.title == "Notuleren bij de raad"
    changed = await market.posting.post(BRAM, klus_draft(title="Notuleren, vijf vergaderingen"), klus.id)

    assert isinstance(changed, KlusView) and changed.id == klus.id
    assert [s.klus.title for s in await market.posting.mine(BRAM)] == ["Notuleren, vijf vergaderingen"]


# -- finding and interest ----------------------------------------------------------------------------


async def test_open_klussen_are_ranked_with_their_reasons_and_filtered(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, EVA)  # she works from home only
    await posted(market, title="Past goed")
    await posted(market, title="Deels op locatie", work_mode=WorkMode.HYBRID, place="Ermelo")
    await posted(market, title="Op locatie", work_mode=WorkMode.ON_SITE, place="Ermelo")

    offers = (await market.interest.offers(EVA)).offers
    assert [o.klus.title for o in offers] == ["Past goed", "Deels op locatie"]  # never the on-site one
    assert offers[0].match is not None and offers[0].match.reasons
    assert offers[0].match.score > offers[1].match.score  # type: ignore[union-attr]

    async def titles(**filters: Any) -> list[str]:
        return [o.klus.title for o in (await market.interest.offers(EVA, OfferFilters(**filters))).offers]

    assert await titles(remote=True) == ["Past goed", "Deels op locatie"]
    assert await titles(organisation="zeewolde") == []
    assert await titles(max_hours=4) == []


async def test_own_organisation_klus_is_invisible_to_other_organisations(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market, visibility=Visibility.ORGANISATION)

    assert await market.interest.offer(EVA, klus.id) == Refusal("klus_not_found")
    assert await market.interest.show_interest(EVA, klus.id, "") == Refusal("klus_not_found")


async def test_interest_with_motivation_reaches_the_poster(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)

    offer = await interested(market, EVA, klus.id, "  Ik notuleer al jaren.  ")

    assert offer.interest is InterestStatus.INTERESTED and offer.motivation == "Ik notuleer al jaren."
    assert ("klus.interest", "Bram Jansen") in await outbox(engine)
    assert banner(await market.interest.show_interest(EVA, klus.id, "nog eens")) == "refusal.already_done"


async def test_bad_interest_changes_nothing(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)
    before = await outbox(engine)

    assert (
        banner(await market.interest.show_interest(EVA, klus.id, "x" * 1001)) == "refusal.motivation_too_long"
    )
    assert banner(await market.interest.show_interest(BRAM, klus.id, "")) == "refusal.own_klus"
    assert (
        banner(await market.interest.show_interest(CHANTAL, klus.id, "")) == "refusal.interest_needs_profile"
    )
    assert await market.interest.show_interest(EVA, 999, "") == Refusal("klus_not_found")
    assert await outbox(engine) == before
    candidates = await market.choosing.candidates(BRAM, klus.id)
    assert isinstance(candidates, CandidatesView)
    assert all(row.interest is None for row in candidates.candidates)
    # The poster reads what each wrote about themselves when signing up.
    assert [row.intro for row in candidates.candidates] == ["Ik notuleer graag en ken gebarentaal."]


async def test_interest_can_be_withdrawn_and_shown_again(market: Market, signup: SignupService) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)
    await interested(market, EVA, klus.id)

    withdrawn = await market.interest.withdraw_interest(EVA, klus.id)
    assert isinstance(withdrawn, KlusOffer) and withdrawn.interest is InterestStatus.WITHDRAWN
    assert banner(await market.interest.withdraw_interest(EVA, klus.id)) == "refusal.already_done"
    assert (await interested(market, EVA, klus.id)).interest is InterestStatus.INTERESTED


# -- the poster's candidates ---------------------------------------------------------------------------


async def test_the_poster_never_sees_their_own_reports_as_suggestions_unless_they_allow_it(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, CHANTAL, DAAN, EVA)
    await sign_up(signup, DAAN, visible_to_own_line=True)
    klus = await posted(market)

    view = await market.choosing.candidates(BRAM, klus.id)

    assert isinstance(view, CandidatesView)
    assert sorted(row.name for row in view.candidates) == ["Daan Visser", "Eva Smit"]


async def test_someone_from_the_own_line_who_shows_interest_is_seen(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, CHANTAL)
    klus = await posted(market)
    await interested(market, CHANTAL, klus.id, "Lijkt me leuk")

    view = await market.choosing.candidates(BRAM, klus.id)

    assert isinstance(view, CandidatesView)
    assert [(r.name, r.interest, r.motivation) for r in view.candidates] == [
        ("Chantal Bakker", InterestStatus.INTERESTED, "Lijkt me leuk")
    ]


async def test_nobody_but_the_poster_sees_the_candidates(market: Market, signup: SignupService) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)

    for actor in (ANNA, CHANTAL, EVA):
        assert await market.choosing.candidates(actor, klus.id) == Refusal("klus_not_found")


async def test_inviting_a_suggestion_sends_an_invitation_once(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)

    view = await market.choosing.invite(BRAM, klus.id, EVA.aad_object_id)

    assert isinstance(view, CandidatesView)
    assert [(r.name, r.interest) for r in view.candidates] == [("Eva Smit", InterestStatus.INVITED)]
    assert ("klus.invite", "Eva Smit") in await outbox(engine)
    assert await market.choosing.invite(BRAM, klus.id, EVA.aad_object_id) == Refusal("already_done")
    assert await market.choosing.invite(EVA, klus.id, EVA.aad_object_id) == Refusal("klus_not_found")
    assert await market.choosing.invite(BRAM, klus.id, CHANTAL.aad_object_id) == Refusal("candidate_unknown")
    assert (await interested(market, EVA, klus.id)).interest is InterestStatus.INTERESTED


# -- choosing, confirming, closing -------------------------------------------------------------------


async def test_the_whole_way_from_interest_to_a_filled_klus(
    market: Market,
    signup: SignupService,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await sign_up(signup, ANNA, EVA, DAAN)
    klus = await posted(market)
    other = await posted(market, title="Archief ordenen", required_skills=("data-entry",))
    for actor in (ANNA, EVA, DAAN):
        await interested(market, actor, klus.id)

    assert await market.choosing.choose(EVA, klus.id, EVA.aad_object_id) == Refusal("klus_not_found")
    chosen = await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)
    assert isinstance(chosen, CandidatesView) and chosen.chosen == 1
    assert await market.choosing.choose(BRAM, klus.id, ANNA.aad_object_id) == Refusal("choose_full")
    assert banner(await market.interest.confirm(ANNA, klus.id)) == "refusal.not_chosen_yet"

    confirmed = await market.interest.confirm(EVA, klus.id)

    assert isinstance(confirmed, KlusOffer)
    assert confirmed.interest is InterestStatus.CONFIRMED
    assert confirmed.klus.status is KlusStatus.OPEN  # the place is taken, the approval follows
    assert banner(await market.interest.confirm(EVA, klus.id)) == "refusal.already_done"  # a second click
    queued = await outbox(engine)
    assert ("klus.chosen", "Eva Smit") in queued
    # Eva has no line manager: HR (Anna) approves; Eva and Bram see the status.
    assert [q for q in queued if q[0].startswith("approval.")] == [
        ("approval.candidate", "Eva Smit"),
        ("approval.poster", "Bram Jansen"),
        ("approval.approver", "Anna de Vries"),
    ]
    assert not [q for q in queued if q[0] == "klus.not_chosen"]  # not before the approval

    await approve_all(market, ANNA, uow_factory)

    queued = await outbox(engine)
    assert sorted(name for reason, name in queued if reason == "klus.not_chosen") == [
        "Anna de Vries",
        "Daan Visser",
    ]
    for actor in (ANNA, DAAN):
        offer = await market.interest.offer(actor, klus.id)
        assert isinstance(offer, KlusOffer) and offer.interest is InterestStatus.NOT_CHOSEN
    [summary] = [s for s in await market.posting.mine(BRAM) if s.klus.id == klus.id]
    assert summary.klus.status is KlusStatus.FILLED
    assert (summary.interested, summary.chosen, summary.confirmed) == (3, 0, 1)
    assert other.status is KlusStatus.OPEN


async def contents(engine: AsyncEngine, reason: str) -> list[str]:
    """The queued cards with this reason, as JSON text, with their recipients' names in front."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT p.name, m.content FROM outbox_messages m JOIN outbox_deliveries d "
                "ON d.message_id = m.id JOIN people p ON p.id = d.person_id WHERE m.reason = :reason"
            ),
            {"reason": reason},
        )
        return [f"{name}: {content}" for name, content in rows]


async def test_only_the_sides_of_a_match_get_each_others_contact(
    market: Market, signup: SignupService, engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    await sign_up(signup, ANNA, EVA, DAAN)
    klus = await posted(market)
    for actor in (ANNA, EVA):
        await interested(market, actor, klus.id)
    before = await market.choosing.candidates(BRAM, klus.id)
    assert isinstance(before, CandidatesView) and all(r.contact is None for r in before.candidates)

    after = await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)

    assert isinstance(after, CandidatesView)
    assert {r.name: r.contact for r in after.candidates} == {
        "Eva Smit": Contact("Eva Smit", "eva.smit@zeewolde.example", EVA.aad_object_id),
        "Anna de Vries": None,
    }  # (Daan is in Bram's own line: not suggested to him)
    bram = Contact("Bram Jansen", "bram.jansen@ermelo.example", BRAM.aad_object_id)
    offers = {actor.name: await market.interest.offer(actor, klus.id) for actor in (EVA, ANNA, DAAN)}
    assert {name: o.contact for name, o in offers.items() if isinstance(o, KlusOffer)} == {
        "Eva Smit": bram,
        "Anna de Vries": None,
        "Daan Visser": None,
    }
    [chosen] = await contents(engine, "klus.chosen")
    assert chosen.startswith("Eva Smit:") and "l/chat/0/0?users=bram.jansen%40ermelo.example" in chosen

    await market.interest.confirm(EVA, klus.id)
    await approve_all(market, ANNA, uow_factory)  # Eva has no line manager: HR approves

    [to_eva] = await contents(engine, "klus.approval_approved_candidate")
    [to_bram] = await contents(engine, "klus.approval_approved_poster")
    assert "users=bram.jansen%40ermelo.example" in to_eva and "mailto:bram.jansen@ermelo.example" in to_eva
    assert "users=eva.smit%40zeewolde.example" in to_bram
    # The approver, and everyone else, gets no contact: only the two sides of the match.
    for reason in ("approval.approver", "klus.not_chosen", "klus.new"):
        assert not [c for c in await contents(engine, reason) if "l/chat/0/0" in c], reason
    async with uow_factory() as uow:
        stored = await uow.klussen.get(klus.id)
        assert stored is not None
        assert await contact_for(uow, stored, ANNA.aad_object_id, EVA.aad_object_id) is None
        assert await contact_for(uow, stored, ANNA.aad_object_id, BRAM.aad_object_id) is None


async def test_a_full_klus_takes_no_more_invitations(market: Market, signup: SignupService) -> None:
    await sign_up(signup, ANNA, EVA)
    klus = await posted(market)
    await interested(market, EVA, klus.id)
    await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)

    assert await market.choosing.invite(BRAM, klus.id, ANNA.aad_object_id) == Refusal("choose_full")


async def test_a_kind_no_names_other_klussen_that_fit(
    market: Market,
    signup: SignupService,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await sign_up(signup, ANNA, EVA)
    klus = await posted(market)
    await posted(market, title="Archief ordenen")
    for actor in (ANNA, EVA):
        await interested(market, actor, klus.id)
    await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)
    await market.interest.confirm(EVA, klus.id)
    await approve_all(market, ANNA, uow_factory)

    async with engine.connect() as connection:
        result = await connection.execute(
            text("SELECT content FROM outbox_messages WHERE reason = 'klus.not_chosen'")
        )
        [card] = [json.dumps(row[0]) for row in result]
    assert "Archief ordenen" in card  # the other klus that fits Anna
    assert "Deze keer is er iemand anders gekozen" in card


async def test_a_decline_lets_the_poster_choose_again(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, ANNA, EVA)
    klus = await posted(market)
    for actor in (ANNA, EVA):
        await interested(market, actor, klus.id)
    await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)

    declined = await market.interest.decline(EVA, klus.id)

    assert isinstance(declined, KlusOffer) and declined.interest is InterestStatus.DECLINED
    assert ("klus.declined", "Bram Jansen") in await outbox(engine)
    assert isinstance(await market.choosing.choose(BRAM, klus.id, ANNA.aad_object_id), CandidatesView)
    assert banner(await market.interest.confirm(EVA, klus.id)) == "klus.moved_on.changed"


async def test_cancelling_tells_everyone_who_showed_interest(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, ANNA, EVA)
    klus = await posted(market)
    await interested(market, EVA, klus.id)

    assert await market.posting.cancel(EVA, klus.id) == Refusal("klus_not_found")
    cancelled = await market.posting.cancel(BRAM, klus.id)

    assert isinstance(cancelled, KlusView) and cancelled.status is KlusStatus.CANCELLED
    assert [name for reason, name in await outbox(engine) if reason == "klus.cancelled"] == ["Eva Smit"]
    assert await market.posting.cancel(BRAM, klus.id) == Refusal("already_done")
    assert banner(await market.interest.show_interest(ANNA, klus.id, "")) == "klus.moved_on.cancelled"


async def test_a_klus_expires_after_its_deadline_and_the_poster_hears_what_next(
    market: Market, signup: SignupService, engine: AsyncEngine, clock: FixedClock
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)
    await interested(market, EVA, klus.id)

    assert await market.chores.expire_overdue() == 0
    clock.current = TODAY + timedelta(days=8)
    assert await market.chores.expire_overdue() == 1
    assert await market.chores.expire_overdue() == 0

    [summary] = await market.posting.mine(BRAM)
    assert summary.klus.status is KlusStatus.EXPIRED
    queued = await outbox(engine)
    assert ("klus.expired", "Bram Jansen") in queued
    assert ("klus.closed", "Eva Smit") in queued


async def test_a_press_on_an_old_card_shows_the_klus_as_it_is_now(
    market: Market,
    signup: SignupService,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    await sign_up(signup, ANNA, EVA, DAAN)
    klus = await posted(market)
    for actor in (EVA, DAAN):
        await interested(market, actor, klus.id)
    await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)
    assert banner(await market.interest.withdraw_interest(EVA, klus.id)) == "klus.moved_on.changed"  # chosen
    await market.interest.confirm(EVA, klus.id)
    await approve_all(market, ANNA, uow_factory)
    before = await outbox(engine)

    # Daan was not chosen; his card from before still offers to withdraw.
    daan = await market.interest.withdraw_interest(DAAN, klus.id)
    assert isinstance(daan, KlusOffer) and daan.banner == "klus.moved_on.filled"
    assert (daan.interest, daan.klus.status) == (InterestStatus.NOT_CHOSEN, KlusStatus.FILLED)
    assert daan.klus.title == klus.title
    assert banner(await market.interest.show_interest(ANNA, klus.id, "")) == "klus.moved_on.filled"
    # Eva's match is approved: her old cards cannot undo it, and say where she stands now.
    eva = await market.interest.withdraw_interest(EVA, klus.id)
    assert isinstance(eva, KlusOffer) and eva.banner == "klus.moved_on.changed"
    assert (eva.interest, eva.work_done) == (InterestStatus.APPROVED, False)
    assert banner(await market.interest.confirm(EVA, klus.id)) == "klus.moved_on.changed"
    assert banner(await market.interest.decline(EVA, klus.id)) == "klus.moved_on.changed"
    # To someone who is not in it, the klus still does not exist.
    assert await market.interest.withdraw_interest(ANNA, klus.id) == Refusal("klus_not_found")
    assert await market.interest.confirm(ANNA, klus.id) == Refusal("klus_not_found")
    assert await market.interest.withdraw_interest(DAAN, 999) == Refusal("klus_not_found")
    assert await outbox(engine) == before  # nothing changed

    async with uow_factory() as uow:
        [approval] = await uow.approvals.for_klus(klus.id)
        await uow.approvals.save(dataclasses.replace(approval, completed_at=clock.now()), now=clock.now())
        await uow.commit()
    done = await market.interest.offer(EVA, klus.id)
    assert isinstance(done, KlusOffer) and (done.interest, done.work_done) == (InterestStatus.APPROVED, True)


async def test_after_the_deadline_nobody_is_offered_to_show_interest(
    market: Market, signup: SignupService, clock: FixedClock
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)
    offer = await market.interest.offer(EVA, klus.id)
    assert isinstance(offer, KlusOffer) and offer.accepts_interest

    clock.current = TODAY + timedelta(days=8)  # past the deadline, before the chore closes it

    late = await market.interest.show_interest(EVA, klus.id, "")
    assert isinstance(late, KlusOffer) and late.banner == "klus.moved_on.expired"
    assert (late.interest, late.accepts_interest) == (None, False)


# -- capacity ---------------------------------------------------------------------------------------


async def test_confirming_needs_free_hours(market: Market, signup: SignupService) -> None:
    await sign_up(signup, EVA, hours_per_week=12)
    first, second = await posted(market, title="Eerste"), await posted(market, title="Tweede")
    for klus in (first, second):
        await interested(market, EVA, klus.id)
        await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)

    assert isinstance(await market.interest.confirm(EVA, first.id), KlusOffer)
    assert banner(await market.interest.confirm(EVA, second.id)) == "refusal.no_hours_left"
    offer = await market.interest.offer(EVA, second.id)
    assert isinstance(offer, KlusOffer) and offer.interest is InterestStatus.CHOSEN


async def test_two_confirmations_for_the_last_hours_at_once_only_one_wins(
    market: Market, signup: SignupService, database_url: str
) -> None:
    concurrent_transactions(database_url)
    await sign_up(signup, EVA, hours_per_week=8)
    first, second = await posted(market, title="Eerste"), await posted(market, title="Tweede")
    for klus in (first, second):
        await interested(market, EVA, klus.id)
        await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)

    results = await asyncio.gather(
        market.interest.confirm(EVA, first.id), market.interest.confirm(EVA, second.id)
    )

    assert sorted(banner(r) for r in results) == ["", "refusal.no_hours_left"]
    assert [r.interest for r in results if isinstance(r, KlusOffer) and not r.banner] == [
        InterestStatus.CONFIRMED
    ]


async def test_one_persons_history_is_their_part_of_everyones(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    await sign_up(signup, ANNA, EVA)
    klus = await posted(market)
    for actor in (ANNA, EVA):
        await interested(market, actor, klus.id)
    await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)
    await market.interest.confirm(EVA, klus.id)
    await approve_all(market, ANNA, uow_factory)

    since = clock.now() - timedelta(days=90)
    async with uow_factory() as uow:
        everyone = await uow.interests.history(since)
        for actor in (ANNA, EVA):
            person = actor.aad_object_id
            assert await uow.interests.history(since, [person]) == {person: everyone[person]}
    assert (everyone[EVA.aad_object_id].recent_matches, everyone[ANNA.aad_object_id].times_passed_over) == (
        1,
        1,
    )
