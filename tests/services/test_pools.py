"""Pools run by a coordinator against a real database: membership, the approval of a flex worker
without a line manager, onboarding, qualifications, unavailable periods."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.cards.elements import new_once_key
from klussenbank.data import PolicyFileError, load_rules
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.pool_roles import check_pools
from klussenbank.services.pools import LackingView, PeriodDraft, PoolService, PoolView, QualificationDraft
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import KlusOffer, Refusal
from tests.bot.conftest import snapshot
from tests.conftest import FixedClock, statements
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, Market
from tests.services.test_approvals import confirmed_match, only_approval
from tests.services.test_klussen import outbox, posted, sign_up

POOL = "flexpool-burgerzaken"  # the demo's: Ermelo and Harderwijk, run by Bram


async def test_a_flex_worker_without_a_line_manager_is_approved_by_the_pools_coordinator(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        assert await uow.pool_people.add_member(
            POOL, EVA.aad_object_id, by=BRAM.aad_object_id, now=clock.now()
        )
        assert not await uow.pool_people.add_member(
            POOL, EVA.aad_object_id, by=BRAM.aad_object_id, now=clock.now()
        )
        await uow.commit()

    klus_id = await confirmed_match(market, signup, EVA, poster=DAAN, organisation="ermelo")

    approval = await only_approval(uow_factory, klus_id)
    assert approval.approver_id == BRAM.aad_object_id  # not HR: Eva has no manager, Bram runs her pool
    async with uow_factory() as uow:
        assert [e.kind.value for e in await uow.approvals.events(approval.id)] == ["fallback"]
        assert await uow.pool_people.pools_of(EVA.aad_object_id) == [POOL]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("ermelo", "erm3lo"), "[pools.flex] organisations: 'erm3lo' is not an organisation"),
        (
            ("bram.jansen@", "bram.jansens@"),
            "[pools.flex] coordinators: 'bram.jansens@ermelo.example' is not",
        ),
    ],
)
async def test_a_pool_naming_an_unknown_organisation_or_coordinator_stops_the_start(
    tmp_path: Path, directory: FileDirectory, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "organisations.toml"
    good = '[pools.flex]\norganisations = ["ermelo", "harderwijk"]\ncoordinators = ["bram.jansen@ermelo.example"]\n'
    path.write_text(good, encoding="utf-8")
    await check_pools(load_rules(str(path)), directory)  # as it should be
    path.write_text(good.replace(*change), encoding="utf-8")
    with pytest.raises(PolicyFileError) as raised:
        await check_pools(load_rules(str(path)), directory)
    assert str(path) in str(raised.value) and message in str(raised.value)


async def members_view(pools: PoolService, actor: Actor = BRAM) -> PoolView:
    view = await pools.overview(actor)
    assert isinstance(view, PoolView), view
    return view


async def test_a_flex_worker_is_onboarded_step_by_step_and_counts_as_ready_only_at_the_end(
    pools: PoolService, signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    view = await pools.add_member(BRAM, "", "eva.smit@zeewolde.example", new_once_key())
    assert isinstance(view, PoolView) and view.banner == "pools.member_added"
    [eva] = view.members
    assert (eva.name, eva.steps_done, eva.steps_to_go) == (
        "Eva Smit",
        (),
        ("4 trainingsdagen", "2 weken inwerken bij Chantal Bakker"),
    )
    once = new_once_key()
    for _ in range(2):  # a double click ticks it off once
        view = await pools.tick_step(BRAM, POOL, EVA.aad_object_id, "4 trainingsdagen", once)
        assert isinstance(view, PoolView)
    assert view.members[0].steps_to_go == ("2 weken inwerken bij Chantal Bakker",)
    view = await pools.tick_step(
        BRAM, POOL, EVA.aad_object_id, "2 weken inwerken bij Chantal Bakker", new_once_key()
    )
    assert isinstance(view, PoolView) and view.members[0].steps_to_go == ()
    mine = await pools.mine(EVA)
    assert [(p.key, done, to_go) for p, done, to_go in mine.pools] == [
        (POOL, ("2 weken inwerken bij Chantal Bakker", "4 trainingsdagen"), ())
    ]
    async with uow_factory() as uow:  # the coordinator's look is in Eva's access log
        assert {(e.viewer_id, e.what) for e in await uow.access_log.for_subject(EVA.aad_object_id)} == {
            (BRAM.aad_object_id, "pool")
        }


async def test_only_the_pools_coordinator_manages_it(pools: PoolService, engine: AsyncEngine) -> None:
    await pools.add_member(BRAM, POOL, "eva.smit@zeewolde.example", new_once_key())
    before = await snapshot(engine)
    for attempt in (
        pools.overview(DAAN),
        pools.add_member(DAAN, POOL, "chantal.bakker@ermelo.example", new_once_key()),
        pools.tick_step(DAAN, POOL, EVA.aad_object_id, "4 trainingsdagen", new_once_key()),
        pools.lacking(DAAN),
        pools.record_qualification(
            DAAN, POOL, QualificationDraft(EVA.aad_object_id, "VOG", date(2026, 1, 5)), new_once_key()
        ),
    ):
        assert await attempt == Refusal("pools.not_coordinator")
    # Not a member, or a step the pool does not have: refused.
    assert await pools.tick_step(BRAM, POOL, CHANTAL.aad_object_id, "4 trainingsdagen", None) == Refusal(
        "pools.not_a_member"
    )
    assert await pools.tick_step(BRAM, POOL, EVA.aad_object_id, "1 dag snuffelen", None) == Refusal(
        "pools.not_a_member"
    )
    assert await snapshot(engine) == before


@pytest.mark.parametrize(
    ("obtained", "expires", "name", "error"),
    [
        (date(2026, 6, 1), date(2026, 5, 31), "VOG", "pools.error.expires_before_obtained"),
        (None, None, "VOG", "pools.error.obtained_on"),
        (date(2026, 1, 5), None, "Rijbewijs B", "pools.error.unknown_qualification"),
        (date(2099, 1, 5), None, "VOG", "pools.error.obtained_in_future"),
    ],
)
async def test_a_wrong_qualification_is_refused_with_a_clear_message_and_nothing_stored(
    pools: PoolService,
    engine: AsyncEngine,
    obtained: date | None,
    expires: date | None,
    name: str,
    error: str,
) -> None:
    await pools.add_member(BRAM, POOL, "eva.smit@zeewolde.example", new_once_key())
    before = await snapshot(engine)
    draft = QualificationDraft(EVA.aad_object_id, name, obtained, expires)
    view = await pools.record_qualification(BRAM, POOL, draft, new_once_key())
    assert isinstance(view, PoolView) and view.error == error
    assert await snapshot(engine) == before


async def test_qualifications_are_recorded_by_the_coordinator_or_hr_seen_by_the_person_and_reminded_once(
    pools: PoolService, engine: AsyncEngine, clock: FixedClock
) -> None:
    await pools.add_member(BRAM, POOL, "eva.smit@zeewolde.example", new_once_key())
    expires = clock.today() + timedelta(days=40)
    draft = QualificationDraft(EVA.aad_object_id, "voorkomen id-fraude", date(2026, 1, 5), expires)
    view = await pools.record_qualification(BRAM, POOL, draft, new_once_key())
    assert isinstance(view, PoolView) and view.banner == "pools.qualification_recorded"
    [held] = view.members[0].qualifications
    assert (held.name, held.expires_on) == ("Voorkomen ID-fraude", expires)  # the pool's spelling
    # HR (the demo's Anna is HR for every organisation) may record one too; Eva sees hers.
    by_hr = await pools.record_qualification(
        ANNA, POOL, QualificationDraft(EVA.aad_object_id, "VOG", date(2026, 1, 5)), None
    )
    assert isinstance(by_hr, PoolView) and by_hr.banner == "pools.qualification_recorded"
    assert [q.name for q in (await pools.mine(EVA)).qualifications] == ["VOG", "Voorkomen ID-fraude"]

    assert await pools.remind_expiring() == 0  # 40 days ahead: not yet
    clock.current += timedelta(days=11)
    assert await pools.remind_expiring() == 1
    assert await pools.remind_expiring() == 0  # once
    assert ("pools.expiry_reminder", "Eva Smit") in await outbox(engine)


async def test_unavailable_periods_are_kept_and_wrong_ones_refused(
    pools: PoolService, signup: SignupService, engine: AsyncEngine, clock: FixedClock
) -> None:
    today = clock.today()
    before = await snapshot(engine)
    for draft, error in (
        (PeriodDraft(today + timedelta(days=14), today + timedelta(days=3)), "pools.error.ends_before_start"),
        (PeriodDraft(today, None), "pools.error.period_dates"),
        (PeriodDraft(today - timedelta(days=9), today - timedelta(days=2)), "pools.error.period_past"),
        (PeriodDraft(today, today + timedelta(days=400)), "pools.error.too_long"),
    ):
        assert (await pools.add_period(EVA, draft, new_once_key())).error == error
    assert await snapshot(engine) == before

    once = new_once_key()
    exams = PeriodDraft(today + timedelta(days=3), today + timedelta(days=14), "tentamens", ("fri",))
    for _ in range(2):
        view = await pools.add_period(EVA, exams, once)
    assert view.banner == "pools.period_added"
    [period] = view.periods
    assert (period.reason, period.weekdays) == ("tentamens", ("fri",))
    assert (await pools.remove_period(DAAN, period.id)).banner == ""  # not Daan's
    assert (await pools.remove_period(EVA, period.id)).periods == ()


async def onboarded(pools: PoolService, *actors: Actor) -> None:
    for actor in actors:
        entry = {EVA: "eva.smit@zeewolde.example", CHANTAL: "chantal.bakker@ermelo.example"}[actor]
        await pools.add_member(BRAM, POOL, entry, None)
        for step in ("4 trainingsdagen", "2 weken inwerken bij Chantal Bakker"):
            await pools.tick_step(BRAM, POOL, actor.aad_object_id, step, None)


async def test_a_pool_klus_that_requires_a_qualification_leaves_out_who_lacks_it_and_says_why(
    market: Market,
    signup: SignupService,
    pools: PoolService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    await sign_up(signup, EVA, CHANTAL, DAAN)
    await onboarded(pools, EVA, CHANTAL)
    await pools.record_qualification(
        BRAM, POOL, QualificationDraft(CHANTAL.aad_object_id, "Voorkomen ID-fraude", date(2026, 1, 5)), None
    )
    klus = await posted(market, BRAM, pool_key=POOL, qualifications=("Voorkomen ID-fraude",))

    async with uow_factory() as uow:
        stored = await uow.klussen.get(klus.id)
        assert stored is not None and (stored.pool_key, stored.qualifications) == (
            POOL,
            ("Voorkomen ID-fraude",),
        )
        index = await market.shared.pool.current(uow)
        found = index.top_candidates(stored, today=clock.today())
        plain = market.shared.matcher.rank_candidates(
            stored,
            await market.shared.candidates(
                uow, [EVA.aad_object_id, CHANTAL.aad_object_id, DAAN.aad_object_id]
            ),
            today=clock.today(),
        )
        eva = await market.shared.candidate(uow, EVA.aad_object_id)
    assert [m.person_id for m in found] == [m.person_id for m in plain] == [CHANTAL.aad_object_id]
    assert eva is not None
    assert [(e.code, dict(e.params)) for e in market.shared.matcher.left_out(stored, eva)] == [
        ("missing", {"names": "Voorkomen ID-fraude"})
    ]
    lacking = await pools.lacking(BRAM)
    assert isinstance(lacking, LackingView)
    assert [(r.klus.id, r.members) for r in lacking.requests] == [
        (klus.id, (("Eva Smit", ("Voorkomen ID-fraude",)),))
    ]

    # An unavailable period over the whole klus leaves Chantal out too; the index notices at once.
    await pools.add_period(CHANTAL, PeriodDraft(stored.start_date, stored.end_date, "vakantie"), None)
    async with uow_factory() as uow:
        assert (await market.shared.pool.current(uow)).top_candidates(stored, today=clock.today()) == []


async def test_someone_the_pool_rules_leave_out_cannot_react_to_the_pools_klus(
    market: Market, signup: SignupService, pools: PoolService, engine: AsyncEngine
) -> None:
    await sign_up(signup, EVA, CHANTAL)
    await onboarded(pools, CHANTAL)  # Eva is no member
    klus = await posted(market, BRAM, pool_key=POOL, qualifications=())
    before = await snapshot(engine)
    offer = await market.interest.show_interest(EVA, klus.id, "")
    assert isinstance(offer, KlusOffer) and offer.banner == "refusal.pool_rules"
    assert await snapshot(engine) == before
    offer = await market.interest.show_interest(CHANTAL, klus.id, "")
    assert isinstance(offer, KlusOffer) and offer.banner == ""


async def test_a_no_on_the_pools_own_klus_goes_to_its_poster_as_for_any_klus(
    market: Market, signup: SignupService, pools: PoolService, engine: AsyncEngine
) -> None:
    await sign_up(signup, CHANTAL)
    await onboarded(pools, CHANTAL)
    klus = await posted(market, BRAM, pool_key=POOL, qualifications=())  # no shifts: Bram chooses
    await market.interest.show_interest(CHANTAL, klus.id, "")
    await market.choosing.choose(BRAM, klus.id, CHANTAL.aad_object_id)

    await market.interest.decline(CHANTAL, klus.id)

    assert (await outbox(engine))[-1] == ("klus.declined", "Bram Jansen")


async def test_the_coordinator_takes_someone_out_of_the_pool_once_and_nobody_else_can(
    pools: PoolService, signup: SignupService, engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    await onboarded(pools, EVA, CHANTAL)
    before = await snapshot(engine)
    for who in (DAAN, EVA):  # not a coordinator, not even of herself
        assert await pools.remove_member(who, POOL, EVA.aad_object_id, new_once_key()) == Refusal(
            "pools.not_coordinator"
        )
    assert await pools.remove_member(BRAM, POOL, "no-such-person", new_once_key()) == Refusal(
        "pools.not_a_member"
    )
    assert await snapshot(engine) == before

    once = new_once_key()
    for _ in range(2):  # a double click takes her out once, and says so both times
        view = await pools.remove_member(BRAM, POOL, EVA.aad_object_id, once)
        assert isinstance(view, PoolView)
        assert (view.banner, view.detail) == ("pools.member_removed", "Eva Smit")
        assert [m.name for m in view.members] == ["Chantal Bakker"]
    assert (await pools.mine(EVA)).pools == ()  # her onboarding in the pool went with her
    assert await pools.remove_member(BRAM, POOL, EVA.aad_object_id, new_once_key()) == Refusal(
        "pools.not_a_member"
    )
    async with uow_factory() as uow:
        assert await uow.pool_people.steps_done(POOL, EVA.aad_object_id) == []


async def test_the_pool_card_reads_its_members_in_a_few_statements_however_many(
    pools: PoolService, signup: SignupService, engine: AsyncEngine
) -> None:
    await onboarded(pools, EVA)
    one = await statements_of(engine, members_view(pools))
    await onboarded(pools, CHANTAL)
    await pools.add_member(BRAM, POOL, "daan.visser@ermelo.example", None)

    three = await statements_of(engine, members_view(pools))

    assert len(three) == len(one), three  # not a few more for every member


async def statements_of(engine: AsyncEngine, work: Awaitable[object]) -> list[str]:
    """Every statement sent to the database while `work` runs."""
    with statements(engine) as found:
        await work
    return found
