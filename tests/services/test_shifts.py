"""Requests by shift and the coordinator's work, against a real database: a request goes to the
coordinators only; a coordinator proposes; a yes books the person, never on two overlapping shifts;
the planning board, its CSV and its iCalendar feed."""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from typing import Any

import icalendar
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.data import load_rules
from klussenbank.domain.klus import InterestStatus
from klussenbank.domain.people import WorkMode
from klussenbank.domain.pools import Qualification, UnavailablePeriod
from klussenbank.domain.shifts import Shift
from klussenbank.domain.work import HoursMonth
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.charging import ChargingService, ChargingView
from klussenbank.services.demo import seed_demo_flexpool, seed_demo_shifts
from klussenbank.services.links import LinkSigner
from klussenbank.services.once import Repeated
from klussenbank.services.planning import ORGANISATION, PERSON, PlanningService
from klussenbank.services.pools import PoolService
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.shifts import (
    Coordinators,
    CoordinatorView,
    OpenRequestsView,
    ShiftDraft,
    ShiftFormView,
    ShiftRequestView,
    ShiftService,
)
from klussenbank.services.signup import SignupService
from klussenbank.services.views import KlusOffer, Refusal
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, LINK_SECRET, TENANT, Market
from tests.services.test_klussen import outbox, sign_up
from tests.services.test_pools import statements_of

# TODAY is Monday 23 November 2026 (week 48); Chantal and Daan are available from 30 November.
PATTERN = "di en do 9:00-13:00, week 50-51"  # 8, 10, 15 and 17 December
OVERLAPPING = "10-12-2026 12:00-16:00"  # Thursday 10 December, with 9:00-13:00


POOL = "flexpool-burgerzaken"  # the demo's: Ermelo and Harderwijk, coordinated by Bram


def request(**changes: Any) -> ShiftDraft:
    base = ShiftDraft(
        title="Balie burgerzaken",
        organisation="harderwijk",
        required_skills=("minute-taking",),
        place="Stadhuis Harderwijk",
        shifts=PATTERN,
        people_needed=1,
        pool=POOL,
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture
def coordinators(directory: FileDirectory) -> Coordinators:
    return Coordinators(directory, load_rules("demo"))


@pytest.fixture
def shifts(
    market: Market, uow_factory: UnitOfWorkFactory, directory: FileDirectory, coordinators: Coordinators
) -> ShiftService:
    return ShiftService(uow_factory, market=market.shared, directory=directory, coordinators=coordinators)


@pytest.fixture
def planning(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, coordinators: Coordinators
) -> PlanningService:
    links = LinkSigner(LINK_SECRET, "http://127.0.0.1:3978")
    return PlanningService(
        uow_factory,
        clock=clock,
        rules=load_rules("demo"),
        coordinators=coordinators,
        links=links,
        feeds=links.lasting(timedelta(days=366)),
    )


async def posted(service: ShiftService, actor: Actor = ANNA, **changes: Any) -> ShiftRequestView:
    result = await service.post(actor, request(**changes))
    assert isinstance(result, ShiftRequestView), result
    return result


async def flex_workers(signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    """Chantal and Daan are ready members of the pool (both in the line of Bram, who coordinates it:
    its members are no secret to him); Eva is a member still being onboarded."""
    await sign_up(signup, CHANTAL, work_mode=WorkMode.HYBRID, visible_to_own_line=True)
    await sign_up(signup, DAAN, EVA, work_mode=WorkMode.HYBRID)
    now = clock.now()
    async with uow_factory() as uow:
        for actor in (CHANTAL, DAAN, EVA):
            await uow.pool_people.add_member(POOL, actor.aad_object_id, by=BRAM.aad_object_id, now=now)
        for actor in (CHANTAL, DAAN):
            for step in load_rules("demo").pools[POOL].onboarding:
                await uow.pool_people.tick_step(
                    POOL, actor.aad_object_id, step, by=BRAM.aad_object_id, now=now
                )
        await uow.commit()


@pytest.fixture
async def pooled(signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    await flex_workers(signup, uow_factory, clock)


async def test_a_request_of_the_second_municipality_goes_to_the_coordinator_only(
    shifts: ShiftService, market: Market, pooled: None, engine: AsyncEngine
) -> None:
    view = await posted(shifts, ANNA)  # Harderwijk asks the pool Ermelo shares

    assert [s.day for s in view.shifts] == [date(2026, 12, d) for d in (8, 10, 15, 17)]
    assert view.shifts[0] == Shift(date(2026, 12, 8), time(9), time(13))
    assert view.klus.hours_per_week == 8 and view.open_places == 1
    assert view.klus.pool_key == POOL and view.klus.organisation_key == "harderwijk"
    # Not to everyone: no suggestions, and not among anyone's open klussen.
    assert await outbox(engine) == [("shifts.request", "Bram Jansen")]
    assert (await market.interest.offers(CHANTAL)).offers == ()


async def test_only_people_of_a_pool_organisation_ask(shifts: ShiftService, signup: SignupService) -> None:
    assert await shifts.form(EVA) == Refusal("shifts_no_pool")  # Zeewolde is in no pool
    form = await shifts.form(ANNA)
    assert isinstance(form, ShiftFormView)
    assert [p.key for p in form.pool_choices] == [POOL]
    assert {o.key for o in form.organisation_choices} == {"ermelo", "harderwijk"}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"shifts": "2026-12-08 9:00-13:00; 2026-12-08 12:00-14:00"}, {("shifts", "shift_overlap")}),
        ({"shifts": "2026-12-08 13:00-9:00"}, {("shifts", "shift_ends_before_start")}),
        ({"shifts": "9:00-13:00, week 50"}, {("shifts", "shift_no_days")}),
        (
            {"pool": "elsewhere", "organisation": "zeewolde"},
            {("pool", "unknown_choice"), ("organisation", "unknown_choice")},
        ),
        ({"qualifications": ("Rijbewijs",)}, {("qualifications", "unknown_choice")}),
    ],
)
async def test_bad_input_comes_back_on_the_form_and_nothing_is_stored(
    shifts: ShiftService,
    market: Market,
    signup: SignupService,
    engine: AsyncEngine,
    changes: dict[str, Any],
    errors: set[tuple[str, str]],
) -> None:
    result = await shifts.post(ANNA, request(title="", **changes))

    assert isinstance(result, ShiftFormView)
    assert {(e.field, e.code) for e in result.errors} == errors | {("title", "required")}
    assert result.values.shifts == request(**changes).shifts
    assert await market.posting.mine(ANNA) == []
    assert await outbox(engine) == []


async def test_a_second_press_of_the_form_posts_once(
    shifts: ShiftService, market: Market, signup: SignupService
) -> None:
    first = await shifts.post(ANNA, request(), once="k1")
    again = await shifts.post(ANNA, request(), once="k1")

    assert isinstance(first, ShiftRequestView) and isinstance(again, Repeated)
    assert again.result.klus.id == first.klus.id
    assert len(await market.posting.mine(ANNA)) == 1


async def test_the_coordinator_proposes_and_a_yes_books_the_person(
    shifts: ShiftService, market: Market, pooled: None, engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    view = await posted(shifts, ANNA)
    assert await shifts.candidates(ANNA, view.klus.id) == Refusal("klus_not_found")  # not its coordinator

    listed = await shifts.candidates(BRAM, view.klus.id)
    assert isinstance(listed, CoordinatorView)
    # Chantal and Daan fit, explained; Eva is still being onboarded.
    rows = [(r.name, bool(r.match and r.match.reasons), [e.code for e in r.left_out]) for r in listed.rows]
    assert sorted(rows[:2]) == [("Chantal Bakker", True, []), ("Daan Visser", True, [])]
    assert rows[2:] == [("Eva Smit", False, ["onboarding"])]
    assert await shifts.propose(BRAM, view.klus.id, EVA.aad_object_id) == dataclasses.replace(
        await shifts.candidates(BRAM, view.klus.id), banner="shifts.banner.not_ready"
    )

    proposed = await shifts.propose(BRAM, view.klus.id, CHANTAL.aad_object_id, once="p1")
    assert isinstance(proposed, CoordinatorView) and proposed.banner == "shifts.banner.proposed"
    assert proposed.request.proposed == ("Chantal Bakker",)
    assert ("shifts.proposed", "Chantal Bakker") in await outbox(engine)
    again = await shifts.propose(BRAM, view.klus.id, CHANTAL.aad_object_id, once="p1")
    assert isinstance(again, Repeated)

    accepted = await market.interest.confirm(CHANTAL, view.klus.id)
    assert isinstance(accepted, KlusOffer) and accepted.interest is InterestStatus.CONFIRMED
    async with uow_factory() as uow:
        # Then the normal approval: Chantal's line manager, Bram.
        assert [a.approver_id for a in await uow.approvals.pending()] == [BRAM.aad_object_id]
        # The coordinator's look is in Chantal's access log.
        assert BRAM.aad_object_id in {
            e.viewer_id for e in await uow.access_log.for_subject(CHANTAL.aad_object_id)
        }
    open_requests = await shifts.open_requests(BRAM)
    assert isinstance(open_requests, OpenRequestsView) and open_requests.requests == ()
    assert await shifts.open_requests(CHANTAL) == Refusal("shifts_coordinators_only")


async def test_a_no_to_a_proposal_tells_the_coordinators_not_the_requester(
    shifts: ShiftService, market: Market, pooled: None, engine: AsyncEngine
) -> None:
    view = await posted(shifts, ANNA)
    await shifts.propose(BRAM, view.klus.id, DAAN.aad_object_id)
    before = len(await outbox(engine))

    said_no = await market.interest.decline(DAAN, view.klus.id, once="no-1")

    assert isinstance(said_no, KlusOffer) and said_no.interest is InterestStatus.DECLINED
    # Bram proposed Daan and proposes someone else; Anna asked the pool and chose nobody.
    assert (await outbox(engine))[before:] == [("shifts.declined", "Bram Jansen")]
    listed = await shifts.candidates(BRAM, view.klus.id)
    assert isinstance(listed, CoordinatorView)
    assert [(r.name, r.status) for r in listed.rows][:1] == [("Daan Visser", InterestStatus.DECLINED)]


async def test_a_request_by_shift_is_given_out_by_the_coordinators_only(
    shifts: ShiftService, market: Market, pooled: None, engine: AsyncEngine
) -> None:
    view = await posted(shifts, ANNA)
    before = await outbox(engine)

    # A card's klus id is no right: the requester chooses nobody, and nobody volunteers uninvited.
    only = Refusal("shifts_coordinators_only")
    assert await market.choosing.candidates(ANNA, view.klus.id) == only
    assert await market.choosing.invite(ANNA, view.klus.id, CHANTAL.aad_object_id) == only
    assert await market.choosing.choose(ANNA, view.klus.id, CHANTAL.aad_object_id) == only
    volunteered = await market.interest.show_interest(DAAN, view.klus.id, "Ik wil wel.")
    assert isinstance(volunteered, KlusOffer) and volunteered.interest is None
    assert volunteered.banner == "refusal.coordinator_proposes"
    assert await outbox(engine) == before
    # So Daan stays on the coordinator's list, to be proposed.
    proposed = await shifts.propose(BRAM, view.klus.id, DAAN.aad_object_id)
    assert isinstance(proposed, CoordinatorView) and proposed.banner == "shifts.banner.proposed"


async def test_the_coordinators_list_is_read_and_logged_in_a_few_statements_however_long(
    shifts: ShiftService,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    view = await posted(shifts, ANNA)
    await sign_up(signup, CHANTAL, work_mode=WorkMode.HYBRID, visible_to_own_line=True)
    async with uow_factory() as uow:
        await uow.pool_people.add_member(POOL, CHANTAL.aad_object_id, by=BRAM.aad_object_id, now=clock.now())
        for step in load_rules("demo").pools[POOL].onboarding:
            await uow.pool_people.tick_step(
                POOL, CHANTAL.aad_object_id, step, by=BRAM.aad_object_id, now=clock.now()
            )
        await uow.commit()

    async def listed() -> list[str]:
        await shifts.candidates(BRAM, view.klus.id)  # the pool index catches up with the sign-ups first
        return await statements_of(engine, shifts.candidates(BRAM, view.klus.id))

    one = await listed()
    await flex_workers(signup, uow_factory, clock)  # and Daan and Eva
    three = await listed()

    assert len(three) == len(one), three  # not one more for every person on it


async def test_the_same_person_is_refused_for_an_overlapping_shift(
    shifts: ShiftService, market: Market, pooled: None
) -> None:
    first = await posted(shifts, ANNA)
    second = await posted(shifts, ANNA, organisation="ermelo", shifts=OVERLAPPING, title="Extra balie")
    for view in (first, second):  # proposed for both before saying yes to either
        assert isinstance(await shifts.propose(BRAM, view.klus.id, CHANTAL.aad_object_id), CoordinatorView)
    assert isinstance(await market.interest.confirm(CHANTAL, first.klus.id), KlusOffer)

    refused = await market.interest.confirm(CHANTAL, second.klus.id)

    assert isinstance(refused, KlusOffer)
    assert refused.banner == "shifts.refusal.overlap"
    assert refused.interest is InterestStatus.CHOSEN  # nothing changed
    # The coordinator sees the overlap on the list of a new overlapping request, and cannot propose her.
    third = await posted(shifts, ANNA, shifts=OVERLAPPING, title="Nog een balie")
    listed = await shifts.candidates(BRAM, third.klus.id)
    assert isinstance(listed, CoordinatorView)
    assert [r.name for r in listed.rows] == ["Daan Visser", "Chantal Bakker", "Eva Smit"]  # the clash after
    assert listed.rows[1].clash == Shift(date(2026, 12, 10), time(9), time(13))
    again = await shifts.propose(BRAM, third.klus.id, CHANTAL.aad_object_id)
    assert isinstance(again, CoordinatorView) and again.banner == "shifts.banner.clash"


async def test_qualifications_and_unavailable_days_on_the_coordinators_list(
    shifts: ShiftService, pooled: None, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    view = await posted(shifts, ANNA, qualifications=("voorkomen id-fraude",))
    assert view.klus.qualifications == ("Voorkomen ID-fraude",)  # the pool's spelling
    listed = await shifts.candidates(BRAM, view.klus.id)
    assert isinstance(listed, CoordinatorView)
    chantal = next(r for r in listed.rows if r.name == "Chantal Bakker")
    assert [(e.code, dict(e.params)) for e in chantal.left_out] == [
        ("missing", {"names": "Voorkomen ID-fraude"})
    ]

    async with uow_factory() as uow:
        await uow.pool_people.record_qualification(
            Qualification(0, CHANTAL.aad_object_id, "Voorkomen ID-fraude", TODAY, None, BRAM.aad_object_id),
            now=clock.now(),
        )
        await uow.pool_people.add_period(
            CHANTAL.aad_object_id,
            UnavailablePeriod(0, date(2026, 12, 10), date(2026, 12, 11), "tentamen"),
            now=clock.now(),
        )
        await uow.commit()
    listed = await shifts.candidates(BRAM, view.klus.id)
    assert isinstance(listed, CoordinatorView)
    chantal = next(r for r in listed.rows if r.name == "Chantal Bakker")
    assert chantal.match is not None and chantal.left_out == ()
    assert chantal.unavailable == (date(2026, 12, 10),)


async def test_the_planning_board_csv_and_calendar_feed(
    shifts: ShiftService, market: Market, pooled: None, planning: PlanningService, clock: FixedClock
) -> None:
    view = await posted(shifts, ANNA)
    await shifts.propose(BRAM, view.klus.id, CHANTAL.aad_object_id)
    await market.interest.confirm(CHANTAL, view.klus.id)
    week_50 = date(2026, 12, 9)

    mine = await planning.board(CHANTAL, week_50)
    assert mine.scope == PERSON and not mine.may_coordinate
    assert [(p.shift.day, p.booked) for p in mine.shifts] == [
        (date(2026, 12, 8), ((CHANTAL.aad_object_id, "Chantal Bakker"),)),
        (date(2026, 12, 10), ((CHANTAL.aad_object_id, "Chantal Bakker"),)),
    ]
    board = await planning.board(BRAM, week_50)
    assert board.scope == ORGANISATION and board.may_coordinate
    assert [p.organisation_key for p in board.shifts] == ["harderwijk", "harderwijk"]
    assert (await planning.board(BRAM, week_50, PERSON)).shifts == ()
    assert (await planning.board(ANNA, week_50)).scope == PERSON  # not a coordinator
    assert (await planning.board(CHANTAL, TODAY)).shifts == ()

    path, query = board.csv_url.removeprefix("http://127.0.0.1:3978").split("?")
    expires, sig = (part.split("=")[1] for part in query.split("&"))
    scope, key = path.split("/")[3:5]
    csv = await planning.week_csv(scope, key, date(2026, 12, 7), expires, sig)
    assert csv is not None and "2026-12-08,09:00,13:00" in csv and "Chantal Bakker" in csv
    assert await planning.week_csv(scope, key, date(2026, 12, 14), expires, sig) is None  # another week

    path, query = mine.ics_url.removeprefix("http://127.0.0.1:3978").split("?")
    expires, sig = (part.split("=")[1] for part in query.split("&"))
    feed = await planning.feed(PERSON, CHANTAL.aad_object_id, expires, sig)
    assert feed is not None
    events = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert len(events) == 4
    assert str(events[0]["summary"]) == "Balie burgerzaken"
    assert events[0].decoded("dtstart").isoformat() == "2026-12-08T09:00:00+01:00"
    assert str(events[0]["location"]) == "Stadhuis Harderwijk"
    assert await planning.feed(PERSON, DAAN.aad_object_id, expires, sig) is None  # signed for Chantal only
    clock.current = TODAY + timedelta(days=30)
    assert await planning.feed(PERSON, CHANTAL.aad_object_id, expires, sig) is not None  # a feed lasts


async def test_a_charged_pool_charges_its_clients_the_settled_hours(
    shifts: ShiftService,
    market: Market,
    pooled: None,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
) -> None:
    view = await posted(shifts, ANNA)
    await shifts.propose(BRAM, view.klus.id, CHANTAL.aad_object_id)
    await market.interest.confirm(CHANTAL, view.klus.id)
    async with uow_factory() as uow:
        [approval] = await uow.approvals.for_klus(view.klus.id)
        december = date(2026, 12, 1)
        await uow.work.save_hours(HoursMonth(approval.id, december, 16, 17, 16.5), now=clock.now())
        await uow.work.save_hours(
            HoursMonth(approval.id, date(2027, 1, 1), 8, 8, None), now=clock.now()
        )  # not settled
        await uow.commit()
    links = LinkSigner(LINK_SECRET, "http://127.0.0.1:3978")
    charging = ChargingService(
        uow_factory, clock=clock, directory=directory, rules=load_rules("demo"), links=links
    )
    clock.current = date(2027, 1, 5)

    overview = await charging.overview(BRAM)  # the coordinator (Anna, HR of a member organisation, may too)
    assert isinstance(overview, ChargingView)
    assert [
        (m.month, [(c.hours.organisation_key, c.hours.hours, c.amount) for c in m.charges])
        for m in overview.months
    ] == [
        (december, [("harderwijk", 16.5, 635.25)]),  # 16.5 hours at € 38.50
        (date(2027, 1, 1), []),
    ]
    assert await charging.overview(CHANTAL) == Refusal("charging_only")
    assert isinstance(await charging.overview(ANNA), ChargingView)

    _, query = overview.months[0].csv_url.split("?")
    expires, sig = (part.split("=")[1] for part in query.split("&"))
    found = await charging.csv(POOL, december, expires, sig)
    assert found is not None
    assert (
        found.splitlines()[1]
        == "flexpool-burgerzaken,harderwijk,Gemeente Harderwijk,2026-12,16.50,38.50,635.25"
    )
    assert await charging.csv(POOL, date(2027, 1, 1), expires, sig) is None  # signed for December only


async def test_the_demo_has_an_open_shift_request_from_the_second_municipality(
    shifts: ShiftService,
    market: Market,
    pools: PoolService,
    signup: SignupService,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    assert await seed_demo_flexpool(pools, signup, market.posting, clock, tenant_id=TENANT)
    await seed_demo_shifts(shifts, clock, tenant_id=TENANT)

    requests = await shifts.open_requests(BRAM)
    assert isinstance(requests, OpenRequestsView)
    [request] = requests.requests
    assert (request.klus.organisation_key, len(request.shifts), request.open_places) == ("harderwijk", 4, 1)
    listed = await shifts.candidates(BRAM, request.klus.id)
    assert isinstance(listed, CoordinatorView)
    rows = [(r.name, [e.code for e in r.left_out]) for r in listed.rows]
    assert sorted(rows[:2]) == [("Gijs de Boer", []), ("Hanna Kok", [])]
    assert rows[2:] == [("Fenna Mulder", ["onboarding"])]
    assert await outbox(engine) == []  # loaded quietly
