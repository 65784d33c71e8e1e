"""Taking effect once: a card's one-time key makes a second press (also one at the same moment) change
nothing and get what the first made; and first contact never fails on a unique key."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.announcement import AnnouncementDraft
from klussenbank.domain.approval import EventKind
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.once import ALREADY_DONE, Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import (
    ApprovalView,
    CandidatesView,
    KlusFormView,
    KlusOffer,
    KlusView,
    ProfileView,
    ReportView,
)
from tests.conftest import FixedClock, good_draft
from tests.services.conftest import (
    ANNA,
    BRAM,
    CHANTAL,
    EVA,
    TENANT,
    Market,
    announcement_chores,
    announcement_service,
    privacy_service,
    work_service,
)
from tests.services.test_announcements import KLUSSEN_CHANNEL, draft, in_team, with_chats
from tests.services.test_approvals import approved_match, confirmed_match, only_approval
from tests.services.test_klussen import interested, klus_draft, posted, sign_up

KEY = "k3y-0f-a-card-000001"


async def count(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text(sql)) or 0)


async def messages(engine: AsyncEngine, reason: str) -> int:
    return await count(engine, f"SELECT count(*) FROM outbox_messages WHERE reason = '{reason}'")


# -- posting a klus -----------------------------------------------------------------------------------


async def test_a_second_press_of_post_klus_gets_the_first_klus_and_posts_nothing(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, CHANTAL, EVA)
    first = await market.posting.post(BRAM, klus_draft(), once=KEY)
    assert isinstance(first, KlusView)
    suggestions = await messages(engine, "klus.new")
    assert suggestions > 0

    second = await market.posting.post(BRAM, klus_draft(title="Iets anders"), once=KEY)

    assert isinstance(second, Repeated)
    assert (second.result.id, second.result.title) == (first.id, first.title)
    assert await count(engine, "SELECT count(*) FROM klussen") == 1
    assert await messages(engine, "klus.new") == suggestions


async def test_two_presses_of_post_klus_at_the_same_moment_post_one_klus(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    """On PostgreSQL the later transaction waits for the first's key; on SQLite for its write lock."""
    await sign_up(signup, CHANTAL, EVA)

    results = await asyncio.gather(*(market.posting.post(BRAM, klus_draft(), once=KEY) for _ in range(2)))

    made = [r for r in results if isinstance(r, KlusView)]
    again = [r for r in results if isinstance(r, Repeated)]
    assert len(made) == 1 and len(again) == 1, results
    assert again[0].result.id == made[0].id
    assert await count(engine, "SELECT count(*) FROM klussen") == 1


async def test_a_refused_form_does_not_use_up_its_key(market: Market, engine: AsyncEngine) -> None:
    wrong = await market.posting.post(BRAM, klus_draft(title=""), once=KEY)
    assert isinstance(wrong, KlusFormView)

    right = await market.posting.post(BRAM, klus_draft(), once=KEY)

    assert isinstance(right, KlusView)
    assert await count(engine, "SELECT count(*) FROM klussen") == 1


async def test_a_key_belongs_to_its_actor(market: Market, engine: AsyncEngine) -> None:
    """Someone else sending the same key posts their own klus, and never sees the first one."""
    bram = await market.posting.post(BRAM, klus_draft(), once=KEY)
    eva = await market.posting.post(EVA, klus_draft(title="Eva's klus", organisation="zeewolde"), once=KEY)

    assert isinstance(bram, KlusView) and isinstance(eva, KlusView)
    assert (eva.title, eva.poster_name) == ("Eva's klus", "Eva Smit")
    assert await count(engine, "SELECT count(*) FROM klussen") == 2


async def test_a_key_reused_on_another_action_shows_nothing_of_the_first(
    market: Market, signup: SignupService
) -> None:
    """A key forged from a klus form onto a candidate's button: nothing happens, nothing leaks."""
    await sign_up(signup, EVA)
    klus = await posted(market)
    await interested(market, EVA, klus.id)
    other = await posted(market, title="Tweede")
    await market.posting.post(BRAM, klus_draft(title="Derde"), once=KEY)

    result = await market.choosing.choose(BRAM, other.id, EVA.aad_object_id, once=KEY)

    assert isinstance(result, Repeated) and result.result.klus.id == other.id  # only the card's own klus


# -- announcements ------------------------------------------------------------------------------------


async def announce(market: Market, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> AnnouncementDraft:
    await in_team(announcement_chores(uow_factory, clock))
    await with_chats(uow_factory, clock, BRAM, CHANTAL)
    return draft(channels=(KLUSSEN_CHANNEL.conversation_id,), organisations=("ermelo",))


async def test_send_pressed_twice_at_once_sends_one_announcement(
    market: Market,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    announcements = announcement_service(uow_factory, clock, directory)
    what = await announce(market, uow_factory, clock)

    results = await asyncio.gather(
        *(announcements.publish(ANNA, what, scheduled=False, once=KEY) for _ in range(2))
    )

    sent = [r for r in results if isinstance(r, ReportView)]
    again = [r for r in results if isinstance(r, Repeated)]
    assert len(sent) == 1 and len(again) == 1, results
    assert again[0].result.banner == ALREADY_DONE
    assert await count(engine, "SELECT count(*) FROM announcements") == 1
    assert await messages(engine, "announcement") == 1
    assert await messages(engine, "announcement.report") == 1


async def test_plan_after_send_on_the_same_preview_is_already_done(
    market: Market,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    announcements = announcement_service(uow_factory, clock, directory)
    what = await announce(market, uow_factory, clock)
    assert isinstance(await announcements.publish(ANNA, what, scheduled=False, once=KEY), ReportView)

    later = what.__class__(**{**what.__dict__, "send_date": clock.today() + timedelta(days=2)})
    again = await announcements.publish(ANNA, later, scheduled=True, once=KEY)

    assert isinstance(again, Repeated)
    assert await count(engine, "SELECT count(*) FROM announcements") == 1


# -- interest, choosing, confirming, signing up -------------------------------------------------------


async def test_interest_pressed_twice_at_once_tells_the_poster_once(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)

    results = await asyncio.gather(
        *(market.interest.show_interest(EVA, klus.id, "Graag!", once=KEY) for _ in range(2))
    )

    assert sorted(r.banner for r in results if isinstance(r, KlusOffer)) == ["", ALREADY_DONE]
    assert await messages(engine, "klus.interest") == 1


async def test_choose_pressed_twice_at_once_tells_the_candidate_once(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)
    await interested(market, EVA, klus.id)

    results = await asyncio.gather(
        *(market.choosing.choose(BRAM, klus.id, EVA.aad_object_id, once=KEY) for _ in range(2))
    )

    assert sorted(type(r).__name__ for r in results) == ["CandidatesView", "Repeated"]
    assert all(isinstance(r, CandidatesView) or isinstance(r.result, CandidatesView) for r in results)
    assert await messages(engine, "klus.chosen") == 1


async def test_confirm_pressed_twice_at_once_asks_for_approval_once(
    market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, EVA)
    klus = await posted(market)
    await interested(market, EVA, klus.id)
    await market.choosing.choose(BRAM, klus.id, EVA.aad_object_id)

    results = await asyncio.gather(*(market.interest.confirm(EVA, klus.id, once=KEY) for _ in range(2)))

    assert sorted(r.banner for r in results if isinstance(r, KlusOffer)) == ["", ALREADY_DONE]
    assert await count(engine, "SELECT count(*) FROM approvals") == 1


async def test_sign_up_pressed_twice_at_once_saves_one_profile(
    signup: SignupService, engine: AsyncEngine
) -> None:
    results = await asyncio.gather(*(signup.save(CHANTAL, good_draft(), once=KEY) for _ in range(2)))

    assert sorted(type(r).__name__ for r in results) == ["ProfileView", "Repeated"]
    assert all(isinstance(r, ProfileView) or isinstance(r.result, ProfileView) for r in results)
    assert await count(engine, "SELECT count(*) FROM availability_profiles") == 1


# -- keys are personal data too ---------------------------------------------------------------------


async def test_erasure_forgets_the_persons_keys_and_the_purge_old_ones(
    market: Market, uow_factory: UnitOfWorkFactory, clock: FixedClock, engine: AsyncEngine
) -> None:
    await market.posting.post(BRAM, klus_draft(), once=KEY)
    await market.posting.post(EVA, klus_draft(organisation="zeewolde"), once=KEY)
    privacy = privacy_service(uow_factory, clock, market.chores)

    await privacy.erase(EVA)
    assert await count(engine, "SELECT count(*) FROM once_keys") == 1

    clock.current += timedelta(days=40)
    assert (await privacy.purge())["once_keys"] == 1
    assert await count(engine, "SELECT count(*) FROM once_keys") == 0


# -- first contact ------------------------------------------------------------------------------------


async def test_first_contacts_at_once_from_a_new_organisation_never_fail(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, vocabulary: object, engine: AsyncEngine
) -> None:
    """Install events and a first message of ten new people, none in the directory, all at once:
    one organisation, ten people, each welcomed exactly once."""
    service = SignupService(
        uow_factory,
        clock=clock,
        vocabulary=vocabulary,  # type: ignore[arg-type]
        directory=FileDirectory({"organisations": [], "people": []}),
        default_organisation="nieuw",
    )
    people = [Actor(f"00000000-0000-0000-0000-{i:012d}", TENANT, f"Nieuw {i}", "nl-NL") for i in range(10)]

    welcomes = await asyncio.gather(*(service.meet(p, None) for p in people for _ in range(3)))

    assert sum(w is not None for w in welcomes) == 10
    assert await count(engine, "SELECT count(*) FROM organisations WHERE key = 'nieuw'") == 1
    assert await count(engine, "SELECT count(*) FROM people") == 10


# -- approving, ending the work -----------------------------------------------------------------------


async def test_approve_and_decline_pressed_at_once_on_one_card_decide_once(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    klus_id = await confirmed_match(market, signup, CHANTAL)
    approval = await only_approval(uow_factory, klus_id)

    results = await asyncio.gather(
        market.approvals.approve(BRAM, approval.id, once=KEY),
        market.approvals.decline(BRAM, approval.id, "Geen tijd", once=KEY),
    )

    banners = sorted(r.banner for r in results if isinstance(r, ApprovalView))
    assert len(banners) == 2 and banners.count("approval.already_decided") == 1, results
    async with uow_factory() as uow:
        events = [e.kind for e in await uow.approvals.events(approval.id)]
    assert len([e for e in events if e in (EventKind.APPROVED, EventKind.DECLINED)]) == 1


async def test_ending_the_work_pressed_twice_at_once_asks_for_evaluations_once(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    approval_id = await approved_match(market, signup, uow_factory)
    work = work_service(uow_factory, clock, vocabulary, directory)

    results = await asyncio.gather(*(work.complete(ANNA, approval_id, once=KEY) for _ in range(2)))

    assert sorted(results) == [False, True]
    assert await messages(engine, "work.evaluation") == 2  # one for each side
