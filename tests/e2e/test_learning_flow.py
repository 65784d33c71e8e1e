"""Learning and confirmed skills end to end.

Anna de Vries (HR, Harderwijk) posts a klus that needs minute-taking and would like (and offers to
teach) the Omgevingswet; Chantal Bakker wants to learn it, Bram Jansen does not; both take minutes and
have the 12 hours, and neither knows the Omgevingswet. On
Anna's candidates card Chantal comes first, and it says why: "Wants to learn this: Environment and
Planning Act". Chantal is chosen, Bram (her line manager) approves on his rendered card, Anna ends
the work and confirms in her evaluation that Chantal used the Omgevingswet. Chantal's profile, in her
rendered chat, shows it with its mark ("confirmed by 1 poster"); she hides it with its button and the
card says so.

The set-up goes through the Playground's HTTP API as the same person, as the other flows do; the
Playground speaks English (locale en-US).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest

from klussenbank.i18n import Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import action_data, bot_today, choose, dump, sign_up, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

ANNA, BRAM, CHANTAL = "Anna de Vries", "Bram Jansen", "Chantal Bakker"
CHANTAL_ID = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"
KLUS = "Advice on a permit, with a mentor"
SKILL = "Environment and Planning Act"  # omgevingswet


def _learning_klus(anna: Chat) -> int:
    today = bot_today()
    card = anna.invoke(
        Verb.KLUS_POST,
        {
            "title": KLUS,
            "description": "Support the permit team, remotely.",
            "organisation": "harderwijk",
            "required_skills": "minute-taking",
            "nice_skills": "omgevingswet",
            "hours_per_week": "12",
            "start_date": (today + timedelta(days=14)).isoformat(),
            "end_date": (today + timedelta(days=60)).isoformat(),
            "work_mode": "remote",
            "people_needed": "1",
            "interest_deadline": (today + timedelta(days=10)).isoformat(),
            "visibility": "pool",
            "learning_skills": "omgevingswet",
        },
    )
    assert T("klus.posted") in dump(card), card
    return int(action_data(card, Verb.KLUS_CANDIDATES)["klus_id"])


def test_a_learning_wish_ranks_first_with_its_reason_and_a_confirmed_skill_shows_on_the_profile(
    chat: Chat, chat_as: Callable[..., Sequence[Chat]]
) -> None:
    chantal = chat
    anna, bram = chat_as(ANNA, BRAM)
    welcomed(chantal, anna, bram)
    sign_up(bram, skills="minute-taking")
    wish = chantal.invoke(
        Verb.AVAILABILITY_SAVE,
        {
            "skills": "minute-taking",
            "hours_per_week": "12",
            "start_date": bot_today().isoformat(),
            "organisations": "ermelo,harderwijk",
            "work_mode": "remote",
            "learning_skills": "omgevingswet",
        },
    )
    assert T("learning.profile") in dump(wish) and SKILL in dump(wish), wish
    klus_id = _learning_klus(anna)

    # Anna's candidates: Chantal first, and why.
    candidates = dump(anna.invoke(Verb.KLUS_CANDIDATES, {"klus_id": str(klus_id)}))
    assert CHANTAL in candidates and BRAM in candidates, candidates[:2000]
    assert candidates.index(CHANTAL) < candidates.index(BRAM), candidates[:2000]
    assert T("why.they.learning", skills=SKILL) in candidates, candidates[:2000]

    # The match, approved by Bram on his card; Anna ends the work and confirms the skill.
    choose(anna, chantal, CHANTAL_ID, klus_id, "I would like to learn this.")
    confirmed = chantal.invoke(Verb.MATCH_CONFIRM, {"klus_id": str(klus_id), "share_motivation": "false"})
    assert T("match.confirmed") in dump(confirmed), confirmed
    request = bram.wait_for_card(T("approval.title.approver", name=CHANTAL))
    approval_id = request.json["refresh"]["action"]["data"]["approval_id"]
    assert request.click(T("action.approve")) is not None
    anna.invoke(Verb.WORK_COMPLETE_CONFIRM, {"approval_id": approval_id})
    thanks = anna.invoke(
        Verb.EVALUATION_SEND,
        {"approval_id": approval_id, "score": "5", "again": "true", "skills": "omgevingswet"},
    )
    assert T("evaluation.thanks") in dump(thanks), thanks

    # Chantal's profile shows it with its mark; she hides it.
    before = chantal.card_count()
    chantal.send(T("command.profile"))
    mark = f"✓ {SKILL} · {T.plural('learning.confirmed_by', 1, count=1)}"
    profile = chantal.wait_for_card(T("learning.confirmed_title"), mark, after=before)
    assert profile.click(T("learning.hide")) is not None
    hidden = chantal.wait_for_card(T("learning.hidden"), after=before)
    assert T("learning.confirmed_hidden", skill=SKILL) in hidden.text(), hidden.text()
