"""The pieces klus cards share: a klus's facts and one-line summary, why it fits someone, the data its buttons
send, and the choices of a chosen candidate."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import (
    Element,
    container,
    execute,
    facts,
    once_data,
    refresh,
    skill_label,
    text,
)
from klussenbank.domain.matching import Match
from klussenbank.i18n import Translator
from klussenbank.services.views import KlusView
from klussenbank.verbs import KlusInput, Verb

F = KlusInput


def explain(match: Match, t: Translator) -> str:
    """ "3 van 4 vaardigheden · 16 van 16 uur · periode past", from the match's reasons."""
    parts = []
    for reason in match.reasons:
        params: dict[str, object] = dict(reason.params)
        variant = params.pop("fit", None)
        if reason.code == "hours":  # "16 van 16 uur", also for someone with more hours free
            params["offered"] = min(int(reason.params["offered"]), int(reason.params["needed"]))
        if variant is None and params.get("related"):
            variant = "related"
        if variant is None and params.get("partial"):
            variant = "partial"
        parts.append(t(f"reason.{reason.code}" + (f".{variant}" if variant else ""), **params))
    return " · ".join(parts)


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
                (t("klus.hours"), t("profile.hours_value", hours=klus.hours_per_week)),
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
