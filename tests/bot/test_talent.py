"""Talent search and dates over real HTTP: findable from the sign-up card, found without a name, not
by one's own manager, a date accepted (names both ways, through the outbox) and declined (no name),
and bad input answered kindly."""

from __future__ import annotations

from typing import Any

from tests.bot.conftest import ANNA, BRAM, CHANTAL, BotHarness
from tests.bot.test_klussen import availability, buttons, card_of, texts

ASKED = "Zou je me 2 uur willen helpen met de notulen van donderdag?"


async def findable_chantal(harness: BotHarness) -> None:
    await harness.say("hallo")
    saved = await harness.execute(
        "availability.save", availability(findable="true", talent_text="Ik notuleer snel en precies.")
    )
    assert "Vindbaar voor collega's" in texts(saved) and "Ik notuleer snel en precies." in texts(saved)


async def search(harness: BotHarness, user: str) -> dict[str, Any]:
    await harness.say("hallo", user=user)
    return await harness.execute("talent.search", {"talent_query": "wie kan notuleren?"}, user=user)


async def ask_chantal(harness: BotHarness) -> tuple[dict[str, Any], dict[str, Any]]:
    """Anna finds Chantal and asks her; the card Anna gets, and the one delivered to Chantal."""
    results = await search(harness, ANNA)
    form = await harness.execute("talent.date.new", buttons(results)["talent.date.new"]["data"], user=ANNA)
    request = buttons(form)["talent.date.request"]["data"]
    sent = await harness.execute(
        "talent.date.request", {**request, "date_text": ASKED, "date_hours": "2"}, user=ANNA
    )
    [to_chantal] = [
        card_of(a) for a in await harness.deliver() if a["_conversation"] == f"a:personal-{CHANTAL}"
    ]
    return sent, to_chantal


async def test_a_findable_colleague_is_found_without_a_name_and_not_by_their_manager(
    harness: BotHarness,
) -> None:
    await findable_chantal(harness)

    assert "talent_query" in texts((await harness.say("talenten zoeken", user=ANNA))[-1])
    results = await search(harness, ANNA)
    by_her_manager = await search(harness, BRAM)

    assert "Gemeente Ermelo" in texts(results) and "Ik notuleer snel en precies." in texts(results)
    assert "Chantal" not in texts(results) and CHANTAL not in texts(results)
    assert "talent.date.new" in buttons(results)
    assert "Nu is er niemand vindbaar" in texts(by_her_manager)
    log = (await harness.say("wie zag mijn gegevens"))[-1]
    assert "Anna de Vries zag je talent" in texts(log) and "Bram" not in texts(log)


async def test_a_date_accepted_shows_both_names_and_a_chat(harness: BotHarness) -> None:
    await findable_chantal(harness)
    sent, to_chantal = await ask_chantal(harness)
    assert "Je vraag is verstuurd" in texts(sent) and "Chantal" not in texts(sent)
    assert "Anna de Vries" in texts(to_chantal) and ASKED in texts(to_chantal)

    yes = await harness.execute("talent.date.accept", buttons(to_chantal)["talent.date.accept"]["data"])

    assert "Je zei ja" in texts(yes) and "Chat met Anna de Vries" in texts(yes)
    [to_anna] = [card_of(a) for a in await harness.deliver() if a["_conversation"] == f"a:personal-{ANNA}"]
    assert "Chantal Bakker helpt je graag" in texts(to_anna) and "Chat met Chantal Bakker" in texts(to_anna)
    again = await harness.execute("talent.date.decline", buttons(to_chantal)["talent.date.decline"]["data"])
    assert "Dit was al gedaan" in texts(again) and "Je zei ja" in texts(again)


async def test_a_date_declined_reveals_no_name_and_tells_nobody_else(harness: BotHarness) -> None:
    await findable_chantal(harness)
    _, to_chantal = await ask_chantal(harness)

    no = await harness.execute("talent.date.decline", buttons(to_chantal)["talent.date.decline"]["data"])

    assert "Je zei nee" in texts(no)
    delivered = await harness.deliver()
    assert [a["_conversation"] for a in delivered] == [f"a:personal-{ANNA}"]  # not her manager Bram
    [to_anna] = [card_of(a) for a in delivered]
    assert "Deze keer lukt het niet" in texts(to_anna) and "Chantal" not in texts(to_anna)


async def test_bad_input_is_answered_kindly(harness: BotHarness) -> None:
    await findable_chantal(harness)
    results = await search(harness, ANNA)
    ref = buttons(results)["talent.date.new"]["data"]

    wrong = await harness.execute(
        "talent.date.request", {**ref, "date_text": "", "date_hours": "veel", "once": "x" * 22}, user=ANNA
    )
    empty = await harness.execute("talent.search", {"talent_query": "wie kan?"}, user=ANNA)
    stranger = await harness.execute("talent.date.new", {"talent_ref": "abc"}, user=ANNA)
    not_hers = await harness.execute("talent.date.accept", {"date_id": "1"}, user=ANNA)

    assert "Vul dit in." in texts(wrong) and "date_hours_error" in texts(wrong)
    assert "Typ een vaardigheid" in texts(empty)
    assert "niet meer te vinden" in texts(stranger)
    assert "bestaat niet" in texts(not_hers)
