"""Issue 15 over real HTTP, counted at the fake Teams connector: one card per person per event for
a team lead who is poster and line manager; welcome, help and empty lists that lead on; `mijn
reacties`; and the agreement always in reach."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from klussenbank.i18n import catalog
from tests.bot.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, BotHarness
from tests.bot.test_klussen import buttons, card_of, klus_form, post_klus, signed_up, texts

NL, EN = catalog("nl"), catalog("en")


def per_person(activities: list[dict[str, Any]]) -> Counter[str]:
    """How many new messages each person got."""
    return Counter(a["_conversation"].removeprefix("a:personal-") for a in activities)


async def chosen_by_bram(harness: BotHarness, candidate: str = CHANTAL) -> int:
    """Bram (team lead, Chantal's and Daan's line manager) posts a klus and chooses `candidate`."""
    await signed_up(harness, candidate)
    klus_id = await post_klus(harness)
    await harness.execute("interest.add", {"klus_id": klus_id, "motivation": "Graag."}, user=candidate)
    await harness.execute("candidate.choose", {"klus_id": klus_id, "person_id": candidate}, user=BRAM)
    await harness.deliver()
    return klus_id


async def test_the_poster_who_is_the_line_manager_gets_one_card_per_event(harness: BotHarness) -> None:
    klus_id = await chosen_by_bram(harness)

    await harness.execute("match.confirm", {"klus_id": klus_id}, user=CHANTAL)
    asked = await harness.deliver()
    assert per_person(asked) == {BRAM: 1, CHANTAL: 1}  # was two identical approval cards for Bram
    [request] = [card_of(a) for a in asked if a["_conversation"] == f"a:personal-{BRAM}"]
    assert "approval.approve" in buttons(request)

    mine = await harness.execute("approval.approve", buttons(request)["approval.approve"]["data"], user=BRAM)
    told = await harness.deliver()

    # Bram did it: his own card says so and offers the agreement; no message tells him "the
    # manager approved". Chantal gets one message: approved, with the agreement in it.
    assert "agreement.show" in buttons(mine)
    assert BRAM not in per_person(told)
    assert per_person(told)[CHANTAL] == 1
    assert all(count == 1 for count in per_person(told).values()), per_person(told)
    [chantals] = [card_of(a) for a in told if a["_conversation"] == f"a:personal-{CHANTAL}"]
    assert NL["agreement.ready_line"] in texts(chantals) and "agreement.show" in buttons(chantals)
    everything_bram_got = [card_of(a) for a in harness.connector.sent if BRAM in a["_conversation"]]
    assert not any("De leidinggevende keurde het goed" in texts(card) for card in everything_bram_got)


async def test_a_decline_by_the_poster_who_manages_tells_only_the_candidate(harness: BotHarness) -> None:
    klus_id = await chosen_by_bram(harness)
    await harness.execute("match.confirm", {"klus_id": klus_id}, user=CHANTAL)
    [request] = [card_of(a) for a in await harness.deliver() if BRAM in a["_conversation"]]
    data = {**buttons(request)["approval.decline"]["data"], "reason": "Ik heb je in januari zelf nodig."}

    await harness.execute("approval.decline", data, user=BRAM)

    assert per_person(await harness.deliver()) == {CHANTAL: 1}


async def test_help_fits_what_someone_does_and_never_tells_a_manager_about_their_staff(
    harness: BotHarness,
) -> None:
    await harness.say("hallo", user=BRAM)
    before = (await harness.say("help", user=BRAM))[-1]
    assert NL["guide.manager"] in texts(before) and NL["guide.new"] not in texts(before)

    # Chantal, who reports to Bram, signs up and shows interest in Anna's klus: Bram's help is the same.
    await signed_up(harness, CHANTAL)
    await harness.say("hallo", user=ANNA)
    anna = await harness.execute("klus.post", klus_form(organisation="harderwijk"), user=ANNA)
    klus_id = buttons(anna)["klus.candidates"]["data"]["klus_id"]
    await harness.execute("interest.add", {"klus_id": klus_id}, user=CHANTAL)
    assert (await harness.say("help", user=BRAM))[-1] == before

    # Once Bram posts, his klussen come first and "Sign up" is no longer the first button.
    await post_klus(harness)
    after = (await harness.say("help", user=BRAM))[-1]
    assert after["actions"][0]["verb"] == "klus.mine"
    assert NL["guide.poster"] in texts(after) and NL["guide.also_available"] in texts(after)
    chantal = (await harness.say("help", user=CHANTAL))[-1]
    assert [a["verb"] for a in chantal["actions"]][:2] == ["applications.show", "klus.list"]


async def test_jobs_without_a_profile_leads_to_signing_up(harness: BotHarness) -> None:
    await harness.say("hallo", user=BRAM)
    [empty] = (await harness.say("klussen", user=BRAM))[-1:]
    assert NL["offers.none_no_profile"] in texts(empty) and NL["offers.none"] not in texts(empty)
    assert empty["actions"][0]["verb"] == "availability.edit"

    await harness.say("hallo", user=ANNA)
    await harness.execute("klus.post", klus_form(organisation="harderwijk"), user=ANNA)
    [some] = (await harness.say("jobs", user=DAAN, locale="en-US"))[-1:]
    assert EN["offers.sign_up_first"] in texts(some) and some["actions"][0]["verb"] == "availability.edit"


async def test_my_applications_lists_each_klus_with_its_next_step(harness: BotHarness) -> None:
    klus_id = await chosen_by_bram(harness)
    # Eva is invited to another klus of Bram's (a suggestion he asked to react).
    await signed_up(harness, EVA)
    other = await post_klus(harness, title="Website teksten")
    await harness.execute("candidate.invite", {"klus_id": other, "person_id": EVA}, user=BRAM)

    [chantals] = (await harness.say("mijn reacties", user=CHANTAL))[-1:]
    assert NL["interest.status.chosen"] in texts(chantals)
    next_step = buttons(chantals)["klus.show"]
    assert next_step["data"] == {"klus_id": klus_id} and next_step["style"] == "positive"
    [evas] = (await harness.say("mijn reacties", user=EVA))[-1:]
    assert NL["interest.status.invited"] in texts(evas) and "Website teksten" in texts(evas)
    assert "Notuleren bij de raad" not in texts(evas)

    await harness.execute("match.confirm", {"klus_id": klus_id}, user=CHANTAL)
    [waiting] = (await harness.say("my applications", user=CHANTAL, locale="en-US"))[-1:]
    assert EN["interest.status.confirmed"] in texts(waiting) and "approval.show" in buttons(waiting)

    [nothing] = (await harness.say("mijn reacties", user=DAAN))[-1:]
    assert NL["applications.none_no_profile"] in texts(nothing)
    assert nothing["actions"][0]["verb"] == "availability.edit"


async def test_the_agreement_link_is_renewed_and_listed_for_its_parties_only(harness: BotHarness) -> None:
    klus_id = await chosen_by_bram(harness)
    await harness.execute("match.confirm", {"klus_id": klus_id}, user=CHANTAL)
    [request] = [card_of(a) for a in await harness.deliver() if BRAM in a["_conversation"]]
    await harness.execute("approval.approve", buttons(request)["approval.approve"]["data"], user=BRAM)
    await harness.deliver()

    [listed] = (await harness.say("overeenkomst", user=CHANTAL))[-1:]
    assert "Notuleren bij de raad" in texts(listed) and "KB-2026-" in texts(listed)
    open_it = buttons(listed)["agreement.show"]["data"]
    link_card = await harness.execute("agreement.show", open_it, user=CHANTAL)
    first = _expires(link_card)
    renew = buttons(link_card)["agreement.show"]  # "New link": the same button, on the link card
    assert renew["title"] == NL["action.agreement_renew"] and "agreement.list" in buttons(link_card)

    harness.clock.current += timedelta(days=2)  # the first link ran out long ago
    again = await harness.execute("agreement.show", renew["data"], user=CHANTAL)
    assert _expires(again) > first
    response = await harness.client.get(_url(again))
    assert (response.status, response.content_type) == (200, "application/pdf")

    # Daan is no party: the same button gives him nothing, and his list is empty.
    refused = await harness.execute("agreement.show", open_it, user=DAAN)
    assert NL["refusal.agreement_not_found"] in texts(refused) and "Action.OpenUrl" not in texts(refused)
    [daans] = (await harness.say("agreement", user=DAAN, locale="en-US"))[-1:]
    assert EN["agreements.none"] in texts(daans)
    [brams] = (await harness.say("mijn overeenkomsten", user=BRAM))[-1:]
    assert "Chantal Bakker" in texts(brams)


def _url(card: dict[str, Any]) -> str:
    [url] = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    link = urlsplit(url)
    return f"{link.path}?{link.query}"


def _expires(card: dict[str, Any]) -> int:
    return int(parse_qs(urlsplit(_url(card)).query)["expires"][0])
