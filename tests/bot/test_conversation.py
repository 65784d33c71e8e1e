"""The bot over real HTTP: messages, card actions, install events, and what never reaches the user."""

from __future__ import annotations

import asyncio
import json
from importlib.resources import files
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.appmanifest import load_manifest
from klussenbank.i18n import catalog
from klussenbank.store.orm.people import AvailabilityRow, ConversationRow
from tests.bot.conftest import ANNA, BOT_ID, CHANTAL, DAAN, EVA, BotHarness
from tests.conftest import writes

NL = catalog("nl")
EN = catalog("en")


def texts(card: dict[str, Any]) -> str:
    """All the text a person can read on a card, as one string."""
    return json.dumps(card, ensure_ascii=False)


def valid_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "skills": "minute-taking,event-organisation",
        "skills_other": "gebarentaal",
        "hours_per_week": "12",
        "start_date": "2026-12-01",
        "end_date": "2027-03-31",
        "weekdays": "mon,wed",
        "organisations": "ermelo,zeewolde",
        "work_mode": "hybrid",
        "intro": "Ik werk normaal in het zwembad.",
    }
    data.update(overrides)
    return data


async def test_first_contact_welcomes_then_answers_the_command(harness: BotHarness) -> None:
    cards = await harness.say("beschikbaar")
    assert len(cards) == 2
    welcome, form = cards
    assert NL["welcome.privacy"] in texts(welcome)
    assert NL["form.title_new"] in texts(form)

    again = await harness.say("beschikbaar")
    assert len(again) == 1, "the welcome is given once"


async def test_unknown_text_gets_the_help_card_never_silence(harness: BotHarness) -> None:
    await harness.say("hallo")
    cards = await harness.say("wat is het weer morgen?")
    assert len(cards) == 1
    assert NL["help.unknown"] in texts(cards[0])


async def test_english_locale_gets_english(harness: BotHarness) -> None:
    cards = await harness.say("available", user=DAAN, locale="en-US")
    assert EN["welcome.privacy"] in texts(cards[0])
    assert EN["form.title_new"] in texts(cards[1])
    assert NL["form.title_new"] not in texts(cards[1])


async def test_sign_up_saves_and_profile_shows_it(harness: BotHarness, engine: AsyncEngine) -> None:
    await harness.say("beschikbaar")
    summary = await harness.execute("availability.save", valid_form())
    shown = texts(summary)
    assert NL["profile.saved"] in shown
    for expected in (
        "Notuleren",
        "gebarentaal",
        "12 uur",
        "1 december 2026 tot en met 31 maart 2027",
        "Gemeente Zeewolde",
    ):
        assert expected in shown

    cards = await harness.say("profiel")
    assert "12 uur" in texts(cards[0])
    async with engine.connect() as connection:
        hours = (await connection.execute(select(AvailabilityRow.hours_per_week))).scalars().all()
    assert hours == [12]


async def test_invalid_input_returns_the_same_card_with_messages_and_saves_nothing(
    harness: BotHarness, engine: AsyncEngine
) -> None:
    await harness.say("beschikbaar")
    card = await harness.execute(
        "availability.save", valid_form(hours_per_week="60", end_date="2026-11-30", intro="Hallo")
    )
    shown = texts(card)
    assert NL["form.errors"] in shown
    assert NL["error.hours_range"].format(min=1, max=40) in shown
    assert NL["error.end_before_start"] in shown
    # Behind "Meer opties" too: the container of the fields with a default.
    elements = [e for top in card["body"] for e in [top, *top.get("items", [])]]
    inputs = {element["id"]: element for element in elements if element["type"].startswith("Input.")}
    assert inputs["hours_per_week"]["value"] == 60, "the user's values are kept"
    assert inputs["intro"]["value"] == "Hallo"
    assert inputs["skills"]["value"] == "minute-taking,event-organisation"
    async with engine.connect() as connection:
        assert (await connection.execute(select(AvailabilityRow))).first() is None


async def test_a_card_cannot_change_someone_elses_profile(harness: BotHarness, engine: AsyncEngine) -> None:
    await harness.say("beschikbaar", user=CHANTAL)
    await harness.execute("availability.save", valid_form(hours_per_week="12"), user=CHANTAL)
    await harness.say("beschikbaar", user=DAAN)
    forged = valid_form(hours_per_week="3", aadObjectId=CHANTAL, user=CHANTAL, person=CHANTAL)
    await harness.execute("availability.save", forged, user=DAAN)
    cards = await harness.say("profiel", user=CHANTAL)
    assert "12 uur" in texts(cards[0])
    async with engine.connect() as connection:
        hours = sorted((await connection.execute(select(AvailabilityRow.hours_per_week))).scalars())
    assert hours == [3, 12]


async def test_pause_resume_and_withdraw(harness: BotHarness) -> None:
    await harness.say("beschikbaar")
    await harness.execute("availability.save", valid_form())
    refused = await harness.execute("availability.pause", {"paused_until": "2026-11-01"})
    assert NL["error.pause_in_past"] in texts(refused)
    paused = await harness.execute("availability.pause", {"paused_until": "2027-01-15"})
    assert NL["profile.status.paused"].format(date="15 januari 2027") in texts(paused)
    resumed = await harness.execute("availability.resume")
    assert NL["resume.done"] in texts(resumed)
    confirm = await harness.execute("availability.withdraw")
    assert NL["withdraw.title"] in texts(confirm)
    withdrawn = await harness.execute("availability.withdraw.confirm")
    assert NL["profile.status.withdrawn"] in texts(withdrawn)
    assert NL["action.sign_up_again"] in texts(withdrawn)


async def test_commands_without_a_profile_offer_to_sign_up(harness: BotHarness) -> None:
    await harness.say("hallo")
    for command in ("profiel", "pauze", "afmelden"):
        cards = await harness.say(command)
        assert NL["profile.none"] in texts(cards[0]), command


async def test_unknown_verb_gets_a_friendly_card(harness: BotHarness) -> None:
    card = await harness.execute("klus.delete.everything")
    assert NL["error.unknown_action"] in texts(card)


async def test_install_welcomes_once_and_stores_the_conversation(
    harness: BotHarness, engine: AsyncEngine
) -> None:
    # Teams sends both for one install; only installationUpdate greets, so the person hears it once.
    added = harness.activity(type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    del added["locale"]
    assert (await harness.post(added))[0] in (200, 202)
    assert harness.connector.cards() == []
    install = harness.activity(type="installationUpdate", action="add", locale="en-US")
    await harness.post(install)
    assert [EN["welcome.privacy"] in texts(card) for card in harness.connector.cards()] == [True]
    await harness.post(harness.activity(type="installationUpdate", action="add"))
    await harness.say("beschikbaar")
    assert len(harness.connector.cards()) == 2, "no second welcome, only the form"
    async with engine.connect() as connection:
        rows = (
            await connection.execute(select(ConversationRow.service_url, ConversationRow.tenant_id))
        ).all()
    assert [tuple(row) for row in rows] == [(harness.service_url, "00000000-0000-0000-0000-0000000000aa")]


async def test_simultaneous_first_turns_welcome_once(harness: BotHarness) -> None:
    await harness.post(harness.activity(type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))
    await asyncio.gather(
        harness.post(harness.activity(type="installationUpdate", action="add")),
        harness.post(harness.activity(type="message", text="help")),
        harness.post(harness.activity(type="message", text="profiel")),
    )
    welcomes = [card for card in harness.connector.cards() if NL["welcome.privacy"] in texts(card)]
    assert len(welcomes) == 1


async def test_team_install_says_hello_in_the_channel_without_personal_details(harness: BotHarness) -> None:
    added = harness.activity(type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    added["conversation"] = {"id": "19:general@thread.tacv2", "conversationType": "channel", "tenantId": "t"}
    await harness.post(added)
    [hello] = harness.connector.cards()
    assert NL["channel.hello.title"] in texts(hello) and NL["welcome.channel"] in texts(hello)
    # A button to the personal chat with the bot, where signing up happens.
    assert hello["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": NL["action.open_personal_chat"],
            "url": "https://teams.microsoft.com/l/chat/0/0?users=28%3Aklussenbank",
        }
    ]


async def test_the_channel_hello_is_in_the_language_of_who_added_the_app(harness: BotHarness) -> None:
    await harness.say("help", user=DAAN, locale="en-US")  # Klussenbank knows Daan reads English
    for user, heading in ((DAAN, EN["channel.hello.title"]), (EVA, NL["channel.hello.title"])):
        added = harness.activity(user, type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
        del added["locale"]  # as Teams sends it
        added["conversation"] = {
            "id": f"19:{user}@thread.tacv2",
            "conversationType": "channel",
            "tenantId": "t",
        }
        before = len(harness.connector.cards())
        await harness.post(added)
        [hello] = harness.connector.cards()[before:]
        assert heading in texts(hello), user


async def test_greetings_get_the_help_card(harness: BotHarness) -> None:
    await harness.say("help")
    cards = await harness.say("Hoi!")
    assert NL["help.intro"] in texts(cards[0])


async def test_the_help_card_lists_hrs_commands_for_hr_only(harness: BotHarness) -> None:
    hr_commands = (NL["help.command.announce"], NL["help.command.report"])
    [chantals] = (await harness.say("help"))[-1:]
    [annas] = (await harness.say("help", user=ANNA))[-1:]  # HR in the demo

    assert not any(line in texts(chantals) for line in hr_commands)
    assert all(line in texts(annas) for line in hr_commands)
    assert NL["help.command.my_data"] in texts(chantals) and NL["help.command.my_data"] in texts(annas)


async def test_conversation_reference_is_refreshed_every_turn(
    harness: BotHarness, engine: AsyncEngine
) -> None:
    await harness.say("hallo")
    moved = harness.activity(type="message", text="help", serviceUrl=harness.service_url + "moved/")
    await harness.post(moved)
    async with engine.connect() as connection:
        urls = (await connection.execute(select(ConversationRow.service_url))).scalars().all()
    assert urls == [harness.service_url + "moved/"]


async def test_a_turn_where_nothing_changed_writes_nothing(harness: BotHarness, engine: AsyncEngine) -> None:
    """On SQLite every write waits for every other: an ordinary turn must not make one."""
    await harness.say("hallo")

    with writes(engine) as written:
        [card] = await harness.say("help")
        await harness.say("profiel")

    assert written == []
    assert NL["help.title"] in texts(card)
    async with engine.connect() as connection:
        stored = (await connection.execute(select(ConversationRow.reference))).scalars().all()
    assert [reference["conversation"]["id"] for reference in stored] == [f"a:personal-{CHANTAL}"]


async def test_channel_messages_point_to_the_personal_chat(harness: BotHarness, engine: AsyncEngine) -> None:
    activity = harness.activity(type="message", text="beschikbaar")
    activity["conversation"] = {"id": "19:team-channel", "conversationType": "channel", "tenantId": "t"}
    await harness.post(activity)
    assert NL["error.personal_only"] in texts(harness.connector.cards()[-1])
    invoke = harness.activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "availability.save", "data": valid_form()}},
    )
    invoke["conversation"] = activity["conversation"]
    status, body = await harness.post(invoke)
    assert status == 200
    assert NL["error.personal_only"] in texts(body["value"])
    async with engine.connect() as connection:
        assert (await connection.execute(select(AvailabilityRow))).first() is None


async def test_sender_without_entra_id_is_told_kindly(harness: BotHarness) -> None:
    activity = harness.activity(type="message", text="beschikbaar")
    activity["from"] = {"id": "anonymous"}
    await harness.post(activity)
    assert NL["error.no_identity"] in texts(harness.connector.cards()[-1])


async def test_health_check_reports_the_database(harness: BotHarness) -> None:
    response = await harness.client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok"}


async def test_every_verb_is_routed_to_its_handler(harness: BotHarness) -> None:
    from klussenbank.verbs import Verb

    await harness.say("beschikbaar")
    await harness.execute("availability.save", valid_form())
    expected = {
        Verb.HELP_SHOW: NL["help.title"],
        Verb.PROFILE_SHOW: NL["profile.title"],
        Verb.AVAILABILITY_EDIT: NL["form.title_update"],
        Verb.AVAILABILITY_SAVE: NL["profile.saved"],
        Verb.AVAILABILITY_PAUSE: NL["error.required"],
        Verb.AVAILABILITY_WITHDRAW: NL["withdraw.title"],
        Verb.AVAILABILITY_RESUME: NL["resume.done"],
        Verb.AVAILABILITY_WITHDRAW_CONFIRM: NL["withdraw.done"],
        Verb.SUGGESTIONS_OFF: NL["suggestions.off"],
        Verb.KLUS_NEW: NL["klus_form.title_new"],
        Verb.KLUS_POST: NL["form.errors"],
        Verb.KLUS_MINE: NL["mine.title"],
        Verb.KLUS_LIST: NL["offers.title"],
        # Without a klus id (or with one of a klus that is not theirs) these change nothing.
        **dict.fromkeys(
            (
                Verb.KLUS_EDIT,
                Verb.KLUS_SHOW,
                Verb.KLUS_CANCEL,
                Verb.KLUS_CANCEL_CONFIRM,
                Verb.KLUS_CANDIDATES,
                Verb.INTEREST_ADD,
                Verb.INTEREST_WITHDRAW,
                Verb.CANDIDATE_INVITE,
                Verb.CANDIDATE_CHOOSE,
                Verb.MATCH_CONFIRM,
                Verb.MATCH_DECLINE,
            ),
            NL["refusal.klus_not_found"],
        ),
        Verb.ACCESS_LOG_SHOW: NL["access_log.title"],
        # Without an approval id (or with one of someone else's approval) these change nothing.
        **dict.fromkeys(
            (Verb.APPROVAL_SHOW, Verb.APPROVAL_APPROVE, Verb.APPROVAL_DECLINE, Verb.APPROVAL_FORWARD),
            NL["refusal.approval_not_found"],
        ),
        # Chantal is not HR: she cannot announce; without an id there is no announcement.
        **dict.fromkeys(
            (
                Verb.ANNOUNCE_NEW,
                Verb.ANNOUNCE_PREVIEW,
                Verb.ANNOUNCE_EDIT,
                Verb.ANNOUNCE_SEND,
                Verb.ANNOUNCE_SCHEDULE,
            ),
            NL["refusal.not_hr"],
        ),
        **dict.fromkeys(
            (Verb.ANNOUNCE_REPORT, Verb.ANNOUNCE_CANCEL, Verb.ANNOUNCE_WITHDRAW),
            NL["refusal.announcement_not_found"],
        ),
        Verb.DIGEST_ON: NL["digest.on"],
        Verb.DIGEST_OFF: NL["digest.off"],
        **dict.fromkeys((Verb.REPORT_SHOW, Verb.REPORT_EVALUATIONS), NL["refusal.not_hr"]),
        Verb.AGREEMENT_SHOW: NL["refusal.agreement_not_found"],
        Verb.AGREEMENT_LIST: NL["agreements.none"],
        Verb.APPLICATIONS_SHOW: NL["applications.title"],
        **dict.fromkeys(
            (
                Verb.HOURS_SHOW,
                Verb.HOURS_REPORT,
                Verb.HOURS_CHECK,
                Verb.HOURS_CORRECT,
                Verb.WORK_COMPLETE,
                Verb.WORK_COMPLETE_CONFIRM,
                Verb.EVALUATION_SEND,
                Verb.EVALUATIONS_SHOW,
            ),
            NL["refusal.match_not_found"],
        ),
        Verb.TALENT_SEARCH: NL["talent.search_title"],
        **dict.fromkeys((Verb.TALENT_DATE_NEW, Verb.TALENT_DATE_REQUEST), NL["refusal.talent_not_found"]),
        **dict.fromkeys(
            (Verb.TALENT_DATE_ACCEPT, Verb.TALENT_DATE_DECLINE, Verb.TALENT_DATE_SHOW, Verb.TALENT_DATE_KLUS),
            NL["refusal.date_not_found"],
        ),
        Verb.MY_DATA_SHOW: NL["my_data.title"],
        Verb.MY_DATA_ERASE: NL["erase.title"],
        Verb.MY_DATA_ERASE_CONFIRM: NL["erase.done"],
        **dict.fromkeys(
            (Verb.TRACK_NEW, Verb.TRACK_PROPOSE, Verb.TRACK_LIST, Verb.TRACK_STANDING), NL["refusal.not_hr"]
        ),
        **dict.fromkeys((Verb.TRACK_ACCEPT, Verb.TRACK_DECLINE), NL["refusal.track_proposal_invalid"]),
        **dict.fromkeys((Verb.TRACK_MINE, Verb.TRACK_END), NL["track.mine.title"]),
        Verb.TRACK_COACHING: NL["track.coaching_off"],
        **dict.fromkeys(
            (Verb.TRACK_SHOW, Verb.TRACK_KLUSSEN, Verb.TRACK_SUGGEST), NL["refusal.track_not_found"]
        ),
        # Without a skill of theirs nothing is hidden: the profile as it is; without a face, the pulse.
        **dict.fromkeys((Verb.CONFIRMATION_HIDE, Verb.CONFIRMATION_SHOW), NL["profile.title"]),
        Verb.PULSE_ANSWER: NL["pulse.invalid"],
        # Chantal coordinates no pool; her own periods she may keep.
        **dict.fromkeys(
            (
                Verb.POOL_SHOW,
                Verb.POOL_MEMBER_ADD,
                Verb.POOL_MEMBER_REMOVE,
                Verb.POOL_STEP_DONE,
                Verb.POOL_QUALIFICATION_RECORD,
                Verb.POOL_LACKING,
            ),
            NL["refusal.pools.not_coordinator"],
        ),
        Verb.UNAVAILABLE_SHOW: NL["pools.mine_title"],
        Verb.UNAVAILABLE_ADD: NL["pools.error.period_dates"],
        Verb.UNAVAILABLE_REMOVE: NL["pools.mine_title"],
        # Chantal's Ermelo is in the demo's flexpool: she may ask it for shifts, not coordinate it.
        Verb.SHIFTS_NEW: NL["shifts.form.heading"],
        Verb.SHIFTS_POST: NL["form.errors"],
        Verb.SHIFTS_OPEN: NL["refusal.shifts_coordinators_only"],
        **dict.fromkeys((Verb.SHIFTS_CANDIDATES, Verb.SHIFTS_PROPOSE), NL["refusal.klus_not_found"]),
        Verb.PLANNING_SHOW: NL["planning.scope.person"],
    }
    assert set(expected) == set(Verb)
    for verb, text in expected.items():
        data = valid_form() if verb is Verb.AVAILABILITY_SAVE else {}
        assert text in texts(await harness.execute(verb.value, data)), verb


async def test_every_manifest_command_title_is_a_command_the_bot_knows(harness: BotHarness) -> None:
    manifest = load_manifest()
    titles = {c["title"] for lists in manifest["bots"][0]["commandLists"] for c in lists["commands"]}
    english = json.loads((files("klussenbank.appmanifest") / "en-us.json").read_text(encoding="utf-8"))
    titles |= {value for key, value in english.items() if key.endswith(".title")}
    await harness.say("hallo")
    for title in sorted(titles):
        cards = await harness.say(title)
        assert NL["help.unknown"] not in texts(cards[0]), title
