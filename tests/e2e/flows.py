"""Shared steps of the end-to-end tests: set-up through the Playground's HTTP API, and reading a
card's JSON (its buttons and their data)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from klussenbank.i18n import Translator
from klussenbank.services.clock import SystemClock
from klussenbank.verbs import Verb
from tests.e2e.playground import PLAYGROUND_LOCALE, STARTUP_TIMEOUT, Card, Chat, E2EError

T = Translator.for_locale(PLAYGROUND_LOCALE)


def bot_today() -> date:
    """Today as the bot sees it: in the Netherlands, on the real clock (not the test machine's date)."""
    return SystemClock().today()


def welcomed(*chats: Chat) -> list[Card]:
    """Each person's welcome, in their chat: from then on the bot can message them. The first card
    after a page load gets the start-up time: in CI a welcome once showed up in the page only after
    the usual 15 s, though the Playground had it within a second."""
    cards = []
    for chat in chats:
        # The failure screenshots show the welcome the wait missed, and a screenshot makes the page
        # draw: a page behind the others may not, so bring each to the front before looking.
        # Under the whole suite's load (two test workers) a first page once took more than 30 s to
        # draw a welcome the Playground had sent at once (twice in three full runs on 2026-12-07):
        # a wait, so a quick page costs nothing.
        chat.page.bring_to_front()
        cards.append(chat.wait_for_card(T("welcome.privacy"), timeout=2 * STARTUP_TIMEOUT))
    return cards


def sign_up(chat: Chat, skills: str = "minute-taking,copywriting") -> None:
    """Available for these skills, 12 hours a week, also for Harderwijk, remote."""
    card = chat.invoke(
        Verb.AVAILABILITY_SAVE,
        {
            "skills": skills,
            "hours_per_week": "12",
            "start_date": bot_today().isoformat(),
            "organisations": "ermelo,harderwijk",
            "work_mode": "remote",
            "suggestions": "true",
            "visible_to_own_line": "false",
        },
    )
    assert T("profile.saved") in dump(card), card


def post_klus(
    anna: Chat, title: str, skill: str, description: str = "", *, organisation: str = "harderwijk"
) -> int:
    """Anna posts a remote klus for Harderwijk (or `organisation`), 4 hours a week from in two weeks;
    its id, from the posted card's actions."""
    today = bot_today()
    card = anna.invoke(
        Verb.KLUS_POST,
        {
            "title": title,
            "description": description or f"{title}: a few hours a week, remotely.",
            "organisation": organisation,
            "required_skills": skill,
            "nice_skills": "",
            "skills_other": "",
            "hours_per_week": "4",
            "start_date": (today + timedelta(days=14)).isoformat(),
            "end_date": (today + timedelta(days=60)).isoformat(),
            "work_mode": "remote",
            "place": "",
            "people_needed": "1",
            "interest_deadline": (today + timedelta(days=10)).isoformat(),
            "visibility": "pool",
            "internal_first_until": (today + timedelta(days=14)).isoformat(),
        },
    )
    assert T("klus.posted") in dump(card), card
    return int(action_data(card, Verb.KLUS_CANDIDATES)["klus_id"])


def choose(anna: Chat, candidate: Chat, person_id: str, klus_id: int, motivation: str) -> None:
    """The candidate shows interest with a motivation, and Anna chooses them."""
    answer = candidate.invoke(Verb.INTEREST_ADD, {"klus_id": str(klus_id), "motivation": motivation})
    assert T("interest.sent") in dump(answer), answer
    answer = anna.invoke(Verb.CANDIDATE_CHOOSE, {"klus_id": str(klus_id), "person_id": person_id})
    assert T("candidates.chosen") in dump(answer), answer


def open_report(hr: Chat) -> Card:
    """HR says "report": the card with their own organisation's figures, this year so far."""
    before = hr.card_count()
    hr.send(T("command.report"))
    return hr.wait_for_card(T("report.people_available"), T("action.report_evaluations"), after=before)


def shown_under(card: Card, heading: str) -> str:
    """The text of the innermost block on the card that shows `heading`: on an evaluations card,
    one side's answers under "Your evaluation" or "Evaluation by … (poster)"."""
    blocks = card.locator.locator(".ac-container").filter(has_text=heading)
    if blocks.count() == 0:
        raise E2EError(f"card #{card.index} shows no {heading!r}: {card.text()[:1000]}")
    return " ".join(blocks.last.inner_text().split())


def dump(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def elements(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for item in node:
            yield from elements(item)


def verbs(card: dict[str, Any]) -> set[str]:
    """The verbs of the card's buttons (not of its refresh action)."""
    return {
        str(e.get("verb"))
        for e in elements({"body": card.get("body"), "actions": card.get("actions")})
        if e.get("type") == "Action.Execute"
    }


def action_data(card: dict[str, Any], verb: str) -> dict[str, Any]:
    for element in elements(card):
        if element.get("type") == "Action.Execute" and element.get("verb") == verb:
            data: dict[str, Any] = element.get("data") or {}
            return data
    raise AssertionError(f"no {verb!r} action in the card: {dump(card)[:1000]}")
