"""The pieces klus cards share: a klus's facts and one-line summary, the data its buttons send, and the
choices of a chosen candidate."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import (
    Element,
    card,
    container,
    execute,
    facts,
    once_data,
    refresh,
    show_card,
    skill_label,
    text,
)
from klussenbank.domain.klus import MAX_MOTIVATION
from klussenbank.i18n import Translator
from klussenbank.services.views import KlusView
from klussenbank.verbs import KlusInput, Verb

F = KlusInput


def klus_body(klus: KlusView, t: Translator) -> list[Element]:
    """A klus's description and its facts."""
    skills = [skill_label(s, t) for s in klus.required_skill_choices] + list(klus.free_skills)
    body: list[Element] = []
    if klus.description:
        body.append(text(klus.description))
    body.append(
        facts(
            [
                (t("klus.organisation"), klus.organisation.name),
                (t("klus.poster"), klus.poster_name),
                (t("klus.skills"), ", ".join(skills)),
                (t("klus.nice_skills"), ", ".join(skill_label(s, t) for s in klus.nice_skill_choices)),
                (
                    t("klus.hours"),
                    t.plural("profile.hours_value", klus.hours_per_week, hours=klus.hours_per_week),
                ),
                (
                    t("klus.period"),
                    t("profile.period_closed", start=t.date(klus.start_date), end=t.date(klus.end_date)),
                ),
                (t("klus.work_mode"), work_place(klus, t)),
                (t("klus.people_needed"), str(klus.people_needed)),
                (t("klus.deadline"), t.date(klus.interest_deadline)),
                (t("klus.status"), t(f"klus.status.{klus.status.value}")),
            ]
        )
    )
    return body


def work_place(klus: KlusView, t: Translator) -> str:
    """Remote, or on site / partly on site with the place."""
    return t(f"klus_mode.{klus.work_mode.value}") + (f", {klus.place}" if klus.place else "")


def klus_line(klus: KlusView, t: Translator) -> str:
    """A klus in one line of a list: organisation, hours, where, and until when to show interest."""
    return t(
        "klus.short",
        organisation=klus.organisation.name,
        hours=klus.hours_per_week,
        mode=t(f"klus_mode.{klus.work_mode.value}"),
        deadline=t.date(klus.interest_deadline),
    )


def kept_current(result: Element, klus_id: int, user_ids: tuple[str, ...]) -> Element:
    """The reader's Teams shows this card as the klus is now for them: it asks `klus.show` again
    whenever they see it (the "you were chosen" card says "approved" once it is)."""
    result["refresh"] = refresh(Verb.KLUS_SHOW, klus_data(klus_id), user_ids)
    return result


def openable(items: list[Element], klus_id: int, t: Translator) -> Element:
    """A klus in a list: the whole block opens it, and says so, like a link."""
    cue = {"type": "TextBlock", "text": t("action.klus_show") + " ›", "color": "Accent", "size": "Small"}
    show = execute(t("action.klus_show"), Verb.KLUS_SHOW, data=klus_data(klus_id))
    return container([*items, cue], separator=True, selectAction=show)


def interest_action(data: dict[str, Any], t: Translator) -> Element:
    """ "Ik heb interesse": opens a motivation box in the card, and sends it."""
    return show_card(
        t("action.interest"),
        card(
            [
                {
                    "type": "Input.Text",
                    "id": F.MOTIVATION,
                    "label": t("interest.motivation"),
                    "placeholder": t("interest.motivation_placeholder"),
                    "isMultiline": True,
                    "maxLength": MAX_MOTIVATION,
                }
            ],
            [execute(t("action.interest_send"), Verb.INTEREST_ADD, style="positive", data=once_data(data))],
        ),
    )


def share_toggle(t: Translator) -> Element:
    """Whether the line manager who approves may read the candidate's motivation: off unless chosen."""
    return {
        "type": "Input.Toggle",
        "id": F.SHARE_MOTIVATION.value,
        "title": t("match.share_motivation"),
        "value": "false",
        "valueOn": "true",
        "valueOff": "false",
    }


def confirm_actions(data: dict[str, Any], t: Translator) -> list[Element]:
    """Yes or no: one key for both, so only the first press counts."""
    data = once_data(data)
    return [
        execute(t("action.match_confirm"), Verb.MATCH_CONFIRM, style="positive", data=data),
        execute(t("action.match_decline"), Verb.MATCH_DECLINE, data=data),
    ]


def klus_data(klus_id: int, person_id: str | None = None) -> dict[str, Any]:
    """What a klus button sends back; the server checks it, it decides nothing."""
    data: dict[str, Any] = {F.KLUS_ID.value: klus_id}
    if person_id is not None:
        data[F.PERSON_ID.value] = person_id
    return data
