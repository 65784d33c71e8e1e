"""Issue 16, talents colleagues can find, in the Agents Playground: Chantal makes her profile findable
on the sign-up card and Anna finds her (without her name); her manager Bram, searching for what his
own staff can do, finds nobody; a date asked of Daan (findable in the demo data) is accepted (both
names and a chat) and, asked again, declined (no name, nothing to his manager)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from klussenbank.i18n import Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import action_data, dump, sign_up, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Card, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM, CHANTAL, DAAN = "Anna de Vries", "Bram Jansen", "Chantal Bakker", "Daan Visser"
HER_TALENT = "I take minutes fast and write plain texts."
ASKED = "Could you help me for 2 hours with a text for our residents?"


def _search(chat: Chat, query: str) -> Card:
    """Type `find talents`, then search on the rendered card; the card with the results."""
    before = chat.card_count()
    chat.send(T("command.talent_search"))
    card = chat.wait_for_card(T("talent.search_intro"), after=before)
    card.fill("talent_query", query)
    card.click(T("action.talent_search"))
    return chat.wait_for_card(T("talent.results_title"), after=card.index)


def test_a_findable_profile_is_found_but_not_by_ones_own_manager(
    chat_as: Callable[..., Sequence[Chat]],
) -> None:
    chantal, anna, bram = chat_as(CHANTAL, ANNA, BRAM)
    welcomed(chantal, anna, bram)
    sign_up(chantal)  # minute-taking and copywriting, also for Harderwijk

    before = chantal.card_count()
    chantal.send(T("command.available"))
    form = chantal.wait_for_card(T("form.title_update"), after=before)
    form.click(T("form.more_options"))
    form.fill("findable", "true")
    form.fill("talent_text", HER_TALENT)
    form.click(T("action.save"))
    saved = chantal.wait_for_card(T("profile.saved"), after=form.index)
    assert T("talent.form_findable_short") in saved.text() and HER_TALENT in saved.text()

    found = _search(anna, "taking minutes")
    assert "Gemeente Ermelo" in found.text() and HER_TALENT in found.text()
    assert CHANTAL not in found.text()  # no name before a date is accepted
    assert T("talent.names_later") in found.text()

    # Bram manages Chantal and Daan (findable in the demo data), who both write texts.
    by_manager = _search(bram, "copywriting")
    assert T("talent.none") in by_manager.text(), by_manager.text()
    assert "Gemeente Ermelo" not in by_manager.text()


def test_a_date_is_accepted_with_names_and_declined_without(chat_as: Callable[..., Sequence[Chat]]) -> None:
    anna, daan = chat_as(ANNA, DAAN)
    welcomed(anna, daan)

    results = _search(anna, "copywriting")
    ref = action_data(results.json, Verb.TALENT_DATE_NEW)
    results.click(T("action.talent_ask"))
    form = anna.wait_for_card(T("talent.date_title"), after=results.index)
    form.fill("date_text", ASKED)
    form.fill("date_hours", 2)
    form.click(T("action.talent_send"))
    sent = anna.wait_for_card(T("talent.requester.requested.title"), after=form.index)
    assert DAAN not in sent.text()

    asked = daan.wait_for_card(T("talent.talent.requested.title"), ASKED)
    assert ANNA in asked.text()  # the requester shows who asks
    asked.click(T("action.talent_accept"))
    assert T("action.chat", name=ANNA) in daan.wait_for_card(T("talent.talent.accepted.title")).text()
    accepted = anna.wait_for_card(T("talent.requester.accepted.title", name=DAAN))
    assert T("action.chat", name=DAAN) in accepted.text()

    # Asked once more (through the Playground's API), Daan says no: Anna hears it without his name.
    again = anna.invoke(Verb.TALENT_DATE_REQUEST, {**ref, "date_text": "And next week?", "date_hours": "1"})
    assert T("talent.requester.requested.title") in dump(again)
    second = daan.wait_for_card(T("talent.talent.requested.title"), "And next week?")
    second.click(T("action.talent_decline"))
    declined = anna.wait_for_card(T("talent.requester.declined.title"))
    assert DAAN not in declined.text() and T("talent.requester.declined.text") in declined.text()
