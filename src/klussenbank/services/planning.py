"""The planning board: who works where and when in a week, and the open shifts; for one person (their
own shifts) or for the organisations someone coordinates. Also as downloads: a CSV of the week, and
an iCalendar feed (a signed link) that Outlook subscribes to."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from klussenbank.domain.organisations import Rules
from klussenbank.domain.shifts import monday_of
from klussenbank.services.clock import Clock
from klussenbank.services.links import LinkSigner
from klussenbank.services.ports.records import Actor, PlannedShift
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.shifts import Coordinators
from klussenbank.services.spreadsheet import cell

FEED_PAST = timedelta(days=31)  # a feed holds the last month of shifts, and all to come
FEED_AHEAD = timedelta(days=2 * 366)
PERSON, ORGANISATION = "person", "organisation"


@dataclass(frozen=True)
class PlanningView:
    monday: date
    scope: str  # PERSON: my shifts; ORGANISATION: the organisations I coordinate
    may_coordinate: bool
    shifts: tuple[PlannedShift, ...]
    csv_url: str
    ics_url: str


def feed_path(scope: str, key: str) -> str:
    return f"/api/planning/{scope}/{key}.ics"


def week_path(scope: str, key: str, monday: date) -> str:
    return f"/api/planning/{scope}/{key}/{monday.isoformat()}.csv"


class PlanningService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        rules: Rules,
        coordinators: Coordinators,
        links: LinkSigner,
        feeds: LinkSigner,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._rules = rules
        self._coordinators = coordinators
        self._links = links  # short-lived: the week's CSV
        self._feeds = feeds  # long-lived: a calendar subscription

    async def board(self, actor: Actor, week: date | None = None, scope: str = "") -> PlanningView:
        """The week of `week` (this week: None); a coordinator sees their organisations unless they ask
        for their own shifts, anyone else their own."""
        monday = monday_of(week or self._clock.today())
        organisations = await self._coordinators.organisations_of(actor)
        scope = ORGANISATION if organisations and scope != PERSON else PERSON
        # Every organisation they coordinate, in one board and one feed; the link's signature covers the list.
        key = ".".join(organisations) if scope == ORGANISATION else actor.aad_object_id
        now = self._clock.now()
        return PlanningView(
            monday=monday,
            scope=scope,
            may_coordinate=bool(organisations),
            shifts=tuple(await self._planned(scope, key, monday, monday + timedelta(days=6))),
            csv_url=self._links.url(week_path(scope, key, monday), now),
            ics_url=self._feeds.url(feed_path(scope, key), now),
        )

    async def week_csv(self, scope: str, key: str, monday: date, expires: str, signature: str) -> str | None:
        """The week behind a valid link, as CSV; None otherwise."""
        if not self._links.valid(week_path(scope, key, monday), expires, signature, self._clock.now()):
            return None
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["date", "start", "end", "organisation", "klus", "place", "people_needed", "booked", "open"]
        )
        for planned in await self._planned(scope, key, monday, monday + timedelta(days=6)):
            writer.writerow(
                [
                    planned.shift.day.isoformat(),
                    planned.shift.start.strftime("%H:%M"),
                    planned.shift.end.strftime("%H:%M"),
                    planned.organisation_name,
                    cell(planned.title),
                    cell(planned.place),
                    planned.people_needed,
                    cell("; ".join(name for _, name in planned.booked)),
                    planned.open_places,
                ]
            )
        return out.getvalue()

    async def feed(self, scope: str, key: str, expires: str, signature: str) -> bytes | None:
        """The iCalendar feed behind a valid link: one event per shift; None otherwise."""
        now = self._clock.now()
        if not self._feeds.valid(feed_path(scope, key), expires, signature, now):
            return None
        today = self._clock.today()
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Klussenbank//planning//NL")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "Klussenbank")
        for planned in await self._planned(scope, key, today - FEED_PAST, today + FEED_AHEAD):
            zone = ZoneInfo(self._rules.of(planned.organisation_key).time_zone)
            event = icalendar.Event()
            event.add("uid", f"shift-{planned.klus_id}-{planned.shift.starts_at:%Y%m%dT%H%M}@klussenbank")
            event.add("dtstamp", now)
            event.add("dtstart", planned.shift.starts_at.replace(tzinfo=zone))
            event.add("dtend", planned.shift.ends_at.replace(tzinfo=zone))
            event.add("summary", planned.title)
            if planned.place:
                event.add("location", planned.place)
            booked = ", ".join(name for _, name in planned.booked)
            event.add("description", f"{planned.organisation_name}\n{booked}".strip())
            calendar.add_component(event)
        calendar.add_missing_timezones()
        return bytes(calendar.to_ical())

    async def _planned(self, scope: str, key: str, first: date, last: date) -> list[PlannedShift]:
        async with self._uow() as uow:
            if scope == ORGANISATION:
                return await uow.shifts.planned(first, last, organisations=key.split("."))
            return await uow.shifts.planned(first, last, person_id=key)


# The weeks a board may show: the card pages a week back and forth, and a week ends on its Sunday.
FIRST_MONDAY, LAST_MONDAY = date.min + timedelta(days=7), date.max - timedelta(days=13)


def week_of(value: str) -> date | None:
    """A week's Monday from a card's ISO date; None when it is not one, or too near the calendar's end."""
    try:
        monday = monday_of(datetime.strptime(value, "%Y-%m-%d").date())
    except ValueError:
        return None
    return monday if FIRST_MONDAY <= monday <= LAST_MONDAY else None
