"""Issue 16 end to end: a development track started with consent, visible to the HR adviser,
invisible to the manager and the poster, ended by the person.

Anna de Vries (HR) proposes a track to Chantal Bakker; Bram Jansen is Chantal's line manager and
posts a klus she shows interest in. Each works in a Playground of their own. What the flow is about
is done on the rendered cards in Chantal's chat: the consent card arriving and "Yes, I'll join", and
ending the track in `my track`. Set-up (Anna's proposal, signing up, posting, showing interest) and
the looks that must find nothing (Bram's) go through the Playground's HTTP API as that person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest

from klussenbank.i18n import Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import action_data, bot_today, dump, post_klus, sign_up, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM, CHANTAL = "Anna de Vries", "Bram Jansen", "Chantal Bakker"
ANNA_ID = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01"  # as in src/klussenbank/data/demo_directory.json
CHANTAL_ID = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"
WEBSITE = "Texts for the website"


def test_a_track_with_consent_seen_by_the_adviser_not_by_the_manager_or_poster_and_ended_by_her(
    chat_as: Callable[..., Sequence[Chat]],
) -> None:
    anna, bram, chantal = chat_as(ANNA, BRAM, CHANTAL)
    welcomed(anna, bram, chantal)
    sign_up(chantal)

    # Anna proposes; nothing is stored until Chantal says yes on the card in her own chat.
    proposed = anna.invoke(
        Verb.TRACK_PROPOSE,
        {
            "person": CHANTAL_ID,
            "kind": "career",
            "skills": "copywriting",
            "hours": "40",
            "until": (bot_today() + timedelta(days=120)).isoformat(),
            "adviser": ANNA_ID,
        },
    )
    assert T("track.notice.proposed", name=CHANTAL) in dump(proposed)
    consent = chantal.wait_for_card(T("track.consent.title"), T("track.privacy", adviser=ANNA))
    answer = consent.click(T("track.action.accept"))
    assert answer is not None and T("track.started_by_you") in dump(answer)

    # The adviser hears it and opens the track.
    started = anna.wait_for_card(T("track.notice.started", name=CHANTAL))
    track_id = action_data(started.json, Verb.TRACK_SHOW)["track_id"]
    progress = anna.invoke(Verb.TRACK_SHOW, {"track_id": track_id})
    assert T("track.progress.title", name=CHANTAL) in dump(progress)

    # Bram, her manager, posts a klus that serves her goals; she shows interest. His candidates card
    # shows her as any candidate; no track is named anywhere, and the track itself is not his to see.
    klus_id = post_klus(bram, WEBSITE, "minute-taking")
    chantal.invoke(Verb.INTEREST_ADD, {"klus_id": str(klus_id), "motivation": ""})
    candidates = dump(bram.invoke(Verb.KLUS_CANDIDATES, {"klus_id": str(klus_id)}))
    assert CHANTAL in candidates
    assert T("why.you.track") not in candidates and T("track.mine.title") not in candidates
    for refused in (
        bram.invoke(Verb.TRACK_SHOW, {"track_id": track_id}),
        bram.invoke(Verb.TRACK_LIST),
    ):
        assert CHANTAL not in dump(refused) and T("track.progress.title", name=CHANTAL) not in dump(refused)

    # Chantal ends it on the card of `my track`; the adviser can no longer open it.
    before = chantal.card_count()
    chantal.send(T("command.my_track"))
    mine = chantal.wait_for_card(T("track.mine.title"), T("track.action.end"), after=before)
    mine.click(T("track.action.end"))  # Action.ShowCard: the confirmation opens inside the card
    ended = mine.click(T("track.action.end_confirm"))
    assert ended is not None and T("track.ended_by_you") in dump(ended)
    assert T("refusal.track_not_found") in dump(anna.invoke(Verb.TRACK_SHOW, {"track_id": track_id}))
    anna.wait_for_card(T("track.notice.ended", name=CHANTAL))
