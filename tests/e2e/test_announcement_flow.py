"""An HR announcement end to end: to a team channel and to people, followed, withdrawn.

Anna de Vries is HR (the demo organisations file names her for every organisation). Daan Visser
opens the team's "Klussen" channel in his Playground: that is how the Playground adds the app to a
team (an installationUpdate and a conversationUpdate with membersAdded [bot] and channelData.team,
in the channel's conversation); the bot says hello there and records the channel. Anna composes an
announcement in the composer card, previews it and sends it now to that channel and to everyone
with the app at Ermelo and Harderwijk (Chantal, Daan and Anna herself have a personal chat with it).
It shows up in the channel (Daan's page) and in Chantal's personal chat; Anna's report card, kept
up to date by the bot, counts the deliveries; its CSV link lists the recipients; Anna withdraws it
and every copy says so.

What the Playground (0.2.28) sends for a channel: opening one posts
/_debug/conversation/{channel id}/installation, which sends, in the channel's conversation
(conversationType "channel", conversation.name the channel's name), an installationUpdate with
channelData.team {id, name, aadGroupId} and channel {id}, and a conversationUpdate with
channelData.team {id, name, aadGroupId} and eventType "teamMemberAdded" but no channelData.channel.
A message in a channel reaches the bot only when it @mentions it (channelData.team {id} and
channel {id}, no names).

Each person has a Playground of their own on the same bot (see test_klus_flow.py): Chantal the one
of .m365agentsplayground.yml (`chat`), Anna and Daan copies with them signed in and ids of their
own (`chat_as`). The Playground sends locale "en-US" with messages and invokes, so the bot answers
in English; a conversationUpdate carries no locale, so the channel's hello is in the language Daan,
who added the app, uses with the bot: English too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import pytest

from klussenbank.i18n import LANGUAGES, Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import welcomed
from tests.e2e.playground import (
    CARD_TIMEOUT,
    PLAYGROUND_LOCALE,
    BotServer,
    Chat,
    E2EError,
    http_get,
    wait_until,
)

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, CHANTAL, DAAN = "Anna de Vries", "Chantal Bakker", "Daan Visser"
EMAILS = {
    ANNA: "anna.devries@harderwijk.example",
    CHANTAL: "chantal.bakker@ermelo.example",
    DAAN: "daan.visser@ermelo.example",
}
TEAM, CHANNEL = "Klussenbank Veluwe", "Klussen"

TITLE = "Open day for the klussenbank"
TEXT = "On 12 December we show how the klussenbank works. Coffee is ready at 10:00."
LINK_TITLE = "Sign up for the open day"
LINK_URL = "https://www.harderwijk.example/open-dag"

# Everyone with a personal chat at Ermelo and Harderwijk, and the channel.
RECIPIENTS = len(EMAILS) + 1
# Copies go out through the outbox, and the report card keeps up by a chore every 5 seconds.
CHORE_TIMEOUT = 30.0


def _before(template: str) -> str:
    """The fixed text of a catalog template up to its first placeholder ("Sent on {when}." -> "Sent on")."""
    return template.split("{", 1)[0].strip()


def _open_channel(chat: Chat, team: str, channel: str) -> str:
    """Open a team channel in this person's Playground page, as a person would; its conversation id.

    The Playground sends the app's install activities for the channel's conversation when the
    channel is opened: this is how the app gets into the team there.
    """
    teams = chat.playground.test_config().get("teams") or []
    found = [
        c["id"]
        for t in teams
        if t.get("name") == team
        for c in t.get("channels", [])
        if c.get("name") == channel
    ]
    if len(found) != 1:
        raise E2EError(f"no single channel {channel!r} of team {team!r} in the Playground config: {teams}")
    page = chat.page
    item = page.get_by_role("treeitem", name=f"{team} - {channel}", exact=True)  # in the left-hand list
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/conversation/{found[0]}/installation")
    ) as installed:
        item.click()
    if not installed.value.ok:
        raise E2EError(f"opening the channel: HTTP {installed.value.status} from {installed.value.url}")
    return str(found[0])


def _open_url(card: dict[str, Any], title: str) -> str:
    for action in card.get("actions") or []:
        if action.get("type") == "Action.OpenUrl" and action.get("title") == title:
            return str(action["url"])
    raise E2EError(f"no Action.OpenUrl {title!r} in the card: {json.dumps(card)[:1000]}")


def _withdrawn_note() -> str:
    return " · ".join(Translator(language)("announce.withdrawn_note") for language in LANGUAGES)


def test_hr_announces_to_a_channel_and_people_then_withdraws(
    chat: Chat, chat_as: Callable[..., Sequence[Chat]], bot: BotServer
) -> None:
    chantal = chat
    anna, daan = chat_as(ANNA, DAAN)
    welcomed(chantal, anna, daan)

    # The app joins the team: Daan opens the Klussen channel; the bot says hello there.
    channel = daan  # from here on Daan's page shows the channel
    channel_id = _open_channel(daan, TEAM, CHANNEL)
    # A card with the way to the personal chat, in Daan's language (English: his Playground's).
    channel.wait_for_card(T("channel.hello.title"), T("action.open_personal_chat"))

    # Anna, HR, writes an announcement for the channel and for Ermelo and Harderwijk.
    before = anna.card_count()
    anna.send(T("command.announce"))
    composer = anna.wait_for_card(T("announce.heading"), T("announce.audience"), after=before)
    composer.fill("title", TITLE)
    composer.fill("text", TEXT)
    composer.fill("link_title", LINK_TITLE)
    composer.fill("link_url", LINK_URL)
    composer.choose("channels", channel_id)
    composer.choose("organisations", "ermelo", "harderwijk")
    composer.click(T("action.preview"))
    preview = anna.wait_for_card(T("announce.preview_title"), TITLE, after=composer.index)
    assert preview.index == composer.index  # the composer turned into the preview
    text = preview.text()
    people = T(
        "announce.people_count", count=len(EMAILS), organisations="Gemeente Ermelo, Gemeente Harderwijk"
    )
    for shown in (TEXT, f"{ANNA} · Gemeente Harderwijk", people, TEAM):
        assert shown in text, text
    assert preview.locator.get_by_role("link", name=LINK_TITLE, exact=True).get_attribute("title") == LINK_URL

    # Send now: the card becomes the report, and a report card of its own follows and keeps up.
    # (The separate report card may arrive before the answer to the click: look at the preview itself.)
    preview.click(T("action.send_now"))
    reported = T("announce.report_title", title=TITLE)
    sent = anna.card(preview.index)
    wait_until(
        lambda: reported in sent.text() or None, CARD_TIMEOUT, lambda: f"card #{sent.index}: {sent.text()}"
    )
    assert T("announcement.sent") in sent.text()

    # It arrives in the channel, in Chantal's personal chat and in Anna's, with its link button.
    copies = []
    for person in (channel, chantal, anna):
        copy = person.wait_for_card(TITLE, TEXT, timeout=CHORE_TIMEOUT)
        assert f"{ANNA} · Gemeente Harderwijk" in copy.text()
        link = copy.locator.get_by_role("link", name=LINK_TITLE, exact=True)  # how Action.OpenUrl renders
        assert link.get_attribute("title") == LINK_URL
        copies.append((person, copy.index))

    # Anna's own report card, updated by the bot, counts what was delivered.
    report = anna.wait_for_card(
        T("announce.report_title", title=TITLE),
        _before(T("announce.status.sent", when="{when}")),
        f"{T('announce.count.sent')} {RECIPIENTS}",
        after=preview.index + 1,
        timeout=CHORE_TIMEOUT,
    )
    text = report.text()
    for group in ("unreachable", "failed", "pending"):
        assert T(f"announce.count.{group}") not in text, text  # groups with 0 are left out

    # The recipients as CSV, from the report card's signed link, without logging in.
    url = _open_url(report.json, T("action.download_csv"))
    assert urlsplit(url).netloc == urlsplit(bot.base_url).netloc, url
    answer = http_get(url, timeout=CARD_TIMEOUT)
    assert answer is not None and answer[0] == 200, answer
    rows = list(csv.DictReader(io.StringIO(answer[1].removeprefix("\ufeff"))))
    assert sorted(r["email"] for r in rows if r["email"]) == sorted(EMAILS.values()), rows
    assert {r["name"] for r in rows if r["email"]} == set(EMAILS), rows
    assert len(rows) == RECIPIENTS and all(r["status"] == "sent" for r in rows), rows
    forged = re.sub(r"sig=[0-9a-f]+", "sig=" + "0" * 64, url)
    assert (http_get(forged, timeout=CARD_TIMEOUT) or (0, ""))[0] == 403

    # Anna withdraws it: every copy now says so, in place.
    withdrawn = report.click(T("action.withdraw_announcement"))
    assert withdrawn is not None and T("announcement.withdrawn") in json.dumps(withdrawn, ensure_ascii=False)
    anna.wait_for_card(
        T("announce.report_title", title=TITLE), T("announce.status.withdrawn"), after=report.index
    )
    note = _withdrawn_note()
    for person, index in copies:
        changed = person.wait_for_card(note, TITLE, timeout=CHORE_TIMEOUT)
        assert changed.index == index  # the same message, changed in place
        assert not any(TEXT in text for text in person.card_texts()), person.card_texts()


def test_only_hr_may_announce(chat: Chat) -> None:
    welcomed(chat)
    before = chat.card_count()
    chat.send(T("command.announce"))
    refused = chat.wait_for_card(T("refusal.not_hr"), after=before)
    assert T("announce.heading") not in refused.text()

    # Not by a card either: the server checks every action.
    card = chat.invoke(
        Verb.ANNOUNCE_SEND,
        {
            "title": TITLE,
            "text": TEXT,
            "link_title": "",
            "link_url": "",
            "channels": "",
            "organisations": "ermelo",
        },
    )
    assert T("refusal.not_hr") in json.dumps(card, ensure_ascii=False), card
