"""The monthly pulse card: one tap on a face (1–5), optionally a text and "zet mijn naam erbij"."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import Element, attention, card, execute, once_data, subtle, text, title
from klussenbank.cards.general import notice_card
from klussenbank.domain.growth import MAX_PULSE_TEXT, PULSE_SCORES
from klussenbank.i18n import Translator
from klussenbank.services.views import PulseOutcome, PulseView
from klussenbank.verbs import GrowthInput, Verb

FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😀"}


def pulse_card(view: PulseView, t: Translator) -> Element:
    draft = view.draft
    body: list[Element] = [title(t("pulse.title")), text(t("pulse.intro"))]
    if view.error:
        body.append(attention(t(view.error)))
    body += [
        {
            "type": "Input.Text",
            "id": GrowthInput.TEXT.value,
            "label": t("pulse.text"),
            "placeholder": t("pulse.text_placeholder"),
            "isMultiline": True,
            "maxLength": MAX_PULSE_TEXT,
            "value": draft.text if draft else "",
        },
        {
            "type": "Input.Toggle",
            "id": GrowthInput.SIGNED.value,
            "title": t("pulse.signed"),
            "value": "true" if draft and draft.signed else "false",
            "valueOn": "true",
            "valueOff": "false",
        },
        subtle(t("pulse.privacy")),
    ]
    # (Whichever face is tapped first counts: the pulse takes one answer, whatever the keys say.)
    actions = [
        execute(
            f"{FACES[score]} {score}",
            Verb.PULSE_ANSWER,
            data=once_data({GrowthInput.PULSE_ID.value: view.pulse_id, GrowthInput.SCORE.value: score}),
        )
        for score in PULSE_SCORES
    ]
    return card(body, actions)


def pulse_outcome_card(outcome: PulseOutcome, t: Translator) -> Element:
    if outcome.code == "invalid":
        return pulse_card(PulseView(outcome.pulse_id, outcome.draft, "pulse.invalid"), t)
    return notice_card(t(f"pulse.{outcome.code}"))


class GrowthCardRenderer:
    """The GrowthCards port."""

    def pulse(self, view: PulseView, locale: str) -> dict[str, Any]:
        return pulse_card(view, Translator.for_locale(locale))
