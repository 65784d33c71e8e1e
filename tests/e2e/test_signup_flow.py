"""Signing up as available, end to end: Klussenbank in the Agents Playground, in headless Chromium.

The person in the browser is Chantal Bakker (currentUser in .m365agentsplayground.yml), who has a
manager (Bram Jansen) in the demo directory. Each test starts on a fresh copy of the demo
database, so every test is Chantal's first contact.

Texts come from the bot's message catalogs. The Playground sends locale "en-US" with every
message, invoke and installationUpdate, so the bot answers in its English catalog.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from klussenbank.data import load_skill_vocabulary
from klussenbank.i18n import Translator
from tests.e2e.flows import bot_today, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, BotServer, Chat

pytestmark = pytest.mark.e2e

NL = Translator("nl")  # the command words people type
T = Translator.for_locale(PLAYGROUND_LOCALE)  # what the bot answers in the Playground's locale

SKILLS = ("minute-taking", "diary-management")  # from the vocabulary's multi-select
OTHER_SKILL = "Scheidsrechter bij voetbal"  # free text, not in the vocabulary


def _open_form(chat: Chat) -> int:
    before = chat.card_count()
    chat.send(NL("command.available"))  # people type the Dutch word; the answer follows the locale
    # The Dutch command word gets the form in the Playground's language (en-US on every message):
    # the answer itself shows the locale the bot saw. (The Playground's log feed, which we used to
    # read it from, sometimes stops streaming on a busy machine.)
    form = chat.wait_for_card(T("form.title_new"), after=before)
    return form.index


def test_the_welcome_card_on_install_comes_once(chat: Chat) -> None:
    [welcome] = welcomed(chat)
    text = welcome.text()
    assert T("app.name") in text
    assert T("welcome.title", name="Chantal Bakker") in text
    assert T("welcome.privacy_title") in text
    assert welcome.button(T("action.sign_up")).is_visible()
    # What the expectations rest on: the install's installationUpdate carries the Playground locale.
    assert chat.wait_sent_to_bot("installationUpdate")["locale"] == PLAYGROUND_LOCALE
    # Once the bot has answered a later message, it has answered both install activities too.
    before = chat.card_count()
    chat.send(NL("command.help"))
    chat.wait_for_card(T("help.intro"), after=before)
    chat.wait_sent_to_bot("conversationUpdate")
    welcomes = [i for i, text in enumerate(chat.card_texts()) if T("welcome.privacy_title") in text]
    assert len(welcomes) == 1, f"expected one welcome card, got {len(welcomes)}: {chat.card_texts()}"


def test_sign_up_then_profile_survives_a_restart(chat: Chat, bot: BotServer) -> None:
    vocabulary = load_skill_vocabulary()
    assert vocabulary.find(OTHER_SKILL) is None
    start = bot_today() + timedelta(days=7)
    end = start + timedelta(days=60)

    form = chat.card(_open_form(chat))
    assert T("form.intro") in form.text()  # the manager does not see this
    form.choose("skills", *SKILLS)  # filtered multi-select
    form.fill("skills_other", OTHER_SKILL)
    form.fill("hours_per_week", 12)
    form.fill("start_date", start.isoformat())
    form.click(T("form.more_options"))  # the fields with a default
    form.fill("end_date", end.isoformat())
    form.choose("weekdays", "mon", "thu")  # compact multi-select
    form.choose("organisations", "ermelo", "zeewolde")  # expanded multi-select: checkboxes
    form.choose("work_mode", "remote")  # expanded single choice: radios
    form.fill("intro", "Ik help graag bij sporttoernooien.")
    form.click(T("action.save"))

    expected = [
        T("profile.title"),
        *(vocabulary.get(skill_id).label(T.language) for skill_id in SKILLS),
        OTHER_SKILL,
        T("profile.hours_value", hours=12),
        T("profile.period_closed", start=T.date(start), end=T.date(end)),
        f"{T.weekday('mon')}, {T.weekday('thu')}",
        "Gemeente Ermelo, Gemeente Zeewolde",
        T("work_mode.remote"),
        "Ik help graag bij sporttoernooien.",
        T("profile.status.active"),
        T("profile.privacy"),
    ]
    summary = chat.wait_for_card(T("profile.saved"), after=form.index)
    assert summary.index == form.index  # the form turned into the summary
    for text in expected:
        assert text in summary.text()

    bot.restart()
    before = chat.card_count()
    chat.send(NL("command.profile"))
    again = chat.wait_for_card(T("profile.title"), after=before)
    for text in expected:
        assert text in again.text()
    assert T("profile.saved") not in again.text()


def test_pause_from_the_summary(chat: Chat) -> None:
    form = chat.card(_open_form(chat))
    form.choose("skills", SKILLS[0])
    form.click(T("action.save"))
    summary = chat.wait_for_card(T("profile.saved"), after=form.index)

    until = bot_today() + timedelta(days=5)
    summary.click(T("action.pause"))  # Action.ShowCard: the date input opens inside the card
    summary.fill("paused_until", until.isoformat())
    summary.click(T("action.pause_confirm"))

    paused = chat.wait_for_card(T("profile.status.paused", date=T.date(until)), after=summary.index)
    assert T("profile.paused_note", date=T.date(until)) in paused.text()
    assert paused.button(T("action.resume")).is_visible()


def test_invalid_input_comes_back_with_messages_and_nothing_is_saved(chat: Chat) -> None:
    start = bot_today() + timedelta(days=10)
    form = chat.card(_open_form(chat))
    form.choose("skills", *SKILLS)
    # No min or max on the number: the client sends what was typed, and the bot says what is allowed.
    form.fill("hours_per_week", 60)
    assert form.value_of("hours_per_week") == "60"
    form.fill("hours_per_week", "")
    form.fill("start_date", start.isoformat())
    form.click(T("form.more_options"))
    form.fill("end_date", (start - timedelta(days=3)).isoformat())
    form.click(T("action.save"))

    fields = ", ".join(f"'{T(key)}'" for key in ("form.hours", "form.end_date"))
    again = chat.wait_for_card(T("form.errors_fields", fields=fields), after=form.index)
    assert again.index == form.index  # the same card came back
    assert again.message_after("hours_per_week") == T("error.required")
    assert again.message_after("end_date") == T("error.end_before_start")
    assert again.message_after("start_date") != T("error.end_before_start")
    # What was filled in is still there, to correct.
    assert sorted(again.json_value("skills").split(",")) == sorted(SKILLS)
    assert again.json_value("start_date") == start.isoformat()
    _assert_nothing_saved(chat)


def _assert_nothing_saved(chat: Chat) -> None:
    before = chat.card_count()
    chat.send(NL("command.profile"))
    chat.wait_for_card(T("profile.none"), after=before)
