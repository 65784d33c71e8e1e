"""Requests by shift over real HTTP: a request from the second municipality, the coordinator's proposal
accepted in chat, an overlapping shift refused, the planning board, its CSV and its iCalendar feed."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlsplit

import icalendar

from klussenbank.data import load_rules
from klussenbank.store.db import session_factory
from klussenbank.store.uow import sql_unit_of_work
from tests.bot.conftest import ANNA, BRAM, EVA, BotHarness, snapshot
from tests.bot.test_klussen import availability, buttons, card_of, texts

POOL = "flexpool-burgerzaken"  # the demo's: Ermelo and Harderwijk, coordinated by Bram


def shift_request(**changes: Any) -> dict[str, Any]:
    values = {
        "title": "Balie burgerzaken",
        "organisation": "harderwijk",
        "required_skills": "minute-taking",
        "place": "Stadhuis Harderwijk",
        "shifts": "di en do 9:00-13:00, week 50",
        "people_needed": "1",
        "pool": POOL,
        "once": "form-1",
    }
    return {**values, **changes}


async def ready_flex_worker(harness: BotHarness, user: str) -> None:
    """Signed up, a member of the pool with its onboarding done."""
    await harness.say("hallo", user=user)
    card = await harness.execute("availability.save", availability(work_mode="hybrid"), user=user)
    assert "availability.withdraw" in buttons(card)
    async with sql_unit_of_work(session_factory(harness.engine))() as uow:
        now = harness.clock.now()
        await uow.pool_people.add_member(POOL, user, by=BRAM, now=now)
        for step in load_rules("demo").pools[POOL].onboarding:
            await uow.pool_people.tick_step(POOL, user, step, by=BRAM, now=now)
        await uow.commit()


async def requested(harness: BotHarness, **changes: Any) -> int:
    """Anna of Harderwijk asks the pool for shifts; the id of the request."""
    form = (await harness.say("dienst aanvragen", user=ANNA))[-1]
    assert "shifts.post" in buttons(form), texts(form)
    card = await harness.execute("shifts.post", shift_request(**changes), user=ANNA)
    assert "Je aanvraag staat klaar" in texts(card), texts(card)
    async with sql_unit_of_work(session_factory(harness.engine))() as uow:
        return max(k.id for k in await uow.klussen.by_poster(ANNA))


def link(card: dict[str, Any], title: str) -> str:
    [url] = [a["url"] for a in _all(card) if a.get("type") == "Action.OpenUrl" and a["title"] == title]
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _all(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        found.append(value)
        for child in value.values():
            found += _all(child)
    elif isinstance(value, list):
        for child in value:
            found += _all(child)
    return found


async def test_a_shift_request_is_proposed_accepted_planned_and_in_the_calendar(harness: BotHarness) -> None:
    await ready_flex_worker(harness, EVA)
    await harness.say("hallo", user=BRAM)
    klus_id = await requested(harness)

    # The coordinator hears of it (only he: nobody else is told of a pool's request), opens the
    # ranked list and proposes Eva.
    [sent] = await harness.deliver()
    assert sent["_conversation"] == f"a:personal-{BRAM}"
    assert buttons(card_of(sent))["shifts.candidates"]["data"] == {"klus_id": klus_id}
    listed = await harness.execute("shifts.candidates", {"klus_id": klus_id}, user=BRAM)
    assert "Eva Smit" in texts(listed)
    proposed = await harness.execute("shifts.propose", buttons(listed)["shifts.propose"]["data"], user=BRAM)
    assert "Voorgesteld. We vragen het in de chat" in texts(proposed)

    # Eva says yes in chat; the request is then filled (waiting for approval) and on her planning.
    [offer] = [card_of(a) for a in await harness.deliver() if a.get("_conversation") == f"a:personal-{EVA}"]
    assert "Wil je deze diensten doen?" in texts(offer)
    await harness.execute("match.confirm", buttons(offer)["match.confirm"]["data"], user=EVA)
    assert "Alle aanvragen zijn gevuld" in texts((await harness.say("open diensten", user=BRAM))[-1])

    board = await harness.execute("planning.show", {"week": "2026-12-08"}, user=EVA)
    assert texts(board).count("Balie burgerzaken") == 2  # Tuesday and Thursday of week 50

    response = await harness.client.get(link(board, "Agenda (.ics)"))
    assert (response.status, response.content_type) == (200, "text/calendar")
    events = icalendar.Calendar.from_ical(await response.read()).walk("VEVENT")
    assert [e.decoded("dtstart").isoformat() for e in events] == [
        "2026-12-08T09:00:00+01:00",
        "2026-12-10T09:00:00+01:00",
    ]
    assert {str(e["location"]) for e in events} == {"Stadhuis Harderwijk"}

    response = await harness.client.get(link(board, "Download (CSV)"))
    assert response.status == 200
    rows = list(csv.DictReader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert [(r["date"], r["booked"], r["open"]) for r in rows] == [
        ("2026-12-08", "Eva Smit", "0"),
        ("2026-12-10", "Eva Smit", "0"),
    ]
    # A link changed to someone else's feed opens nothing.
    forged = link(board, "Agenda (.ics)").replace(EVA, ANNA)
    assert (await harness.client.get(forged)).status == 403


async def test_a_week_at_the_end_of_the_calendar_shows_this_week(harness: BotHarness) -> None:
    await harness.say("hallo", user=EVA)
    this_week = texts(await harness.execute("planning.show", {}, user=EVA))

    # The card pages a week back and forth from the week it shows: no week may lie beyond the calendar.
    for week in ("9999-12-31", "9999-12-20", "0001-01-01"):
        assert texts(await harness.execute("planning.show", {"week": week}, user=EVA)) == this_week


async def test_an_overlapping_shift_is_refused_with_a_clear_message(harness: BotHarness) -> None:
    await ready_flex_worker(harness, EVA)
    await harness.say("hallo", user=BRAM)
    first = await requested(harness)
    second = await requested(harness, shifts="10-12-2026 12:00-16:00", title="Extra balie", once="form-2")
    for klus_id in (first, second):
        await harness.execute(
            "shifts.propose", {"klus_id": klus_id, "person_id": EVA, "once": f"p{klus_id}"}, user=BRAM
        )
    await harness.execute("match.confirm", {"klus_id": first, "once": "yes-1"}, user=EVA)

    refused = await harness.execute("match.confirm", {"klus_id": second, "once": "yes-2"}, user=EVA)

    assert "Je staat al ingepland op een dienst die tegelijk valt" in texts(refused)


async def test_bad_shifts_get_a_clear_message_and_nothing_is_stored(harness: BotHarness) -> None:
    await harness.say("hallo", user=ANNA)
    before = await snapshot(harness.engine)
    for shifts, message in (
        ("di 9:00-13:00 week 50; di 12:00-14:00 week 50", "Twee diensten vallen tegelijk"),
        ("8-12-2026 13:00-9:00", "Deze dienst eindigt voor hij begint"),
        ("9:00-13:00, week 50", "Dit patroon noemt geen dagen"),
    ):
        card = await harness.execute("shifts.post", shift_request(shifts=shifts, once=shifts), user=ANNA)
        assert message in texts(card), texts(card)
        assert "shifts.post" in buttons(card)  # the form again, with what was typed
    assert await snapshot(harness.engine) == before
    # Someone whose organisation is in no pool is told so.
    assert "hoort niet bij een flexpool" in texts((await harness.say("dienst aanvragen", user=EVA))[-1])
