"""After the approval end to end: the secondment agreement, the end of the work, and how it went.

Anna de Vries (HR, Gemeente Harderwijk) posts a klus; Chantal Bakker (Gemeente Ermelo) shows
interest, is chosen and confirms; her line manager Bram Jansen approves in his chat. Each person
has an Agents Playground of their own on the same bot (see test_approval_flow.py).

- The agreement: Chantal, Anna (the poster, and HR: one card, not two) and Bram each get an
  "Secondment agreement" card. Chantal opens it in her chat; the card turns into a signed,
  short-lived link to the PDF, which the bot serves without a login (a forged link gets 403).
- The end of the work: Anna's status card, changed in place by the approval, has "The klus is
  done". She presses it; the klus is completed and both get an evaluation card.
- How it went: Chantal fills hers in (a score, a text, "again", a skill she used and the toggle
  that adds it to her profile) and sends it; her profile then lists the skill. Anna first sends
  hers without a score or an answer to "again" and gets the same card back with a message by each
  of those fields, her text kept; then she sends it complete.

What the flow is about is done on the rendered cards; the set-up (signing up, posting, interest,
choosing, confirming) goes through the Playground's HTTP API as the same person, as in
test_approval_flow.py. The PDF is fetched over HTTP from the link in the card: the Playground
would open it in a new tab, which tells a test nothing more.

The Playground sends locale "en-US" with everything, so the bot answers, and queues its cards,
in English.
"""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from klussenbank.cards.verbs import Verb
from klussenbank.i18n import Translator
from tests.e2e.flows import action_data, choose, dump, elements, post_klus, sign_up, verbs
from tests.e2e.playground import CARD_TIMEOUT, PLAYGROUND_LOCALE, BotServer, Chat, E2EError

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM, CHANTAL = "Anna de Vries", "Bram Jansen", "Chantal Bakker"
CHANTAL_ID = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"  # her Entra object id in demo_directory.json

KLUS = "Minutes of the audit committee"
WENT_WELL = "Clear agreements and a friendly committee."
ANNA_WENT_WELL = "The minutes were ready the next morning."
NEW_SKILL, NEW_SKILL_LABEL = "report-writing", "Report writing"  # not among her skills yet


# -- set-up through the Playground's HTTP API -----------------------------------------------------


def _matched(anna: Chat, chantal: Chat) -> None:
    """Chantal signs up, Anna posts the klus, Chantal shows interest, is chosen and confirms."""
    sign_up(chantal)
    klus_id = post_klus(anna, KLUS, "minute-taking")
    choose(anna, chantal, CHANTAL_ID, klus_id, "I like it.")
    answer = chantal.invoke(Verb.MATCH_CONFIRM, {"klus_id": str(klus_id), "share_motivation": "false"})
    assert T("match.confirmed") in dump(answer), answer


# -- reading cards and links ----------------------------------------------------------------------


def _open_url(card: dict[str, Any], title: str) -> str:
    for element in elements(card):
        if element.get("type") == "Action.OpenUrl" and element.get("title") == title:
            return str(element["url"])
    raise E2EError(f"no Action.OpenUrl {title!r} in the card: {dump(card)[:1000]}")


def _download(url: str) -> tuple[int, str, str, bytes]:
    """GET `url` as a browser would, without cookies: status, content type, disposition, body."""
    try:
        with urllib.request.urlopen(url, timeout=CARD_TIMEOUT) as response:
            headers = response.headers
            disposition = headers.get("Content-Disposition", "")
            return response.status, headers.get_content_type(), disposition, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get_content_type(), "", exc.read()


def _pdf_text(body: bytes) -> str:
    pages = PdfReader(io.BytesIO(body)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def _inputs(card: dict[str, Any]) -> list[str]:
    return [str(e["id"]) for e in elements(card) if str(e.get("type", "")).startswith("Input.")]


def _klus_line(card: dict[str, Any], title: str) -> str:
    """In "my klussen": the line under the klus with this title (status and counts)."""
    for element in elements(card):
        if element.get("type") == "Container":
            texts = [
                str(e.get("text", "")) for e in element.get("items") or [] if e.get("type") == "TextBlock"
            ]
            if title in texts and len(texts) > 1:
                return texts[texts.index(title) + 1]
    raise AssertionError(f"no klus {title!r} in the card: {dump(card)[:1000]}")


# -- the test -------------------------------------------------------------------------------------


def test_agreement_end_of_work_and_evaluations(
    chat: Chat, chat_as: Callable[..., Sequence[Chat]], bot: BotServer
) -> None:
    chantal = chat
    anna, bram = chat_as(ANNA, BRAM)
    for person in (chantal, anna, bram):
        person.wait_for_card(T("welcome.privacy"))  # from now on the bot can message them
    _matched(anna, chantal)

    # Bram approves in his chat; Anna's status card changes in place and offers to end the work.
    request = bram.wait_for_card(T("approval.title.approver", name=CHANTAL))
    posters = anna.wait_for_card(T("approval.title.poster", name=CHANTAL, title=KLUS))
    assert posters.button(T("action.work_complete")).count() == 0  # not before the approval
    assert request.click(T("action.approve")) is not None
    status = anna.wait_for_card(T("approval.status.approved", name=CHANTAL), after=posters.index)
    assert status.index == posters.index
    approval_id = int(status.json["refresh"]["action"]["data"]["approval_id"])
    assert action_data(status.json, Verb.WORK_COMPLETE) == {"approval_id": approval_id}

    # The agreement is ready for each party: Chantal, Anna (poster and HR) and Bram.
    ready = (T("agreement.title", title=KLUS), T("agreement.text"))
    for person in (anna, bram):
        person.wait_for_card(*ready)
    agreement = chantal.wait_for_card(*ready)

    # Chantal opens it: the card turns into a download link, served by the bot itself.
    link_card = agreement.click(T("action.agreement_open"))
    assert link_card is not None
    url = _open_url(link_card, T("action.agreement_download"))
    assert urlsplit(url).netloc == urlsplit(bot.base_url).netloc, url
    assert urlsplit(url).path == f"/api/agreements/{approval_id}.en.pdf", url  # in her language
    opened = chantal.wait_for_card(T("agreement.title", title=KLUS), T("action.agreement_download"))
    assert opened.index == agreement.index
    link = opened.locator.get_by_role("link", name=T("action.agreement_download"), exact=True)
    assert link.get_attribute("title") == url  # how the Playground renders an Action.OpenUrl

    status_code, content_type, disposition, pdf = _download(url)
    assert (status_code, content_type) == (200, "application/pdf"), (status_code, content_type, pdf[:300])
    assert pdf.startswith(b"%PDF-1.4"), pdf[:50]
    number = re.search(r'filename="detacheringsovereenkomst-(.+)\.pdf"', disposition)
    assert number is not None, disposition
    assert T("agreement.link_note", number=number.group(1)) in opened.text()
    text = _pdf_text(pdf)
    for shown in (CHANTAL, KLUS, number.group(1)):
        assert shown in text, (shown, text[:2000])
    forged = re.sub(r"sig=[0-9a-f]+", "sig=" + "0" * 64, url)
    assert _download(forged)[0] == 403

    # Anna says the klus is done, on her status card; the button is gone from the answer.
    ended = status.click(T("action.work_complete"))
    assert ended is not None
    assert Verb.WORK_COMPLETE not in verbs(ended), ended

    # Both get an evaluation card: Chantal's asks about her skills too, Anna's does not. (The answer
    # to Anna's click is a form as well, in place of her status card; she fills in the new message.)
    heading = T("evaluation.title", title=KLUS)
    mine = chantal.wait_for_card(heading, T("evaluation.intro.employee", name=ANNA))
    theirs = anna.wait_for_card(heading, T("evaluation.intro.poster", name=CHANTAL), after=status.index + 1)
    assert _inputs(mine.json) == ["score", "went_well", "could_be_better", "again", "skills", "add_skills"]
    assert _inputs(theirs.json) == ["score", "went_well", "could_be_better", "again"]
    assert T("evaluation.add_skills") in mine.text()

    # Chantal fills hers in and sends it: thanks, in place.
    mine.choose("score", "5")
    mine.fill("went_well", WENT_WELL)
    mine.choose("again", "true")
    mine.choose("skills", NEW_SKILL)
    mine.fill("add_skills", "true")
    assert (mine.value_of("score"), mine.value_of("again")) == (T("evaluation.score.5"), T("my_data.yes"))
    assert mine.value_of("skills") == NEW_SKILL_LABEL
    answer = mine.click(T("action.evaluation_send"))
    assert answer is not None and T("evaluation.thanks") in dump(answer), answer
    thanked = chantal.wait_for_card(heading, T("evaluation.thanks"), after=mine.index)
    assert thanked.index == mine.index
    assert not _inputs(thanked.json)

    # Anna sends hers with only a text: the same card again, a message by each missing answer.
    theirs.fill("went_well", ANNA_WENT_WELL)
    answer = theirs.click(T("action.evaluation_send"))
    assert answer is not None and T("evaluation.thanks") not in dump(answer), answer
    again = anna.wait_for_card(heading, T("form.errors"), after=theirs.index)
    assert again.index == theirs.index
    assert again.message_after("score") == T("error.required")
    assert again.message_after("again") == T("error.required")
    assert again.text().count(T("error.required")) == 2, again.text()
    assert again.value_of("went_well") == ANNA_WENT_WELL

    # Then complete: thanks.
    again.choose("score", "4")
    again.choose("again", "true")
    answer = again.click(T("action.evaluation_send"))
    assert answer is not None and T("evaluation.thanks") in dump(answer), answer
    assert anna.wait_for_card(heading, T("evaluation.thanks"), after=theirs.index).index == theirs.index

    # The klus is completed, and Chantal's profile lists the skill she added.
    mine_list = anna.invoke(Verb.KLUS_MINE)
    assert _klus_line(mine_list, KLUS).startswith(T("klus.status.completed") + " ·"), dump(mine_list)
    before = chantal.card_count()
    chantal.send(T("command.profile"))
    profile = chantal.wait_for_card(T("profile.title"), after=before)
    assert NEW_SKILL_LABEL in profile.text(), profile.text()

    # Anna got one agreement card, though she is both poster and HR.
    assert sum(KLUS in text and T("agreement.text") in text for text in anna.card_texts()) == 1
