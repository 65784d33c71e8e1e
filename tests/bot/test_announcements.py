"""Announcements and digests over real HTTP: the channel the app is in, HR composing and sending,
delivery through the SDK to the fake connector, the report card kept up, withdrawing, the CSV."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlsplit

from tests.bot.conftest import ANNA, BOT_ID, BRAM, CHANTAL, TENANT, BotHarness
from tests.bot.test_klussen import buttons, card_of, texts

TEAM = "19:general@thread.tacv2"
CHANNEL = "19:klussen@thread.tacv2"


def in_channel(harness: BotHarness, conversation: str, **fields: Any) -> dict[str, Any]:
    activity = harness.activity(BRAM, **fields)
    activity["conversation"] = {"id": conversation, "conversationType": "channel", "tenantId": TENANT}
    activity["channelData"] = {
        "tenant": {"id": TENANT},
        "team": {"id": TEAM, "name": "Klussenbank Veluwe"},
        **activity.get("channelData", {}),
        **fields.get("channelData", {}),
    }
    return activity


async def composer_choices(harness: BotHarness) -> dict[str, list[str]]:
    [composer] = (await harness.say("aankondiging", user=ANNA))[-1:]
    return {
        element["id"]: [choice["value"] for choice in element["choices"]]
        for element in composer["body"]
        if element.get("type") == "Input.ChoiceSet"
    }


async def test_the_app_learns_the_channels_of_its_teams(harness: BotHarness) -> None:
    await harness.post(in_channel(harness, TEAM, type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))
    created = in_channel(
        harness,
        TEAM,
        type="conversationUpdate",
        channelData={"eventType": "channelCreated", "channel": {"id": CHANNEL, "name": "Klussen"}},
    )
    await harness.post(created)

    assert (await composer_choices(harness))["channels"] == [TEAM, CHANNEL]
    deleted = in_channel(
        harness,
        TEAM,
        type="conversationUpdate",
        channelData={"eventType": "channelDeleted", "channel": {"id": CHANNEL, "name": "Klussen"}},
    )
    await harness.post(deleted)
    assert (await composer_choices(harness))["channels"] == [TEAM]


async def test_a_channel_keeps_its_names_when_an_event_or_message_leaves_them_out(
    harness: BotHarness,
) -> None:
    # The Playground and Teams name the channel in `conversation.name` on install, and a message
    # in the channel names neither team nor channel.
    added = in_channel(harness, CHANNEL, type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    added["conversation"]["name"] = "Klussen"
    added["channelData"]["channel"] = {"id": CHANNEL}
    await harness.post(added)
    message = in_channel(harness, CHANNEL, type="message", text="@Klussenbank hoi")
    message["channelData"] = {"tenant": {"id": TENANT}, "team": {"id": TEAM}, "channel": {"id": CHANNEL}}
    await harness.post(message)

    [composer] = (await harness.say("aankondiging", user=ANNA))[-1:]
    [channels] = [e for e in composer["body"] if e.get("id") == "channels"]
    assert channels["choices"] == [{"title": "Klussenbank Veluwe › Klussen", "value": CHANNEL}]


async def test_hr_announces_to_a_channel_and_people_and_withdraws_it(harness: BotHarness) -> None:
    await harness.post(in_channel(harness, TEAM, type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))
    for user in (CHANTAL, BRAM):
        await harness.say("hallo", user=user)
    refused = (await harness.say("aankondiging", user=CHANTAL))[-1]
    assert "Dit kan alleen HR" in texts(refused)

    draft = {
        "title": "Klussenbank-lunch",
        "text": "Kom **donderdag** naar de lunch.",
        "link_title": "Aanmelden",
        "link_url": "https://intranet.example/lunch",
        "channels": TEAM,
        "organisations": "ermelo",
    }
    await harness.say("hallo", user=ANNA)
    preview = await harness.execute("announce.preview", draft, user=ANNA)
    assert "Voorbeeld" in texts(preview) and "2 mensen van Gemeente Ermelo, in hun eigen chat" in texts(
        preview
    )
    send = buttons(preview)["announce.send"]["data"]
    sent = await harness.execute("announce.send", send, user=ANNA)
    assert "Verstuurd!" in texts(sent)
    forged = await harness.execute("announce.send", send, user=BRAM)  # the button, pressed by non-HR
    assert "alleen HR" in texts(forged)

    delivered = await harness.deliver()
    cards = [(a["_conversation"], card_of(a)) for a in delivered]
    # Ermelo's people with the app (Bram, Chantal) and the channel; not Anna of Harderwijk.
    assert sorted(where for where, card in cards if card["body"][0]["text"] == "Klussenbank-lunch") == [
        TEAM,
        f"a:personal-{BRAM}",
        f"a:personal-{CHANTAL}",
    ]
    [report] = [card for where, card in cards if "Verslag: Klussenbank-lunch" in texts(card)]
    assert "Nog onderweg" in texts(report)

    # The chore keeps the report card up: all three delivered.
    assert await harness.announcement_chores.refresh_reports() == 1
    await harness.deliver()
    [update] = [u for u in harness.connector.updated if "Verslag" in texts(u)]
    facts = {f["title"]: f["value"] for f in update["attachments"][0]["content"]["body"][2]["facts"]}
    assert facts == {"Bezorgd": "3"}

    # The CSV behind the report's link, over HTTP.
    actions = update["attachments"][0]["content"]["actions"]
    csv_url = urlsplit(next(a["url"] for a in actions if a["type"] == "Action.OpenUrl"))
    response = await harness.client.get(f"{csv_url.path}?{csv_url.query}")
    assert response.status == 200
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["sent", "sent", "sent"]
    assert (await harness.client.get(f"{csv_url.path}?expires=1&sig=00")).status == 403

    report_id = buttons(report)["announce.withdraw"]["data"]
    assert "announce.withdraw" not in buttons(sent)  # the live report is the one to act on
    assert "kan ik niet vinden" in texts(await harness.execute("announce.withdraw", report_id, user=CHANTAL))
    withdrawn = await harness.execute("announce.withdraw", report_id, user=ANNA)
    assert "Ingetrokken." in texts(withdrawn)
    before = len(harness.connector.updated)
    await harness.deliver()
    changed = harness.connector.updated[before:]
    assert sorted(u["_conversation"] for u in changed if "ingetrokken" in texts(u)) == sorted(
        [TEAM, f"a:personal-{BRAM}", f"a:personal-{CHANTAL}"]
    )


async def test_digest_on_and_off(harness: BotHarness) -> None:
    on = (await harness.say("digest aan", user=CHANTAL))[-1]
    assert "elke week een overzicht" in texts(on) and "digest.off" in buttons(on)
    off = await harness.execute("digest.off", {}, user=CHANTAL)
    assert "geen wekelijks overzicht meer" in texts(off)


async def test_hr_reads_the_report_and_downloads_its_figures(harness: BotHarness) -> None:
    await harness.say("hallo", user=ANNA)
    refused = (await harness.say("rapport", user=CHANTAL))[-1]
    assert "alleen HR" in texts(refused)

    [report] = (await harness.say("rapport", user=ANNA))[-1:]

    assert "Rapport Gemeente Harderwijk" in texts(report)  # her own of the organisations she is HR of
    link = urlsplit(next(a["url"] for a in report["actions"] if a["type"] == "Action.OpenUrl"))
    response = await harness.client.get(f"{link.path}?{link.query}")
    assert response.status == 200
    rows = dict(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows["klussen_posted"] == "0" and rows["external_hourly_rate"] == "85.0"
    forged = link.path.replace("/20", "/19", 1)
    assert (await harness.client.get(f"{forged}?{link.query}")).status == 403
