"""Issue 17 end to end (requests by shift): Harderwijk, the flexpool's second municipality, asks for
shifts; Bram Jansen, who coordinates the demo's "Flexpool Burgerzaken", gets the request in his chat
and proposes Chantal Bakker from the ranked list; Chantal says yes in her chat. Proposed for a second
request with a shift at the same time, her yes is refused with a clear message. Her planning board
shows the week, and its .ics feed, parsed with the icalendar library, has her shifts.

Set-up goes through the Playground's HTTP API (Chantal's sign-up, her membership and onboarding, the
second request and its proposal); the flow itself is clicked on the rendered cards. The Playground
sends locale "en-US", so the bot answers in English.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Sequence
from datetime import timedelta

import icalendar
import pytest

from klussenbank.domain.shifts import monday_of
from klussenbank.i18n import Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import action_data, bot_today, dump, elements, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM = "Anna de Vries", "Bram Jansen"
CHANTAL_ID = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"
POOL = "flexpool-burgerzaken"
STEPS = ("4 trainingsdagen", "2 weken inwerken bij Chantal Bakker")  # as in demo_organisations.toml
COUNTER, EXTRA = "Counter Burgerzaken", "Extra counter"


def _ready_in_the_pool(chantal: Chat, bram: Chat) -> None:
    card = chantal.invoke(
        Verb.AVAILABILITY_SAVE,
        {
            "skills": "front-desk,travel-documents",
            "hours_per_week": "12",
            "start_date": bot_today().isoformat(),
            "organisations": "ermelo,harderwijk",
            "work_mode": "hybrid",
        },
    )
    assert T("profile.saved") in dump(card), card
    bram.invoke(Verb.POOL_MEMBER_ADD, {"pool": POOL, "pool_email": "chantal.bakker@ermelo.example"})
    for step in STEPS:
        bram.invoke(Verb.POOL_STEP_DONE, {"pool": POOL, "person_id": CHANTAL_ID, "step": step})


def _request(anna: Chat, title: str, shifts: str) -> None:
    card = anna.invoke(
        Verb.SHIFTS_POST,
        {
            "title": title,
            "organisation": "harderwijk",
            "required_skills": "front-desk",
            "place": "Stadhuis Harderwijk",
            "shifts": shifts,
            "people_needed": "1",
            "pool": POOL,
            "once": title,
        },
    )
    assert T("shifts.posted") in dump(card), card


def test_a_shift_request_is_proposed_accepted_refused_on_overlap_and_planned(
    chat: Chat, chat_as: Callable[..., Sequence[Chat]]
) -> None:
    chantal = chat
    anna, bram = chat_as(ANNA, BRAM)
    welcomed(chantal, anna, bram)
    _ready_in_the_pool(chantal, bram)
    monday = monday_of(bot_today() + timedelta(days=14))
    year, week, _ = monday.isocalendar()

    # Harderwijk asks the pool: the form opens, and the request goes to the coordinator only.
    before = anna.card_count()
    anna.send(T("command.request_shifts"))
    anna.wait_for_card(T("shifts.form.heading"), after=before)
    _request(anna, COUNTER, f"tue and thu 9:00-13:00, week {week} {year}")
    _request(anna, EXTRA, f"{monday + timedelta(days=1):%d-%m-%Y} 12:00-16:00")  # overlaps Tuesday

    # Bram proposes Chantal from the ranked list; for the second request too (set-up).
    notice = bram.wait_for_card(T("notice.shift_request.title", title=COUNTER))
    notice.click(T("shifts.action.people"))
    listed = bram.wait_for_card(T("shifts.coordinator.title", title=COUNTER), after=notice.index)
    assert "Chantal Bakker" in listed.text()
    listed.click(T("shifts.action.propose"), within="Chantal Bakker")
    bram.wait_for_card(T("shifts.banner.proposed"), after=listed.index)
    extra = bram.wait_for_card(T("notice.shift_request.title", title=EXTRA))
    extra_id = action_data(extra.json, Verb.SHIFTS_CANDIDATES)["klus_id"]
    proposed = bram.invoke(Verb.SHIFTS_PROPOSE, {"klus_id": extra_id, "person_id": CHANTAL_ID})
    assert T("shifts.banner.proposed") in dump(proposed), proposed

    # Chantal says yes to the first; her yes to the second, at the same time, is refused.
    offer = chantal.wait_for_card(T("notice.proposed.title", title=COUNTER))
    offer.click(T("action.match_confirm"))
    chantal.wait_for_card(T("interest.status.confirmed"), after=offer.index)
    second = chantal.wait_for_card(T("notice.proposed.title", title=EXTRA))
    second.click(T("action.match_confirm"))
    refused = chantal.wait_for_card(T("shifts.refusal.overlap"), after=second.index)
    assert T("interest.status.confirmed") not in refused.text()

    # Her planning board of that week, and her calendar feed.
    board = chantal.invoke(Verb.PLANNING_SHOW, {"week": monday.isoformat()})
    assert dump(board).count(COUNTER) == 2 and EXTRA not in dump(board)
    [feed] = [e["url"] for e in elements(board) if e.get("type") == "Action.OpenUrl" and ".ics" in e["url"]]
    with urllib.request.urlopen(feed, timeout=10) as response:
        events = icalendar.Calendar.from_ical(response.read()).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart").date()) for e in events] == [
        (COUNTER, monday + timedelta(days=1)),
        (COUNTER, monday + timedelta(days=3)),
    ]
