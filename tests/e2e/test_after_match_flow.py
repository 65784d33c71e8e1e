"""After the approval end to end: the secondment agreement, the end of the work, and how it went.

Anna de Vries (HR, Gemeente Harderwijk) posts a klus; Chantal Bakker (Gemeente Ermelo) shows
interest, is chosen and confirms; her line manager Bram Jansen approves in his chat. Each person
has an Agents Playground of their own on the same bot (see test_approval_flow.py).

- The agreement: Chantal and Anna (the poster, and HR: one message, not two) find it in the one
  message that tells them of the approval; Bram, who approved, on the card he approved on.
  Chantal opens it in her chat; the card turns into a signed, short-lived link to the PDF, which
  the bot serves without a login (a forged link gets 403).
- The end of the work: Anna's status card, changed in place by the approval, has "The klus is
  done". She presses it; in its place she is asked whether she is sure, and says yes; the klus is
  completed and both get an evaluation card.
- How it went: Chantal fills hers in (a score, a text, "again", a skill she used and the toggle
  that adds it to her profile) and sends it; her profile then lists the skill. Anna first sends
  hers without a score or an answer to "again" and gets the same card back with a message by each
  of those fields, her text kept; then she sends it complete.
- Reading them: Chantal presses "View evaluations" on her thanks card and sees Anna's answers and
  her own, labelled as hers; "Back" shows the match's status in its place. Anna is HR (of every
  demo organisation): she says "report", presses "Evaluations" and finds the match with both
  sides' answers; "Read all" opens it in full, "Back to the evaluations" returns to the list. (She
  is the poster too, so her reading is in no access log.) Bram, the line manager, is told the
  match does not exist.

What the flow is about is done on the rendered cards; the set-up (signing up, posting, interest,
choosing, confirming) goes through the Playground's HTTP API as the same person, as in
test_approval_flow.py. The PDF is fetched over HTTP from the link in the card: the Playground
would open it in a new tab, which tells a test nothing more.

The report's default period is this year so far by the bot's clock, which holds the evaluations
given today; the figures' organisation is Anna's own, Gemeente Harderwijk (the klus's).

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

from klussenbank.i18n import Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import (
    action_data,
    bot_today,
    choose,
    dump,
    elements,
    open_report,
    post_klus,
    shown_under,
    sign_up,
    verbs,
    welcomed,
)
from tests.e2e.playground import CARD_TIMEOUT, PLAYGROUND_LOCALE, BotServer, Card, Chat, E2EError

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM, CHANTAL = "Anna de Vries", "Bram Jansen", "Chantal Bakker"
CHANTAL_ID = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"  # her Entra object id in demo_directory.json

KLUS = "Minutes of the audit committee"
WENT_WELL = "Clear agreements and a friendly committee."
COULD_BE_BETTER = "The papers came late."
ANNA_WENT_WELL = "The minutes were ready the next morning."
HARDERWIJK = "Gemeente Harderwijk"  # Anna's own organisation, the klus's: her report opens on it
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


def _score(score: int) -> str:
    return T("evaluations.score_value", label=T(f"evaluation.score.{score}"), score=score)


CHANTAL_SAID = (
    _score(5),
    T("evaluations.went_well", text=WENT_WELL),
    T("evaluations.could_be_better", text=COULD_BE_BETTER),
)
ANNA_SAID = (_score(4), T("evaluations.went_well", text=ANNA_WENT_WELL))


def _assert_side(card: Card, heading: str, said: Sequence[str], not_said: Sequence[str]) -> None:
    """Under this side's heading the card shows all of `said`, and nothing of the other side's."""
    __tracebackhide__ = True
    block = shown_under(card, heading)
    missing, wrong = [s for s in said if s not in block], [s for s in not_said if s in block]
    assert not missing and not wrong, f"under {heading!r}: missing {missing}, not theirs {wrong}: {block}"


# -- the test -------------------------------------------------------------------------------------


def test_agreement_end_of_work_and_evaluations(
    chat: Chat, chat_as: Callable[..., Sequence[Chat]], bot: BotServer
) -> None:
    chantal = chat
    anna, bram = chat_as(ANNA, BRAM)
    welcomed(chantal, anna, bram)
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

    # The agreement is offered to each party once: to Chantal and Anna (poster and HR) in the
    # message about the approval, to Bram on the card he approved on.
    anna.wait_for_card(T("notice.approval_approved_poster.title", name=CHANTAL), T("agreement.ready_line"))
    approved = bram.wait_for_card(T("approval.status.approved", name=CHANTAL), after=request.index)
    assert approved.button(T("action.agreement_open")).is_visible()
    agreement = chantal.wait_for_card(
        T("notice.approval_approved_candidate.title", title=KLUS), T("agreement.ready_line")
    )

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
    assert pdf.startswith(b"%PDF-1.7"), pdf[:50]  # PDF/A-2u
    number = re.search(r'filename="detacheringsovereenkomst-(.+)\.pdf"', disposition)
    assert number is not None, disposition
    assert T("agreement.link_note", number=number.group(1)) in opened.text()
    text = _pdf_text(pdf)
    for shown in (CHANTAL, KLUS, number.group(1)):
        assert shown in text, (shown, text[:2000])
    forged = re.sub(r"sig=[0-9a-f]+", "sig=" + "0" * 64, url)
    assert _download(forged)[0] == 403

    # Anna says the klus is done, on her status card; first she is asked whether she is sure.
    assert status.click(T("action.work_complete")) is not None
    sure = anna.wait_for_card(T("work.complete.title"), T("work.complete.text"), after=status.index)
    assert sure.index == status.index
    # She says yes; the button is gone from the answer.
    ended = sure.click(T("action.work_complete_confirm"))
    assert ended is not None
    assert Verb.WORK_COMPLETE not in verbs(ended), ended

    # Both get an evaluation card: Chantal's asks about her skills too, Anna's which skills Chantal used
    # or learned (they become confirmations on her profile). (The answer
    # to Anna's click is a form as well, in place of her status card; she fills in the new message.)
    heading = T("evaluation.title", title=KLUS)
    mine = chantal.wait_for_card(heading, T("evaluation.intro.employee", name=ANNA))
    theirs = anna.wait_for_card(heading, T("evaluation.intro.poster", name=CHANTAL), after=status.index + 1)
    assert _inputs(mine.json) == ["score", "went_well", "could_be_better", "again", "skills", "add_skills"]
    assert _inputs(theirs.json) == ["score", "went_well", "could_be_better", "again", "skills"]
    assert T("evaluation.add_skills") in mine.text()

    # Chantal fills hers in and sends it: thanks, in place.
    mine.choose("score", "5")
    mine.fill("went_well", WENT_WELL)
    mine.fill("could_be_better", COULD_BE_BETTER)
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

    # Chantal reads both on her thanks card: Anna's answers, and her own as hers.
    answer = thanked.click(T("action.evaluations_show"))
    assert answer is not None
    both = chantal.wait_for_card(T("evaluations.title", title=KLUS), after=thanked.index)
    assert both.index == thanked.index
    _assert_side(both, T("evaluations.side.you"), CHANTAL_SAID, ANNA_SAID)
    _assert_side(both, T("evaluations.side.poster", name=ANNA), ANNA_SAID, CHANTAL_SAID)
    assert T("evaluations.side.employee", name=CHANTAL) not in both.text()

    # "Back": the match's status, completed today, in the same place.
    assert both.click(T("action.back")) is not None
    completed = T("approval.status.completed", date=T.date(bot_today()))
    status_again = chantal.wait_for_card(T("approval.title.candidate", title=KLUS), completed)
    assert status_again.index == thanked.index
    assert status_again.button(T("action.evaluations_show")).count() == 1

    # Anna is HR: her report (this year so far) lists the match's evaluations, both sides'.
    report = open_report(anna)
    this_year = T("report.period", start=T.date(bot_today().replace(month=1, day=1)), end=T.date(bot_today()))
    assert this_year in report.text(), report.text()
    assert report.click(T("action.report_evaluations")) is not None
    listed = anna.wait_for_card(T("report.evaluations.title", organisation=HARDERWIJK), after=report.index)
    assert listed.index == report.index
    assert this_year in listed.text() and KLUS in listed.text(), listed.text()
    _assert_side(listed, T("evaluations.side.employee", name=CHANTAL), CHANTAL_SAID, ANNA_SAID)
    _assert_side(listed, T("evaluations.side.poster", name=ANNA), ANNA_SAID, CHANTAL_SAID)
    the_list = listed.text()

    # "Read all" opens the match in full; "Back to the evaluations" returns to the list.
    assert listed.click(T("action.evaluations_read_all"), within=KLUS) is not None
    full = anna.wait_for_card(T("evaluations.title", title=KLUS), after=report.index)
    assert full.index == report.index
    _assert_side(full, T("evaluations.side.employee", name=CHANTAL), CHANTAL_SAID, ANNA_SAID)
    _assert_side(full, T("evaluations.side.you"), ANNA_SAID, CHANTAL_SAID)  # she is the poster
    assert full.click(T("action.evaluations_back")) is not None
    again_listed = anna.wait_for_card(
        T("report.evaluations.title", organisation=HARDERWIJK), after=report.index
    )
    assert again_listed.index == report.index and again_listed.text() == the_list

    # Bram, Chantal's line manager, is neither side nor HR: for him the match does not exist.
    refused = bram.invoke(Verb.EVALUATIONS_SHOW, {"approval_id": approval_id})
    assert T("refusal.match_not_found") in dump(refused) and WENT_WELL not in dump(refused), refused

    # The klus is completed, and Chantal's profile lists the skill she added.
    mine_list = anna.invoke(Verb.KLUS_MINE)
    assert _klus_line(mine_list, KLUS).startswith(T("klus.status.completed") + " ·"), dump(mine_list)
    before = chantal.card_count()
    chantal.send(T("command.profile"))
    profile = chantal.wait_for_card(T("profile.title"), after=before)
    assert NEW_SKILL_LABEL in profile.text(), profile.text()

    # Anna got the agreement once, though she is both poster and HR; nobody got a separate card.
    assert sum(KLUS in text and T("agreement.ready_line") in text for text in anna.card_texts()) == 1
    for person in (anna, bram, chantal):
        assert not any(T("agreement.text") in text for text in person.card_texts())
