"""My data over real HTTP: the card, the JSON behind its link, and erasing after a confirmation."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from tests.bot.conftest import CHANTAL, BotHarness
from tests.bot.test_klussen import availability, buttons, texts


async def test_my_data_downloads_and_is_erased_after_a_yes(harness: BotHarness) -> None:
    await harness.say("hallo")
    await harness.execute("availability.save", availability(intro="Ik geef zwemles."))

    [card] = (await harness.say("mijn gegevens"))[-1:]
    assert "Mijn gegevens" in texts(card) and "Chantal Bakker" in texts(card)
    link = urlsplit(next(a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"))
    response = await harness.client.get(f"{link.path}?{link.query}")
    assert response.status == 200
    data = json.loads(await response.text())
    assert data["availability"]["intro"] == "Ik geef zwemles."
    assert (await harness.client.get(f"{link.path}?expires=9999999999&sig=00")).status == 403

    confirm = (await harness.say("verwijder mijn gegevens"))[-1]
    assert "Alles verwijderen?" in texts(confirm) and "my_data.erase.confirm" in buttons(confirm)
    done = await harness.execute("my_data.erase.confirm")
    assert "Je gegevens zijn verwijderd" in texts(done)
    assert (await harness.client.get(f"{link.path}?{link.query}")).status == 403  # the old link shows nothing
    profile = (await harness.say("profiel", user=CHANTAL))[-1]
    assert "Ik geef zwemles." not in texts(profile)
