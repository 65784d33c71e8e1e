"""Pools run by a coordinator over real HTTP: the coordinator's `pool` card (adding a member, ticking
off onboarding steps, recording a qualification, refusals), and `niet beschikbaar` (a period, a bad
one refused with a clear message and nothing stored)."""

from __future__ import annotations

from tests.bot.conftest import BRAM, DAAN, EVA, BotHarness, snapshot
from tests.bot.test_klussen import buttons, signed_up, texts

POOL = {"pool": "flexpool-burgerzaken"}
STEPS = ("4 trainingsdagen", "2 weken inwerken bij Chantal Bakker")


async def test_the_coordinator_adds_a_flex_worker_and_onboards_her_step_by_step(harness: BotHarness) -> None:
    await harness.say("hallo", user=BRAM)
    [card] = await harness.say("flexpool", user=BRAM)
    assert "Flexpool Burgerzaken" in texts(card) and "Er hoort nog niemand bij deze pool" in texts(card)
    add = buttons(card)["pool.member.add"]["data"]

    card = await harness.execute(
        "pool.member.add", {**add, "pool_email": "eva.smit@zeewolde.example"}, user=BRAM
    )
    assert "Eva Smit hoort nu bij de pool." in texts(card) and "Inwerken: 0 van 2 stappen klaar" in texts(
        card
    )
    for done, step in enumerate(STEPS, start=1):
        assert f"Inwerken: {done - 1} van 2 stappen klaar" in texts(card)
        tick = buttons(card)["pool.step.done"]
        assert tick["title"] == f"Afvinken: {step}"
        card = await harness.execute("pool.step.done", tick["data"], user=BRAM)
        assert f"Afgevinkt: {step}." in texts(card)
    assert "Klaar voor werk in de pool" in texts(card) and "pool.step.done" not in buttons(card)

    record = buttons(card)["pool.qualification.record"]["data"]
    bad = {
        **record,
        "person_id": EVA,
        "qualification": "VOG",
        "obtained_on": "2026-06-01",
        "expires_on": "2026-05-01",
    }
    before = await snapshot(harness.engine)
    card = await harness.execute("pool.qualification.record", bad, user=BRAM)
    assert "De kwalificatie verloopt dan al voordat hij is behaald" in texts(card)
    assert await snapshot(harness.engine) == before
    card = await harness.execute("pool.qualification.record", {**bad, "expires_on": ""}, user=BRAM)
    assert "Vastgelegd: VOG, Eva Smit." in texts(card)


async def test_the_coordinator_takes_a_member_out_of_the_pool_from_its_card(harness: BotHarness) -> None:
    await harness.say("hallo", user=BRAM)
    [card] = await harness.say("flexpool", user=BRAM)
    add = buttons(card)["pool.member.add"]["data"]
    card = await harness.execute(
        "pool.member.add", {**add, "pool_email": "eva.smit@zeewolde.example"}, user=BRAM
    )
    remove = buttons(card)["pool.member.remove"]
    assert remove["title"] == "Ja, uit de pool halen" and remove["data"]["person_id"] == EVA

    # Someone else pressing the same button (the card's data is no right) changes nothing.
    await harness.say("hallo", user=DAAN)
    before = await snapshot(harness.engine)
    refused = await harness.execute("pool.member.remove", remove["data"], user=DAAN)
    assert "Dit kan alleen de coördinator van een pool." in texts(refused)
    assert await snapshot(harness.engine) == before

    card = await harness.execute("pool.member.remove", remove["data"], user=BRAM)
    assert "Eva Smit hoort niet meer bij de pool." in texts(card)
    assert "Er hoort nog niemand bij deze pool" in texts(card)
    again = await harness.execute("pool.member.remove", remove["data"], user=BRAM)  # a double click
    assert "Eva Smit hoort niet meer bij de pool." in texts(again)


async def test_someone_who_coordinates_no_pool_is_refused_every_time(harness: BotHarness) -> None:
    await harness.say("hallo", user=DAAN)
    before = await snapshot(harness.engine)
    [card] = await harness.say("pool", user=DAAN)
    assert "Dit kan alleen de coördinator van een pool." in texts(card)
    forged = {**POOL, "person_id": EVA, "step": STEPS[0], "once": "a" * 20}
    assert "Dit kan alleen de coördinator" in texts(
        await harness.execute("pool.step.done", forged, user=DAAN)
    )
    assert await snapshot(harness.engine) == before


async def test_a_person_adds_an_unavailable_period_in_a_few_taps(harness: BotHarness) -> None:
    await signed_up(harness, EVA)
    [card] = await harness.say("niet beschikbaar", user=EVA)
    add = buttons(card)["unavailable.add"]["data"]

    before = await snapshot(harness.engine)
    wrong = {**add, "first_day": "2026-12-14", "last_day": "2026-12-03"}
    card = await harness.execute("unavailable.add", wrong, user=EVA)
    assert "De laatste dag ligt vóór de eerste dag" in texts(card)
    assert await snapshot(harness.engine) == before

    exams = {
        **add,
        "first_day": "2026-12-03",
        "last_day": "2026-12-14",
        "weekdays": "fri",
        "reason": "tentamens economie",
    }
    card = await harness.execute("unavailable.add", exams, user=EVA)
    assert (
        "Opgeslagen." in texts(card)
        and "wel op vrijdag" in texts(card)
        and "tentamens economie" in texts(card)
    )
    remove = buttons(card)["unavailable.remove"]["data"]
    card = await harness.execute("unavailable.remove", remove, user=EVA)
    assert "De periode is weg." in texts(card) and "tentamens economie" not in texts(card)
