"""Approval of a confirmed match end to end, with four people, each in an Agents Playground of their own.

Anna de Vries (HR, Gemeente Harderwijk) posts a klus and chooses a candidate from Gemeente Ermelo;
the candidate confirms; their line manager Bram Jansen gets the approval card in his own chat and
decides there. Candidate and poster follow it on status cards that change in place.

- Approved: Chantal Bakker confirms and lets Bram read her motivation. Before Bram decides,
  Chantal and Anna each try to approve it themselves and are refused. Bram approves; Chantal's
  and Anna's status cards say so, and both get a notice.
- Declined: Daan Visser confirms without sharing his motivation. Bram declines with a reason;
  Daan's card says so kindly, with the reason; Anna's says so without it.

What the flow is about is done on the rendered cards: the share toggle and "Yes, I'll do it",
the approval card arriving in Bram's chat, "Approve", and "Decline" with a reason typed in the
card. The set-up (signing up, posting the klus, showing interest, choosing) goes through the
Playground's HTTP API as the same person, as in test_klus_flow.py.

The refused clicks also go through that API (`POST /_conversation/v1/invoke`, what the page posts
for an Action.Execute), as Chantal and as Anna from their own Playgrounds: the approval card with
its buttons only ever appears in the approver's chat, so someone else cannot press them in a
client. Their own status cards do carry the approval's id (in the refresh action), and the bot
must not trust a card to say who may decide.

The Playground sends locale "en-US" with everything, so the bot answers, and queues its cards,
in English. "Today" is the bot's: the day in the Netherlands (dates typed into forms, and the date
of a decision on the cards), not the test machine's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pytest

from klussenbank.i18n import Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import bot_today, choose, dump, post_klus, sign_up, verbs, welcomed
from tests.e2e.playground import CARD_TIMEOUT, PLAYGROUND_LOCALE, Card, Chat, wait_until

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM, CHANTAL, DAAN = "Anna de Vries", "Bram Jansen", "Chantal Bakker", "Daan Visser"
PERSON_ID = {  # Entra object ids, as in src/klussenbank/data/demo_directory.json
    CHANTAL: "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03",
    DAAN: "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e04",
}

MINUTES = "Minutes of the audit committee"
CHANTAL_WHY = "I have taken the minutes of our team meetings for two years."
LEAFLET = "Leaflet for the library"
DAAN_WHY = "Writing is my daily work at Communicatie."
REASON = "We need everyone at the desk during the elections."

DECIDING = {Verb.APPROVAL_APPROVE, Verb.APPROVAL_DECLINE, Verb.APPROVAL_FORWARD}  # the approver's buttons


# -- set-up through the Playground's HTTP API -----------------------------------------------------


def _confirm(candidate: Chat, title: str, *, share_motivation: bool) -> Card:
    """On the "You were chosen" card: the share toggle, then "Yes, I'll do it"."""
    proposal = candidate.wait_for_card(T("notice.chosen.title", title=title))
    assert T("match.share_motivation") in proposal.text()
    assert proposal.value_of("share_motivation") == "false"  # off unless the candidate says so
    proposal.fill("share_motivation", "true" if share_motivation else "false")
    proposal.click(T("action.match_confirm"))
    confirmed = candidate.wait_for_card(T("match.confirmed"), after=proposal.index)
    assert confirmed.index == proposal.index
    assert T("interest.status.confirmed") in confirmed.text()
    return confirmed


# -- reading cards ----------------------------------------------------------------------------


def _updates(chat: Chat, card: Card) -> int:
    """How often the bot changed this message in place (update_activity), once it has at all."""
    message_id = chat.bot_cards[card.index][0]

    def count() -> int:
        return sum(
            1
            for frame in chat.frames
            if frame.get("action") == "updateMessage"
            and str((frame.get("message") or {}).get("messageId")) == message_id
        )

    return wait_until(
        count,
        CARD_TIMEOUT,
        lambda: f"the bot never updated card #{card.index}: {card.text()}",
        tick=lambda seconds: chat.page.wait_for_timeout(
            seconds * 1000
        ),  # frames arrive while Playwright runs
    )


def _approval_id(card: Card) -> int:
    """The approval a status card is about: its refresh action carries the id."""
    refresh = card.json.get("refresh") or {}
    assert refresh.get("action", {}).get("verb") == Verb.APPROVAL_SHOW, card.json
    return int(refresh["action"]["data"]["approval_id"])


def _decision(key: str) -> str:
    """ "Approved by Bram Jansen on <date>", dated as people in the Netherlands know the day."""
    return T(key, name=BRAM, date=T.date(bot_today()))


# -- the tests --------------------------------------------------------------------------------


def test_the_manager_approves_and_no_one_else_can(chat: Chat, chat_as: Callable[..., Sequence[Chat]]) -> None:
    chantal = chat
    anna, bram = chat_as(ANNA, BRAM)
    welcomed(chantal, anna, bram)
    sign_up(chantal)
    klus_id = post_klus(anna, MINUTES, "minute-taking")
    choose(anna, chantal, PERSON_ID[CHANTAL], klus_id, CHANTAL_WHY)

    # Chantal confirms, and lets her manager read her motivation.
    confirmed = _confirm(chantal, MINUTES, share_motivation=True)

    # Bram, her line manager, gets the approval card in his own chat, with her motivation.
    request = bram.wait_for_card(T("approval.title.approver", name=CHANTAL))
    text = request.text()
    for shown in (
        MINUTES,
        f"{CHANTAL} (Gemeente Ermelo)",
        f"{ANNA} (Gemeente Harderwijk)",
        T("candidates.motivation", motivation=CHANTAL_WHY),
        T("approval.status.pending.you"),
    ):
        assert shown in text, (shown, text)
    for button in ("action.approve", "action.decline_approval", "action.forward"):
        assert request.button(T(button)).is_visible()

    # Chantal and Anna see the status, without buttons; Anna does not see the motivation here.
    mine = chantal.wait_for_card(
        T("approval.title.candidate", title=MINUTES),
        T("approval.status.pending.manager", name=BRAM),
        after=confirmed.index + 1,
    )
    posters = anna.wait_for_card(
        T("approval.title.poster", name=CHANTAL, title=MINUTES),
        T("approval.status.pending.poster", candidate=CHANTAL, name=BRAM),
    )
    assert CHANTAL_WHY not in posters.text()
    for status in (mine, posters):
        assert not verbs(status.json) & DECIDING

    # Chantal approves her own request, and Anna (the poster, and HR) approves and declines it:
    # each gets their own read-only view back, and nothing changes.
    approval_id = _approval_id(mine)
    assert _approval_id(posters) == approval_id
    for who, verb, data, pending in (
        (chantal, Verb.APPROVAL_APPROVE, {}, T("approval.status.pending.manager", name=BRAM)),
        (anna, Verb.APPROVAL_APPROVE, {}, T("approval.status.pending.poster", candidate=CHANTAL, name=BRAM)),
        (
            anna,
            Verb.APPROVAL_DECLINE,
            {"reason": "Not now."},
            T("approval.status.pending.poster", candidate=CHANTAL, name=BRAM),
        ),
    ):
        refused = dump(who.invoke(verb, {"approval_id": str(approval_id), **data}))
        assert T("approval.not_yours", name=BRAM) in refused, (verb, refused)
        assert pending in refused, (verb, refused)
        assert not verbs(json.loads(refused)) & DECIDING, (verb, refused)

    # Bram approves in his card; it shows his decision at once.
    answer = request.click(T("action.approve"))
    assert answer is not None
    final = bram.wait_for_card(_decision("approval.approved_by"), after=request.index)
    assert final.index == request.index
    assert T("approval.status.approved", name=CHANTAL) in final.text()
    assert final.button(T("action.approve")).count() == 0
    assert not verbs(answer) & DECIDING

    # Chantal's and Anna's status cards change in place, each with one decision: Bram's.
    for person, status, approved in (
        (chantal, mine, T("approval.status.approved.candidate")),  # to her, not about her
        (anna, posters, T("approval.status.approved", name=CHANTAL)),
    ):
        now = person.wait_for_card(_decision("approval.approved_by"), approved, after=status.index)
        assert now.index == status.index
        assert now.text().count(T("approval.approved_by", name=BRAM, date="").strip()) == 1, now.text()
        assert T("approval.not_yours", name=BRAM) not in now.text()
    # Every card changed once, for Bram's decision: the refused clicks changed none of them.
    for person, card in ((chantal, mine), (anna, posters), (bram, final)):
        assert _updates(person, card) == 1, card.text()

    # And both get a new message about it.
    chantal.wait_for_card(
        T("notice.approval_approved_candidate.title", title=MINUTES),
        T("notice.approval_approved_candidate.text", title=MINUTES, poster=ANNA),
        after=mine.index + 1,
    )
    anna.wait_for_card(
        T("notice.approval_approved_poster.title", name=CHANTAL),
        T("notice.approval_approved_poster.text", name=CHANTAL, title=MINUTES),
        after=posters.index + 1,
    )


def test_the_manager_declines_with_a_reason(chat_as: Callable[..., Sequence[Chat]]) -> None:
    anna, bram, daan = chat_as(ANNA, BRAM, DAAN)
    welcomed(anna, bram, daan)
    sign_up(daan)
    klus_id = post_klus(anna, LEAFLET, "copywriting")
    choose(anna, daan, PERSON_ID[DAAN], klus_id, DAAN_WHY)

    # Daan confirms and keeps his motivation to himself: Bram's card does not show it.
    confirmed = _confirm(daan, LEAFLET, share_motivation=False)
    request = bram.wait_for_card(T("approval.title.approver", name=DAAN))
    assert DAAN_WHY not in request.text()
    assert T("candidates.motivation", motivation="").strip() not in request.text()
    mine = daan.wait_for_card(T("approval.title.candidate", title=LEAFLET), after=confirmed.index + 1)
    posters = anna.wait_for_card(T("approval.title.poster", name=DAAN, title=LEAFLET))

    # Bram declines, with a reason typed in the card.
    request.click(T("action.decline_approval"))  # Action.ShowCard: the reason opens inside the card
    request.fill("reason", REASON)
    answer = request.click(T("action.decline_send"))
    assert answer is not None
    final = bram.wait_for_card(_decision("approval.declined_by"), after=request.index)
    assert final.index == request.index
    text = final.text()
    assert T("approval.status.declined") in text
    assert T("approval.reason_was", reason=REASON) in text
    assert not verbs(answer) & DECIDING

    # Daan's card says so kindly, with the reason; Anna's says so without it.
    # (the status says what the notice below says too: the card with the decision line is the status)
    now = daan.wait_for_card(
        T("approval.status.declined.candidate"), _decision("approval.declined_by"), after=mine.index
    )
    assert now.index == mine.index
    assert T("approval.reason_was", reason=REASON) in now.text()
    now = anna.wait_for_card(T("approval.status.declined.poster"), after=posters.index)
    assert now.index == posters.index
    assert REASON not in now.text()

    # Both get a new message: Daan's kind, with the reason; Anna's without it, to choose again.
    notice = daan.wait_for_card(
        T("notice.approval_declined_candidate.title", title=LEAFLET),
        T("notice.approval_declined_candidate.text"),
        after=mine.index + 1,
    )
    assert T("approval.reason_was", reason=REASON) in notice.text()
    notice = anna.wait_for_card(
        T("notice.approval_declined_poster.title", name=DAAN),
        T("notice.approval_declined_poster.text", name=DAAN, title=LEAFLET),
        after=posters.index + 1,
    )
    assert REASON not in notice.text()
    assert notice.button(T("action.candidates")).is_visible()
