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
from klussenbank.domain.shifts import Shift
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.links import LinkSigner
from klussenbank.services.planning import ORGANISATION, PERSON, PlanningService
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
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, LINK_SECRET, Market
from tests.services.test_klussen import outbox, sign_up

# TODAY is Monday 23 November 2026 (week 48); Chantal and Daan are available from 30 November.
PATTERN = "di en do 9:00-13:00, week 50-51"  # 8, 10, 15 and 17 December
OVERLAPPING = "10-12-2026 12:00-16:00"  # Thursday 10 December, with 9:00-13:00


def request(**changes: Any) -> ShiftDraft:
    base = ShiftDraft(
        title="Balie burgerzaken",
        organisation="ermelo",
        required_skills=("minute-taking",),
        place="Gemeentehuis Ermelo",
        shifts=PATTERN,
        people_needed=1,
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture
def coordinators(directory: FileDirectory) -> Coordinators:
    return Coordinators(directory, load_rules("demo"))  # the demo's HR adviser Anna runs every pool


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


async def posted(service: ShiftService, actor: Actor = BRAM, **changes: Any) -> ShiftRequestView:
    result = await service.post(actor, request(**changes))
    assert isinstance(result, ShiftRequestView), result
    return result


async def flex_workers(signup: SignupService) -> None:
    await sign_up(signup, CHANTAL, DAAN, work_mode=WorkMode.HYBRID)


async def test_a_request_names_its_shifts_and_goes_to_the_coordinators_only(
    shifts: ShiftService, market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await flex_workers(signup)
    view = await posted(shifts, BRAM)

    assert [s.day for s in view.shifts] == [date(2026, 12, d) for d in (8, 10, 15, 17)]
    assert view.shifts[0] == Shift(date(2026, 12, 8), time(9), time(13))
    assert view.klus.hours_per_week == 8 and view.open_places == 1
    # Not to everyone: no suggestions, and not among anyone's open klussen.
    assert await outbox(engine) == [("shifts.request", "Anna de Vries")]
    assert (await market.interest.offers(CHANTAL)).offers == ()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-12-08 9:00-13:00; 2026-12-08 12:00-14:00", "shift_overlap"),
        ("2026-12-08 13:00-9:00", "shift_ends_before_start"),
        ("9:00-13:00, week 50", "shift_no_days"),
    ],
)
async def test_bad_shifts_come_back_on_the_form_and_nothing_is_stored(
    shifts: ShiftService, market: Market, engine: AsyncEngine, text: str, code: str
) -> None:
    result = await shifts.post(BRAM, request(shifts=text, title=""))

    assert isinstance(result, ShiftFormView)
    assert {(e.field, e.code) for e in result.errors} == {("shifts", code), ("title", "required")}
    assert result.values.shifts == text
    assert await market.posting.mine(BRAM) == []
    assert await outbox(engine) == []


async def test_a_second_press_of_the_form_posts_once(shifts: ShiftService, market: Market) -> None:
    first = await shifts.post(BRAM, request(), once="k1")
    again = await shifts.post(BRAM, request(), once="k1")

    assert isinstance(first, ShiftRequestView)
    assert getattr(again, "result", None) is not None and again.result.klus.id == first.klus.id  # type: ignore[union-attr]
    assert len(await market.posting.mine(BRAM)) == 1


async def test_the_coordinator_proposes_and_a_yes_books_the_person(
    shifts: ShiftService,
    market: Market,
    signup: SignupService,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await flex_workers(signup)
    view = await posted(shifts, BRAM)
    assert await shifts.candidates(BRAM, view.klus.id) == Refusal("klus_not_found")  # not a coordinator

    listed = await shifts.candidates(ANNA, view.klus.id)
    assert isinstance(listed, CoordinatorView)
    assert {r.name for r in listed.rows} == {"Chantal Bakker", "Daan Visser"}
    assert all(r.match is not None and r.match.reasons for r in listed.rows)  # explained

    proposed = await shifts.propose(ANNA, view.klus.id, CHANTAL.aad_object_id, once="p1")
    assert isinstance(proposed, CoordinatorView) and proposed.banner == "shifts.banner.proposed"
    assert proposed.request.proposed == ("Chantal Bakker",)
    assert ("shifts.proposed", "Chantal Bakker") in await outbox(engine)

    accepted = await market.interest.confirm(CHANTAL, view.klus.id)
    assert isinstance(accepted, KlusOffer) and accepted.interest is InterestStatus.CONFIRMED
    # Then the normal approval: Chantal's line manager, Bram.
    async with uow_factory() as uow:
        assert [a.approver_id for a in await uow.approvals.pending()] == [BRAM.aad_object_id]
        # The coordinator's look is in Chantal's access log.
        assert ANNA.aad_object_id in {
            e.viewer_id for e in await uow.access_log.for_subject(CHANTAL.aad_object_id)
        }
    open_requests = await shifts.open_requests(ANNA)
    assert isinstance(open_requests, OpenRequestsView) and open_requests.requests == ()
    assert await shifts.open_requests(CHANTAL) == Refusal("shifts_coordinators_only")


async def test_the_same_person_is_refused_for_an_overlapping_shift(
    shifts: ShiftService, market: Market, signup: SignupService
) -> None:
    await flex_workers(signup)
    first = await posted(shifts, BRAM)
    second = await posted(shifts, EVA, organisation="ermelo", shifts=OVERLAPPING, title="Extra balie")
    for view in (first, second):  # proposed for both before saying yes to either
        assert isinstance(await shifts.propose(ANNA, view.klus.id, CHANTAL.aad_object_id), CoordinatorView)
    assert isinstance(await market.interest.confirm(CHANTAL, first.klus.id), KlusOffer)

    refused = await market.interest.confirm(CHANTAL, second.klus.id)

    assert isinstance(refused, KlusOffer)
    assert refused.banner == "shifts.refusal.overlap"
    assert refused.interest is InterestStatus.CHOSEN  # nothing changed
    # The coordinator now sees the overlap on the list of a new overlapping request.
    third = await posted(shifts, EVA, shifts=OVERLAPPING, title="Nog een balie")
    listed = await shifts.candidates(ANNA, third.klus.id)
    assert isinstance(listed, CoordinatorView)
    chantal = next(r for r in listed.rows if r.person_id == CHANTAL.aad_object_id)
    assert chantal.clash == Shift(date(2026, 12, 10), time(9), time(13))
    assert listed.rows[-1] is chantal  # shown last
    again = await shifts.propose(ANNA, third.klus.id, CHANTAL.aad_object_id)
    assert isinstance(again, CoordinatorView) and again.banner == "shifts.banner.clash"


async def test_the_planning_board_csv_and_calendar_feed(
    shifts: ShiftService, market: Market, signup: SignupService, planning: PlanningService, clock: FixedClock
) -> None:
    await flex_workers(signup)
    view = await posted(shifts, BRAM)
    await shifts.propose(ANNA, view.klus.id, CHANTAL.aad_object_id)
    await market.interest.confirm(CHANTAL, view.klus.id)
    week_50 = date(2026, 12, 9)

    mine = await planning.board(CHANTAL, week_50)
    assert mine.scope == PERSON and not mine.may_coordinate
    assert [(p.shift.day, p.booked) for p in mine.shifts] == [
        (date(2026, 12, 8), ((CHANTAL.aad_object_id, "Chantal Bakker"),)),
        (date(2026, 12, 10), ((CHANTAL.aad_object_id, "Chantal Bakker"),)),
    ]
    board = await planning.board(ANNA, week_50)
    assert board.scope == ORGANISATION and board.may_coordinate
    assert (await planning.board(ANNA, week_50, PERSON)).shifts == ()
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
    assert str(events[0]["location"]) == "Gemeentehuis Ermelo"
    assert await planning.feed(PERSON, DAAN.aad_object_id, expires, sig) is None  # signed for Chantal only
    clock.current = TODAY + timedelta(days=30)
    assert await planning.feed(PERSON, CHANTAL.aad_object_id, expires, sig) is not None  # a feed lasts
