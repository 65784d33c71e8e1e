"""After the match over real HTTP: the employee reports a month's hours and the poster checks them on
one card a month; the poster ends the work (after saying yes, they are sure), every card about the
approval says so, the two sides read each other's evaluation, HR reads them from the report, and
nobody else can."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.bot.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, BotHarness
from tests.bot.test_klussen import buttons, card_of, post_klus, signed_up, texts
from tests.conftest import TODAY


async def approved_match(harness: BotHarness) -> dict[str, Any]:
    """Eva (no line manager) works on Bram's klus, approved by HR (Anna): the approval's card data."""
    await signed_up(harness, EVA)
    klus_id = await post_klus(harness)
    await harness.execute("interest.add", {"klus_id": klus_id, "motivation": "Graag."}, user=EVA)
    await harness.execute("candidate.choose", {"klus_id": klus_id, "person_id": EVA}, user=BRAM)
    await harness.execute("match.confirm", {"klus_id": klus_id}, user=EVA)
    delivered = [card_of(a) for a in await harness.deliver()]
    [request] = [c for c in delivered if "approval.approve" in buttons(c)]
    data: dict[str, Any] = buttons(request)["approval.approve"]["data"]
    await harness.say("hallo", user=ANNA)
    approved = await harness.execute("approval.approve", data, user=ANNA)
    assert "Goedgekeurd door Anna de Vries" in texts(approved)
    await harness.deliver()
    return data


async def test_after_the_work_the_two_sides_and_hr_read_the_evaluations(harness: BotHarness) -> None:
    match = await approved_match(harness)
    harness.clock.current = TODAY + timedelta(days=17)  # 10 December 2026: the work runs
    await harness.say("hallo", user=DAAN, locale="en-US")

    sure = await harness.execute("work.complete", match, user=BRAM)
    assert "Weet je zeker dat de klus klaar is?" in texts(sure)
    done = await harness.execute(
        "work.complete.confirm", buttons(sure)["work.complete.confirm"]["data"], user=BRAM
    )

    assert "Het werk is afgerond op 10 december 2026." in texts(done)
    assert "evaluations.show" in buttons(done) and "work.complete" not in buttons(done)
    delivered = [card_of(a) for a in await harness.deliver()]
    # The status cards of Eva and Bram and Anna's approval card now say the work ended.
    ended = [card_of(u) for u in harness.connector.updated if "Het werk is afgerond op" in texts(u)]
    assert len(ended) == 3
    assert sum("evaluations.show" in buttons(card) for card in ended) == 2  # not the approver's
    assert sum("evaluation.send" in buttons(c) for c in delivered) == 2  # both are asked how it went

    thanks = await harness.execute(
        "evaluation.send",
        {**match, "score": "5", "went_well": "Fijn team.", "could_be_better": "", "again": "true"},
        user=EVA,
    )
    assert "Dank je wel" in texts(thanks)
    mine = await harness.execute("evaluations.show", buttons(thanks)["evaluations.show"]["data"], user=EVA)
    assert "Jouw evaluatie" in texts(mine) and "Heel tevreden (5 van 5)" in texts(mine)
    assert "Wat ging goed: Fijn team." in texts(mine)
    assert "Nog niet ingevuld. Je ziet het hier zodra het er is." in texts(mine)  # Bram did not yet
    back = await harness.execute("approval.show", buttons(mine)["approval.show"]["data"], user=EVA)
    assert "Het werk is afgerond op 10 december 2026." in texts(back)
    theirs = await harness.execute("evaluations.show", match, user=BRAM)
    assert "Evaluatie van Eva Smit (medewerker)" in texts(theirs) and "Fijn team." in texts(theirs)
    assert "Je hebt nog niet verteld hoe het ging." in texts(theirs)

    # Anna is HR (of every demo organisation): she reads them, and both sides see that she did.
    hr = await harness.execute("evaluations.show", match, user=ANNA)
    assert "Fijn team." in texts(hr) and "approval.show" not in buttons(hr)
    [own] = (await harness.say("rapport", user=ANNA))[-1:]
    assert "Rapport Gemeente Harderwijk" in texts(own)  # hers; Bram's klus is of Ermelo
    report = await harness.execute("report.show", {"report_organisation": "ermelo"}, user=ANNA)
    listed = await harness.execute(
        "report.evaluations", buttons(report)["report.evaluations"]["data"], user=ANNA
    )
    assert "Evaluaties Gemeente Ermelo" in texts(listed) and "Notuleren bij de raad" in texts(listed)
    assert "Fijn team." in texts(listed) and "report.show" in buttons(listed)
    # "Read all" opens the match's evaluations in full, and from there back to the same list.
    full = await harness.execute("evaluations.show", buttons(listed)["evaluations.show"]["data"], user=ANNA)
    assert "Fijn team." in texts(full) and "evaluations.show" not in buttons(full)
    again = await harness.execute(
        "report.evaluations", buttons(full)["report.evaluations"]["data"], user=ANNA
    )
    assert texts(again) == texts(listed)
    for side in (EVA, BRAM):
        [log] = (await harness.say("wie zag mijn gegevens", user=side))[-1:]
        assert "Anna de Vries van HR las de evaluaties van de klus Notuleren bij de raad." in texts(log)

    # Anyone else hears the match does not exist; forged ids get the same friendly answer.
    other = await harness.execute("evaluations.show", match, user=DAAN, locale="en-US")
    assert "I can't find this match." in texts(other) and "Fijn team." not in texts(other)
    approval_id = match["approval_id"]
    for data in (
        {},
        {"approval_id": "abc"},
        {"approval_id": -1},
        {"approval_id": [1]},
        {"approval_id": 10**12},
    ):
        forged = await harness.execute("evaluations.show", data, user=EVA)
        assert "Deze match kan ik niet vinden." in texts(forged), data
    assert "Deze match kan ik niet vinden." in texts(
        await harness.execute("evaluations.show", {"approval_id": approval_id + 1}, user=EVA)
    )
    for user in (EVA, CHANTAL):  # not HR
        refused = await harness.execute(
            "report.evaluations", buttons(report)["report.evaluations"]["data"], user=user
        )
        assert "alleen HR" in texts(refused) and "Fijn team." not in texts(refused)
    nowhere = await harness.execute("report.evaluations", {"report_organisation": "nergens"}, user=ANNA)
    assert "alleen HR" in texts(nowhere) and "Fijn team." not in texts(nowhere)
    garbled = await harness.execute(
        "report.evaluations",
        {"report_organisation": ["ermelo"], "report_from": "gisteren", "report_to": {"x": 1}},
        user=ANNA,
    )
    assert "Evaluaties Gemeente Harderwijk" in texts(garbled)  # Anna's own organisation, this year
    assert "Dit kon ik niet lezen" in texts(garbled)


async def test_ending_the_work_asks_first_and_only_the_poster_ends_it_once(harness: BotHarness) -> None:
    match = await approved_match(harness)
    harness.clock.current = TODAY + timedelta(days=17)

    sure = await harness.execute("work.complete", match, user=BRAM)
    assert "Is de klus klaar?" in texts(sure) and "Dan vragen we jullie allebei hoe het ging." in texts(sure)
    assert set(buttons(sure)) == {"work.complete.confirm", "approval.show"}  # confirm, or back
    assert not [card_of(a) for a in await harness.deliver()]  # asking ends nothing
    back = await harness.execute("approval.show", buttons(sure)["approval.show"]["data"], user=BRAM)
    assert "work.complete" in buttons(back)

    confirm = buttons(sure)["work.complete.confirm"]["data"]
    for other in (EVA, ANNA):  # the employee; the approver
        refused = await harness.execute("work.complete.confirm", confirm, user=other)
        assert "Deze match kan ik niet vinden." in texts(refused)
    for garbage in ({}, {"approval_id": "abc"}, {"approval_id": [1]}, {"approval_id": 10**12}):
        for verb in ("work.complete", "work.complete.confirm"):
            assert "Deze match kan ik niet vinden." in texts(await harness.execute(verb, garbage, user=BRAM))
    assert not await harness.deliver()

    done = await harness.execute("work.complete.confirm", confirm, user=BRAM)
    assert "De klus is afgerond." in texts(done)
    assert sum("evaluation.send" in buttons(card_of(a)) for a in await harness.deliver()) == 2
    again = await harness.execute("work.complete.confirm", confirm, user=BRAM)
    assert "Deze klus was al afgerond." in texts(again)
    assert not [a for a in await harness.deliver() if "evaluation.send" in buttons(card_of(a))]


async def test_the_poster_checks_the_hours_as_they_are_now_on_one_card(harness: BotHarness) -> None:
    """Eva types 200, then 24: Bram's card changes in place; the old one saves nothing."""
    await approved_match(harness)
    harness.clock.current = date(2026, 12, 31)
    assert (await harness.work.tick()).hours_asked == 1
    [asked] = [card_of(a) for a in await harness.deliver()]
    report = buttons(asked)["hours.report"]["data"]

    too_many = await harness.execute("hours.report", {**report, "hours": 400}, user=EVA)
    assert "Vul een aantal uur in van 0 tot en met 200" in texts(too_many)
    assert not await harness.deliver()  # nothing saved, so Bram is not asked
    await harness.execute("hours.report", {**report, "hours": 200}, user=EVA)
    [first] = [card_of(a) for a in await harness.deliver()]
    assert "Uren van Eva Smit in december 2026" in texts(first) and "200 uur" in texts(first)
    thanks = await harness.execute("hours.report", {**report, "hours": "24"}, user=EVA)
    assert "Dank je!" in texts(thanks) and "Uren aanpassen" in texts(thanks)
    assert not await harness.deliver()  # no second card for Bram...
    [now] = [card_of(u) for u in harness.connector.updated if "Uren van Eva Smit" in texts(u)]
    assert "24 uur" in texts(now)  # ...his first one shows 24

    old = buttons(first)["hours.check"]["data"]
    for stale in (old, {**old, "hours": 24}, {**old, "shown": {"x": 1}}, {**old, "shown": "NaN"}):
        refused = await harness.execute("hours.check", stale, user=BRAM)
        assert "Eva Smit heeft de uren intussen aangepast. Kijk ze nog eens na." in texts(refused), stale
        assert "24 uur" in texts(refused) and "Gecontroleerd" in texts(refused)
    corrected = await harness.execute("hours.correct", {**old, "hours": 20}, user=BRAM)
    assert "intussen aangepast" in texts(corrected)
    assert "Deze match kan ik niet vinden." in texts(
        await harness.execute("hours.check", buttons(now)["hours.check"]["data"], user=EVA)
    )

    checked = await harness.execute(
        "hours.check", {**buttons(now)["hours.check"]["data"], "hours": 99}, user=BRAM
    )
    assert "Opgeslagen. Deze uren tellen mee." in texts(checked)
    assert '"value": "24 uur"' in texts(checked).split("Gecontroleerd")[1]  # not the box's 99
    assert "Input.Number" not in texts(checked) and "Klopt het?" not in texts(checked)
