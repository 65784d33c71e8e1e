"""A development track over real HTTP: HR proposes, the person consents on the card in their chat,
the adviser opens it and downloads it, the manager sees nothing, the person ends it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from tests.bot.conftest import ANNA, BRAM, CHANTAL, BotHarness
from tests.bot.test_klussen import buttons, texts
from tests.conftest import TODAY


def _delivered_card(activities: list[dict[str, Any]], verb: str) -> dict[str, Any]:
    for activity in activities:
        for attachment in activity.get("attachments", []):
            if verb in buttons(attachment["content"]):
                return dict(attachment["content"])
    raise AssertionError(f"no delivered card with {verb}")


async def test_a_track_with_consent_seen_by_the_adviser_not_the_manager_and_ended_by_the_person(
    harness: BotHarness,
) -> None:
    await harness.say("hallo")
    await harness.say("hallo", user=ANNA)
    form = (await harness.say("traject starten", user=ANNA))[-1]
    assert "track.propose" in buttons(form) and "Chantal Bakker" in texts(form)
    assert "not_hr" not in texts(form)
    refused = (await harness.say("traject starten", user=BRAM))[-1]
    assert "Dit kan alleen HR" in texts(refused)

    data = {
        "person": CHANTAL,
        "kind": "reintegration",
        "skills": "copywriting",
        "hours": "40",
        "until": (TODAY + timedelta(days=90)).isoformat(),
        "adviser": ANNA,
        "once": "proposal-key-0001",
    }
    sent = await harness.execute("track.propose", data, user=ANNA)
    assert "Er wordt niets bewaard tot Chantal Bakker ja zegt" in texts(sent)

    consent = _delivered_card(await harness.deliver(), "track.accept")
    assert "Alleen jij en Anna de Vries zien dit traject" in texts(consent)
    started = await harness.execute("track.accept", buttons(consent)["track.accept"].get("data"))
    assert "Je traject is gestart" in texts(started) and "track.end" in buttons(started)
    notice = _delivered_card(await harness.deliver(), "track.show")
    track_id = buttons(notice)["track.show"]["data"]["track_id"]

    progress = await harness.execute("track.show", {"track_id": track_id}, user=ANNA)
    assert "Traject van Chantal Bakker" in texts(progress)
    links = [urlsplit(a["url"]) for a in progress["actions"] if a["type"] == "Action.OpenUrl"]
    [csv_link] = [link for link in links if link.path.endswith(".csv")]
    response = await harness.client.get(f"{csv_link.path}?{csv_link.query}")
    assert response.status == 200 and "Chantal Bakker" in await response.text()
    assert (await harness.client.get(f"{csv_link.path}?expires=9999999999&sig={'0' * 64}")).status == 403

    # Her manager: no list of tracks, no track, no trace in his cards.
    assert "Dit kan alleen HR" in texts((await harness.say("trajecten", user=BRAM))[-1])
    hidden = await harness.execute("track.show", {"track_id": track_id}, user=BRAM)
    assert "Dit traject kan ik niet vinden" in texts(hidden) and "Chantal" not in texts(hidden)

    mine = (await harness.say("mijn traject"))[-1]
    ended = await harness.execute("track.end", buttons(mine)["track.end"]["data"])
    assert "Je traject is gestopt" in texts(ended)
    gone = await harness.execute("track.show", {"track_id": track_id}, user=ANNA)
    assert "Dit traject kan ik niet vinden" in texts(gone)
    assert json.dumps(await harness.deliver()).count("is gestopt met het traject") == 1
