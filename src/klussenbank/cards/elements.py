"""Small builders of Adaptive Card 1.5 elements; cards are plain dicts, json does the escaping."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from klussenbank.domain.fields import FieldError
from klussenbank.i18n import Translator
from klussenbank.services.views import SkillChoice
from klussenbank.verbs import ONCE, Verb

Element = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


def card(body: list[Element], actions: list[Element] | None = None) -> Element:
    result: Element = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
    }
    if actions:
        result["actions"] = actions
    return result


def title(text: str) -> Element:
    return {"type": "TextBlock", "text": text, "size": "Large", "weight": "Bolder", "wrap": True}


def text(value: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": value, "wrap": True, **style}


def subtle(value: str) -> Element:
    return text(value, isSubtle=True, size="Small")


def attention(value: str, element_id: str | None = None) -> Element:
    block = text(value, color="Attention", weight="Bolder")
    if element_id:
        block["id"] = element_id
    return block


def good(value: str) -> Element:
    return text(value, color="Good", weight="Bolder")


def person(name: str, t: Translator) -> str:
    """A person's name; for someone who erased their data (the name is gone): a neutral word."""
    return name or t("person.erased")


def facts(pairs: list[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs if v]}


def execute(
    title_: str, verb: Verb, *, style: str | None = None, data: dict[str, Any] | None = None
) -> Element:
    action: Element = {"type": "Action.Execute", "title": title_, "verb": verb.value}
    if data:
        action["data"] = data
    if style:
        action["style"] = style
    return action


def open_url(title_: str, url: str) -> Element:
    return {"type": "Action.OpenUrl", "title": title_, "url": url}


def new_once_key() -> str:
    return secrets.token_urlsafe(16)


def once_data(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """`data` and a new one-time key: give it to every button of one card that creates something, so
    a double click (or a press of its other such button) takes effect once."""
    return {**(data or {}), ONCE: new_once_key()}


def refresh(verb: Verb, data: dict[str, Any], user_ids: tuple[str, ...]) -> Element:
    """A card's `refresh`: Teams asks for the card again (`verb`, `data`) when these people see it,
    so they always see it as it is now. Only for a card in one person's chat: their own ids."""
    result: Element = {"action": {"type": "Action.Execute", "verb": verb.value, "data": data}}
    if user_ids:
        result["userIds"] = list(user_ids)
    return result


def show_card(title_: str, inner: Element) -> Element:
    return {"type": "Action.ShowCard", "title": title_, "card": inner}


def container(items: list[Element], **style: Any) -> Element:
    return {"type": "Container", "items": items, **style}


def date_input(
    input_id: str, label: str, value: date | None, t: Translator, *, minimum: date | None = None
) -> Element:
    """A date field; with `minimum`, the client refuses an earlier date and says why (never a
    silent button). Leave it out where the field may be hidden: the server checks it then."""
    element: Element = {"type": "Input.Date", "id": input_id, "label": label}
    if minimum is not None:
        element["min"] = minimum.isoformat()
        element["errorMessage"] = t("error.date_min", date=t.date(minimum))
    if value is not None:
        element["value"] = value.isoformat()
    return element


def more_options(items: list[Element], t: Translator, *, shown: bool) -> list[Element]:
    """The fields that have a sensible default, behind "Meer opties" (shown when one of them has a
    message). Their inputs are sent with the form whether shown or not."""
    toggle = {"type": "Action.ToggleVisibility", "title": t("form.more_options"), "targetElements": [MORE]}
    return [
        {"type": "ActionSet", "actions": [toggle]},
        container(items, id=MORE, isVisible=shown),
    ]


MORE = "more_options"


def errors_by_field(errors: tuple[FieldError, ...], t: Translator) -> dict[str, str]:
    messages: dict[str, str] = {}
    for error in errors:
        messages.setdefault(error.field, t(f"error.{error.code}", **error.params))
    return messages


class FormBody:
    """The body of a form card: a heading, then each field followed by its message, if any, and a
    short help line where it needs one. On top, when something is wrong, a summary that names the
    fields with a message."""

    def __init__(self, heading: list[Element], errors: tuple[FieldError, ...], t: Translator) -> None:
        self.items = list(heading)
        self._t = t
        self._errors = errors_by_field(errors, t)
        self._summary = attention(t("form.errors"))
        self._named: list[str] = []
        if self._errors:
            self.items.append(self._summary)

    def field(self, element: Element, help_text: str = "", *, into: list[Element] | None = None) -> None:
        target = self.items if into is None else into
        target.append(element)
        if element["id"] in self._errors:
            target.append(attention(self._errors[element["id"]], f"{element['id']}_error"))
            self._named.append(str(element.get("label") or element.get("title") or ""))
            fields = ", ".join(f"'{name}'" for name in self._named if name)
            self._summary["text"] = f"{self._t('form.errors')} {self._t('form.errors_fields', fields=fields)}"
        if help_text:
            target.append(subtle(help_text))

    def has_error(self, input_ids: list[str]) -> bool:
        return any(input_id in self._errors for input_id in input_ids)


def skill_label(skill: SkillChoice, t: Translator) -> str:
    return skill.label_nl if t.language == "nl" else skill.label_en


def skill_choices(skills: tuple[SkillChoice, ...], t: Translator) -> list[dict[str, str]]:
    """The vocabulary as choices, in alphabetical order of the reader's language."""
    return sorted(
        ({"title": skill_label(s, t), "value": s.id} for s in skills),
        key=lambda choice: choice["title"].casefold(),
    )
