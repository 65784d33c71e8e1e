"""Issue 15 end to end: a team lead who posts a klus and is the candidate's line manager gets one
card per event and is never told about his own decision; jobs without a profile leads to signing
up; the help puts his klussen first; the candidate finds her reactions (`my applications`) and
the agreement (`agreement`), whose link renews with one press.

Bram Jansen posts and approves; Chantal Bakker reports to him (demo directory). Set-up that is not
what the test is about (signing up, posting, showing interest, choosing) goes through the
Playground's HTTP API as that person; the rest is done on the rendered cards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from klussenbank.i18n import Translator
from tests.e2e.flows import choose, post_klus, sign_up, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

BRAM, CHANTAL = "Bram Jansen", "Chantal Bakker"
CHANTAL_ID = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"  # as in src/klussenbank/data/demo_directory.json
MINUTES = "Minutes of the works council"
SETTLE_MS = 3000  # time for anything else the bot might still send to arrive


def _said(chat: Chat, command: str, *texts: str) -> int:
    """Type a command; the index of the card that answers with all of `texts`."""
    before = chat.card_count()
    chat.send(T(f"command.{command}"))
    return chat.wait_for_card(*texts, after=before).index


def _count(chat: Chat, text: str) -> int:
    return sum(1 for shown in chat.card_texts() if text in " ".join(shown.split()))


def test_a_team_lead_approving_for_his_own_klus_gets_one_card_per_event(
    chat_as: Callable[..., Sequence[Chat]],
) -> None:
    bram, chantal = chat_as(BRAM, CHANTAL)
    welcomed(bram, chantal)

    # Bram has no profile: "jobs" says the next step is signing up, with the button.
    jobs = bram.card(_said(bram, "klussen", T("offers.title")))
    assert T("offers.none_no_profile") in jobs.text() or T("offers.sign_up_first") in jobs.text()
    assert "You'll hear when one that fits comes up" not in jobs.text()
    assert jobs.button(T("action.sign_up")).is_visible()

    sign_up(chantal)
    klus_id = post_klus(bram, MINUTES, "minute-taking")
    choose(bram, chantal, CHANTAL_ID, klus_id, "I take the minutes of our team meetings.")

    # Bram's help now puts his klussen first, and tells him as a manager what he will get.
    helped = bram.card(_said(bram, "help", T("help.title"), T("guide.poster")))
    assert helped.json["actions"][0]["title"] == T("action.mine")
    assert T("guide.manager") in helped.text()

    # Chantal says yes on the card: Bram gets one approval card (it was two), Chantal her status.
    proposal = chantal.wait_for_card(T("notice.chosen.title", title=MINUTES))
    proposal.click(T("action.match_confirm"))
    request = bram.wait_for_card(T("approval.title.approver", name=CHANTAL))
    chantal.wait_for_card(T("approval.title.candidate", title=MINUTES))
    bram.page.wait_for_timeout(SETTLE_MS)
    assert _count(bram, T("approval.title.approver", name=CHANTAL)) == 1
    assert _count(bram, T("approval.title.poster", name=CHANTAL, title=MINUTES)) == 0

    # He approves on it: his card says so and offers the agreement; no new message for him.
    cards_before = bram.card_count()
    request.click(T("action.approve"))
    final = bram.wait_for_card(T("approval.status.approved", name=CHANTAL), after=request.index)
    assert final.index == request.index
    assert final.button(T("action.agreement_open")).is_visible()
    notice = chantal.wait_for_card(
        T("notice.approval_approved_candidate.title", title=MINUTES), T("agreement.ready_line")
    )
    bram.page.wait_for_timeout(SETTLE_MS)
    assert bram.card_count() == cards_before
    assert _count(bram, "The manager approved") == 0
    # Chantal: one message for the approval, with the agreement in it (no separate "ready" card).
    assert _count(chantal, T("agreement.text")) == 0

    # The agreement: a link, and a new one with one press.
    link = notice.click(T("action.agreement_open"))
    assert link is not None
    [first] = [a["url"] for a in link["actions"] if a["type"] == "Action.OpenUrl"]
    renewed = notice.click(T("action.agreement_renew"))
    assert renewed is not None
    [again] = [a["url"] for a in renewed["actions"] if a["type"] == "Action.OpenUrl"]
    assert "/api/agreements/" in first and "/api/agreements/" in again

    # "my applications" and "agreement" list it, with the next step.
    mine = chantal.card(_said(chantal, "my_applications", T("applications.title"), MINUTES))
    assert T("interest.status.approved") in mine.text()
    assert mine.button(T("action.agreement_open")).is_visible()
    listed = chantal.card(_said(chantal, "agreement", T("agreements.title"), MINUTES))
    assert listed.button(T("action.agreement_open")).is_visible()
    brams = bram.card(_said(bram, "agreement", T("agreements.title"), MINUTES))
    assert CHANTAL in brams.text()
