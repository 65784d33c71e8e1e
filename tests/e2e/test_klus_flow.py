"""The marketplace end to end, with three people, each in an Agents Playground of their own.

Anna de Vries (HR, Gemeente Harderwijk) posts a klus; Chantal Bakker and Daan Visser (Gemeente
Ermelo) hear of it, both show interest with a motivation; Anna chooses Chantal, Chantal confirms,
and Daan hears, kindly, that someone else was chosen, with another klus that fits him.

The browser is always the Playground config's currentUser, so each person has a Playground of
their own on the same bot: Chantal the one of .m365agentsplayground.yml (the `chat` fixture), Anna
and Daan copies of it with them signed in and chat ids of their own (`chat_as`). The bot keeps each
person's latest conversation reference, with the Playground's address, and its inline outbox
worker sends suggestions and notices there; they show up on that person's page.

What the flow is about is done on the rendered cards: posting in the form card, the suggestion
arriving, "I'm interested" with a motivation typed in the card, the candidates card and "Choose",
"Yes, I'll do it", the kind no with its other klus. What is not (signing up Chantal and Daan, a
second klus for the kind no to offer) goes through the Playground's HTTP API as the same person.

The Playground sends locale "en-US" with everything, so the bot answers, and queues its notices,
in English.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from klussenbank.data import load_skill_vocabulary
from klussenbank.i18n import Translator
from tests.e2e.flows import post_klus, sign_up, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Card, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM, CHANTAL, DAAN = "Anna de Vries", "Bram Jansen", "Chantal Bakker", "Daan Visser"

KLUS = "Minutes for the council"
DESCRIPTION = "Taking the minutes of four council meetings, remotely."
OTHER_KLUS = "Sorting the archive"
CHANTAL_WHY = "I took the minutes of our team meetings for two years."
DAAN_WHY = "I write a lot for Communicatie and would like to learn how the council works."


SKILL = load_skill_vocabulary().get("minute-taking").label(T.language)


def _show_interest(chat: Chat, motivation: str) -> Card:
    """The suggestion arrives by itself, says why in plain words; "I'm interested" right on it, with a
    motivation."""
    suggestion = chat.wait_for_card(T("notice.new_klus.title", title=KLUS))
    text = suggestion.text()
    assert T("notice.new_klus.text", poster=ANNA) in text
    assert T("klus.why") in text and T("why.you.skills", skills=SKILL) in text
    assert T("why.you.work_mode.remote") in text
    suggestion.click(T("action.interest"))  # Action.ShowCard: the motivation opens inside the card
    suggestion.fill("motivation", motivation)
    suggestion.click(T("action.interest_send"))
    sent = chat.wait_for_card(T("interest.sent"), after=suggestion.index)
    assert sent.index == suggestion.index  # the suggestion turned into the klus
    assert T("interest.your_motivation", motivation=motivation) in sent.text()
    assert T("interest.status.interested") in sent.text()
    return sent


def _screenshot(card: Card, name: str, workdir: Path) -> None:
    """The card as the Playground shows it, into KLUSSENBANK_E2E_SCREENSHOTS (the README's pictures:
    docs/) or the work dir. Only the light theme: the Playground (0.2.28) has no dark one, and does
    not follow the browser's colour scheme (an emulated dark scheme gave the same picture)."""
    folder = Path(os.environ.get("KLUSSENBANK_E2E_SCREENSHOTS") or workdir)
    folder.mkdir(parents=True, exist_ok=True)
    card.locator.scroll_into_view_if_needed()
    card.locator.screenshot(path=str(folder / f"{name}.png"), animations="disabled")


def test_from_posting_to_an_approved_match_and_a_kind_no(
    chat: Chat, chat_as: Callable[..., Sequence[Chat]], e2e_workdir: Path
) -> None:
    chantal = chat
    anna, daan, bram = chat_as(ANNA, DAAN, BRAM)  # Bram: Chantal's manager, who approves
    # Installed: the bot knows each person's chat, and the Playground it is in, from here on.
    for welcome, name in zip(welcomed(chantal, anna, daan, bram), (CHANTAL, ANNA, DAAN, BRAM), strict=True):
        assert T("welcome.title", name=name) in welcome.text()
    sign_up(chantal, skills="minute-taking,data-entry")
    sign_up(daan, skills="minute-taking,data-entry")
    # an open klus that fits Daan too, for the kind no to offer him
    post_klus(anna, OTHER_KLUS, "data-entry", description="Scanning and filing old permits.")

    # Anna posts a klus in the form card.
    before = anna.card_count()
    anna.send(T("command.post_klus"))
    form = anna.wait_for_card(T("klus_form.title_new"), after=before)
    assert form.json_value("organisation") == "harderwijk"  # her own organisation by default
    form.fill("title", KLUS)
    form.fill("description", DESCRIPTION)
    form.choose("required_skills", "minute-taking")
    form.fill("hours_per_week", 6)
    form.choose("work_mode", "remote")
    form.click(T("action.klus_post"))
    posted = anna.wait_for_card(T("klus.posted"), after=form.index)
    assert posted.index == form.index  # the form turned into the posted klus
    for text in (KLUS, DESCRIPTION, SKILL, T("profile.hours_value", hours=6)):
        assert text in posted.text()

    # Chantal looks at the open klussen: each says why it fits her, in plain words.
    before = chantal.card_count()
    chantal.send(T("command.klussen"))
    jobs = chantal.wait_for_card(T("offers.title"), KLUS, after=before)
    text = jobs.text()
    assert T("why.you.skills", skills=SKILL) in text and OTHER_KLUS in text
    assert T("why.you.hours.full", needed=6) in text and T("why.you.work_mode.remote") in text
    _screenshot(jobs, "jobs-card", e2e_workdir)

    # Chantal and Daan each get the suggestion, in their own Playground, and react to it.
    _show_interest(chantal, CHANTAL_WHY)
    _show_interest(daan, DAAN_WHY)

    # Anna hears of both, and chooses Chantal on the candidates card.
    for name in (CHANTAL, DAAN):
        notice = anna.wait_for_card(
            T("notice.interest.title", title=KLUS),
            T("notice.interest.text", name=name),
            after=posted.index + 1,
        )
    notice.click(T("action.candidates"))
    candidates = anna.wait_for_card(T("candidates.title", title=KLUS), after=notice.index)
    assert candidates.index == notice.index
    text = candidates.text()
    for name, motivation in ((CHANTAL, CHANTAL_WHY), (DAAN, DAAN_WHY)):
        assert f"{name} · Gemeente Ermelo" in text
        assert T("candidates.motivation", motivation=motivation) in text
    assert T("why.they.skills", skills=SKILL) in text
    assert candidates.button(T("action.choose"), within=DAAN).is_visible()
    assert T("contact.talk", name=CHANTAL) not in text  # nobody's contact before a choice

    candidates.click(T("action.choose"), within=CHANTAL)
    chosen = anna.wait_for_card(T("candidates.chosen"), after=candidates.index)
    assert chosen.index == candidates.index
    assert T("candidates.status.chosen") in chosen.text()
    assert chosen.button(T("action.choose")).count() == 0  # one needed, one chosen
    # Now Anna and Chantal should talk: a Teams chat with Chantal and her e-mail, on her row only.
    text = chosen.text()
    assert T("contact.talk", name=CHANTAL) in text and "chantal.bakker@ermelo.example" in text
    assert T("contact.talk", name=DAAN) not in text
    assert chosen.locator.get_by_text(T("action.chat", name=CHANTAL), exact=True).is_visible()
    assert "chat/0/0?users=chantal.bakker%40ermelo.example" in json.dumps(chosen.json)
    _screenshot(chosen, "candidates-card", e2e_workdir)

    # Chantal is asked to confirm, and does.
    proposal = chantal.wait_for_card(T("notice.chosen.title", title=KLUS))
    assert T("notice.chosen.text", poster=ANNA) in proposal.text()
    assert T("contact.talk", name=ANNA) in proposal.text()  # and Chantal can reach Anna
    proposal.click(T("action.match_confirm"))
    confirmed = chantal.wait_for_card(T("match.confirmed"), after=proposal.index)
    assert confirmed.index == proposal.index
    assert T("interest.status.confirmed") in confirmed.text()
    assert confirmed.button(T("action.match_confirm")).count() == 0

    # Her manager Bram approves in his own chat; only then is the klus filled.
    request = bram.wait_for_card(T("approval.title.approver", name=CHANTAL, title=KLUS))
    request.click(T("action.approve"))
    bram.wait_for_card(T("approval.status.approved", name=CHANTAL), after=request.index)

    # Daan hears kindly that someone else was chosen, with another klus that fits him.
    no = daan.wait_for_card(T("notice.not_chosen.text", title=KLUS))
    text = no.text()
    assert T("notice.not_chosen.title", title=KLUS) in text
    assert T("notice.others") in text and OTHER_KLUS in text
    assert CHANTAL not in text  # who was chosen is not his business
    no.select(OTHER_KLUS)
    other = daan.wait_for_card(OTHER_KLUS, T("action.interest"), after=no.index)
    assert other.index == no.index

    # Anna hears that Chantal can start; the klus is filled.
    anna.wait_for_card(T("notice.approval_approved_poster.title", name=CHANTAL), after=chosen.index)
    before = anna.card_count()
    anna.send(T("command.my_klussen"))
    mine = anna.wait_for_card(T("mine.title"), after=before)
    assert T("klus.status.filled") in mine.text(), mine.text()
