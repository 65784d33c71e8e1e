"""Learning and growth over real HTTP: a learning wish on the sign-up card, a skill the poster
confirms in the evaluation on the person's profile (hidden by them, by nobody else), and the monthly
pulse answered with one tap."""

from __future__ import annotations

from datetime import timedelta

from tests.bot.conftest import BRAM, DAAN, EVA, BotHarness
from tests.bot.test_klussen import availability, buttons, card_of, texts
from tests.bot.test_work import approved_match
from tests.conftest import TODAY


async def test_a_learning_wish_is_saved_from_the_sign_up_card(harness: BotHarness) -> None:
    await harness.say("hallo", user=DAAN, locale="en-US")
    form = {**availability(), "learning_skills": "omgevingswet", "learning_other": "presenting, notulist"}

    profile = await harness.execute("availability.save", form, user=DAAN, locale="en-US")

    assert "Wants to learn" in texts(profile)
    assert "Environment and Planning Act, Taking minutes, presenting" in texts(profile)
    bad = await harness.execute(
        "availability.save", {**form, "learning_skills": "no-such-skill"}, user=DAAN, locale="en-US"
    )
    assert "availability.save" in buttons(bad)  # the form again, with a message by the field


async def test_a_confirmed_skill_shows_on_the_profile_and_only_its_owner_hides_it(
    harness: BotHarness,
) -> None:
    match = await approved_match(harness)
    harness.clock.current = TODAY + timedelta(days=17)
    sure = await harness.execute("work.complete", match, user=BRAM)
    await harness.execute("work.complete.confirm", buttons(sure)["work.complete.confirm"]["data"], user=BRAM)
    delivered = [card_of(a) for a in await harness.deliver()]
    asked = [c for c in delivered if "Welke vaardigheden heeft Eva Smit gebruikt of geleerd?" in texts(c)]
    assert len(asked) == 1  # the poster's evaluation asks to confirm skills

    await harness.execute(
        "evaluation.send",
        {**match, "score": "5", "again": "true", "skills": "omgevingswet,minute-taking"},
        user=BRAM,
    )
    [profile] = (await harness.say("profiel", user=EVA))[-1:]

    assert "✓ Kennis van de Omgevingswet · bevestigd door 1 opdrachtgever" in texts(profile)
    hide = buttons(profile)["confirmation.hide"]
    # Daan's button names Eva's skill: the server looks at Daan's own confirmations (none).
    await harness.execute("confirmation.hide", hide["data"], user=DAAN, locale="en-US")
    [still] = (await harness.say("profiel", user=EVA))[-1:]
    assert texts(still) == texts(profile)
    hidden = await harness.execute("confirmation.hide", hide["data"], user=EVA)
    assert "Verborgen. Deze bevestiging telt niet meer mee." in texts(hidden)
    assert "confirmation.show" in buttons(hidden)


async def test_the_pulse_is_answered_with_one_tap_once(harness: BotHarness) -> None:
    await harness.say("hallo", user=EVA)
    await harness.execute("availability.save", availability(), user=EVA)
    assert await harness.services.pulse.send_due() == 1
    [pulse] = [card_of(a) for a in await harness.deliver()]
    assert "Hoe bevalt Klussenbank?" in texts(pulse)
    face = buttons(pulse)["pulse.answer"]["data"]

    thanks = await harness.execute(
        "pulse.answer", {**face, "pulse_text": "Meer klussen graag.", "pulse_signed": "false"}, user=EVA
    )
    again = await harness.execute("pulse.answer", {**face, "pulse_score": "1"}, user=EVA)
    stranger = await harness.execute("pulse.answer", {**face, "once": "x" * 20}, user=DAAN, locale="en-US")
    nonsense = await harness.execute("pulse.answer", {"pulse_id": "abc", "pulse_score": "9"}, user=EVA)

    assert "Dank je wel!" in texts(thanks)
    assert "al geantwoord" in texts(again)
    assert "We can no longer find this question." in texts(stranger)
    assert "Tik op een van de gezichten." in texts(nonsense)


async def test_a_pulse_id_no_row_can_have_is_not_found_not_an_error(harness: BotHarness) -> None:
    await harness.say("hallo", user=EVA)
    # A card's id beyond what the database's integer holds (PostgreSQL refused the query: a failed turn).
    far = await harness.execute("pulse.answer", {"pulse_id": str(2**40), "pulse_score": "4"}, user=EVA)

    assert "Deze vraag kunnen we niet meer vinden." in texts(far)
