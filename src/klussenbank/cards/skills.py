"""The skills picker every form shares, and what its type-ahead search answers."""

from __future__ import annotations

from collections.abc import Iterable

from klussenbank.cards.elements import Element, skill_choices, skill_label
from klussenbank.i18n import Translator
from klussenbank.services.skill_search import MAX_RESULTS, SkillFound
from klussenbank.services.views import SkillChoice
from klussenbank.verbs import Dataset


def skill_picker(
    input_id: str,
    label: str,
    skills: tuple[SkillChoice, ...],
    selected: Iterable[str],
    t: Translator,
    *,
    typeahead: bool,
) -> Element:
    """A multi-select that filters as you type (`style: filtered`, static: every client that knows
    it). With `typeahead`, Teams also asks the bot as you type (`choices.data`), which finds skills
    by synonym and domain too ("notulist" offers Taking minutes); the static list stays, so the
    chosen skills keep their names and a client without the search still filters."""
    picker: Element = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "isMultiSelect": True,
        "style": "filtered",
        "placeholder": t("skills.placeholder"),
        "choices": skill_choices(skills, t),
        "value": ",".join(selected),
    }
    if typeahead:
        picker["choices.data"] = {"type": "Data.Query", "dataset": Dataset.SKILLS.value, "count": MAX_RESULTS}
    return picker


def skill_result(found: SkillFound, t: Translator) -> dict[str, str]:
    """One option of the type-ahead list; found by another word, it says which: "Notuleren (notulist)"."""
    name = skill_label(found.choice, t)
    return {"title": f"{name} ({found.via})" if found.via else name, "value": found.choice.id}
