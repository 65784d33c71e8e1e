"""After the match over real HTTP: the poster ends the work, every card about the approval says so,
the two sides read each other's evaluation, HR reads them from the report, and nobody else can."""

from __future__ import annotations

from datetime import timedelta
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

    done = await harness.execute("work.complete", match, user=BRAM)

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
