"""A double click in the Agents Playground: "Post klus" clicked twice posts one klus, and pressing the
same card once more (as a second device would) answers "already done" with that klus."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Response

from klussenbank.i18n import Translator
from klussenbank.verbs import Verb
from tests.e2e.flows import dump, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)
KLUS = "Minutes for the works council"


def test_a_double_click_on_post_klus_posts_one_klus(chat: Chat) -> None:
    welcomed(chat)
    before = chat.card_count()
    chat.send(T("command.post_klus"))
    form = chat.wait_for_card(T("klus_form.title_new"), after=before)
    form.fill("title", KLUS)
    form.choose("required_skills", "minute-taking")
    form.choose("work_mode", "remote")
    presses: list[Response] = []

    def on_response(response: Response) -> None:
        if response.request.method == "POST" and response.url.endswith("/_conversation/v1/invoke"):
            presses.append(response)

    chat.page.on("response", on_response)
    form.button(T("action.klus_post")).dblclick()
    shown = chat.wait_for_card(KLUS, after=form.index)
    assert T("klus.posted") in shown.text() or T("once.already_done") in shown.text()
    chat.page.remove_listener("response", on_response)
    assert presses, "the page sent no card action"
    sent: dict[str, Any] = json.loads(presses[0].request.post_data or "{}")["value"]["action"]["data"]
    assert len(sent["once"]) >= 16  # the card's one-time key went along with the inputs

    again = chat.invoke(Verb.KLUS_POST, sent)  # the same card pressed once more

    assert T("once.already_done") in dump(again) and KLUS in dump(again)
    mine = dump(chat.invoke(Verb.KLUS_MINE))
    assert mine.count(KLUS) == 1, mine
