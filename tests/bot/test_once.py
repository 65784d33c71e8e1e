"""Double clicks over real HTTP: two presses of one card at the same moment take effect once, and the
loser gets "already done" with the result, never the apology; first contact at once never fails."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from tests.bot.conftest import ANNA, BRAM, EVA, BotHarness
from tests.bot.test_klussen import buttons, klus_form, signed_up, texts

ALREADY = "Dit was al gedaan: je drukte twee keer. Er is niets dubbel gebeurd."
APOLOGY = "Sorry, er ging iets mis"


async def rows(harness: BotHarness, sql: str) -> int:
    async with harness.engine.connect() as connection:
        return int(await connection.scalar(text(sql)) or 0)


async def double_click(harness: BotHarness, verb: str, data: dict[str, Any], user: str) -> list[str]:
    cards = await asyncio.gather(*(harness.execute(verb, data, user=user) for _ in range(2)))
    return [texts(card) for card in cards]


async def test_post_klus_pressed_twice_at_once_posts_one_klus(harness: BotHarness) -> None:
    await signed_up(harness, EVA)
    [form] = (await harness.say("klus plaatsen", user=BRAM))[-1:]
    key = buttons(form)["klus.post"]["data"]["once"]
    assert len(key) >= 16

    replies = await double_click(harness, "klus.post", {**klus_form(), "once": key}, BRAM)

    assert sum("Je klus is geplaatst" in r for r in replies) == 1
    [again] = [r for r in replies if ALREADY in r]
    assert "Notuleren bij de raad" in again  # the klus of the first press
    assert not any(APOLOGY in r for r in replies)
    assert await rows(harness, "SELECT count(*) FROM klussen") == 1
    suggestions = [a for a in await harness.deliver() if a["_conversation"] == f"a:personal-{EVA}"]
    assert len(suggestions) == 1


async def test_each_new_form_has_its_own_key(harness: BotHarness) -> None:
    await harness.say("hallo", user=BRAM)
    first = buttons(await harness.execute("klus.new", user=BRAM))["klus.post"]["data"]["once"]
    second = buttons(await harness.execute("klus.new", user=BRAM))["klus.post"]["data"]["once"]

    assert first != second
    for key in (first, second):
        assert "Je klus is geplaatst" in texts(
            await harness.execute("klus.post", {**klus_form(), "once": key}, user=BRAM)
        )
    assert await rows(harness, "SELECT count(*) FROM klussen") == 2


async def test_a_forged_key_is_no_key(harness: BotHarness) -> None:
    """A key that is not one of ours (too short, too long, not text) is ignored, never an error."""
    await harness.say("hallo", user=BRAM)
    for forged in ("x", "a" * 65, ["a" * 20], {"k": 1}, "a b c d e f g h i j"):
        card = await harness.execute("klus.post", {**klus_form(), "once": forged}, user=BRAM)
        assert "Je klus is geplaatst" in texts(card), forged
    assert await rows(harness, "SELECT count(*) FROM once_keys") == 0


async def test_send_pressed_twice_at_once_sends_one_announcement(harness: BotHarness) -> None:
    await harness.say("hallo", user=ANNA)
    await harness.say("hallo", user=EVA)
    composer = await harness.execute("announce.new", user=ANNA)
    assert "announce.preview" in buttons(composer)
    preview = await harness.execute(
        "announce.preview",
        {"title": "Lunch", "text": "Kom naar de lunch.", "organisations": "zeewolde,ermelo,harderwijk"},
        user=ANNA,
    )
    send = buttons(preview)["announce.send"]["data"]
    assert send["once"] == buttons(preview)["announce.schedule"]["data"]["once"]

    replies = await double_click(harness, "announce.send", send, ANNA)

    assert sum(ALREADY in r for r in replies) == 1, replies
    assert not any(APOLOGY in r for r in replies)
    assert await rows(harness, "SELECT count(*) FROM announcements") == 1
    copies = [a for a in await harness.deliver() if a["_conversation"] == f"a:personal-{EVA}"]
    assert len(copies) == 1


async def test_interest_and_choosing_pressed_twice_at_once_notify_once(harness: BotHarness) -> None:
    await signed_up(harness, EVA)
    await harness.say("hallo", user=BRAM)
    posted = await harness.execute("klus.post", klus_form(), user=BRAM)
    klus_id = buttons(posted)["klus.candidates"]["data"]["klus_id"]
    await harness.deliver()
    offer = await harness.execute("klus.show", {"klus_id": klus_id}, user=EVA)
    interest = {**buttons(offer)["interest.add"]["data"], "motivation": "Graag"}

    replies = await double_click(harness, "interest.add", interest, EVA)

    assert sum(ALREADY in r for r in replies) == 1 and not any(APOLOGY in r for r in replies)
    assert len(await harness.deliver()) == 1  # Bram hears of it once
    candidates = await harness.execute("klus.candidates", {"klus_id": klus_id}, user=BRAM)
    choose = buttons(candidates)["candidate.choose"]["data"]

    replies = await double_click(harness, "candidate.choose", choose, BRAM)

    assert sum(ALREADY in r for r in replies) == 1 and not any(APOLOGY in r for r in replies)
    assert len(await harness.deliver()) == 1  # Eva hears she was chosen once


async def test_a_new_persons_install_and_first_messages_at_once_all_succeed(harness: BotHarness) -> None:
    """Someone from no directory, greeting while Teams installs the app: every turn is answered,
    none with the apology, and they are welcomed exactly once."""
    newcomer = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5eff"
    install = harness.activity(newcomer, type="installationUpdate", action="add")
    hello = [harness.activity(newcomer, type="message", text="hallo") for _ in range(3)]
    before = len(harness.connector.cards())

    statuses = await asyncio.gather(*(harness.post(a) for a in (install, *hello)))

    assert all(status in (200, 202) for status, _ in statuses)
    replies = [texts(c) for c in harness.connector.cards()[before:]]
    assert not any(APOLOGY in r for r in replies)
    assert sum("Welkom" in r for r in replies) == 1
    assert await rows(harness, f"SELECT count(*) FROM people WHERE aad_object_id = '{newcomer}'") == 1
