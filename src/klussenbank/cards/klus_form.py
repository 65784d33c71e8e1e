"""The form to post a klus or edit one."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import (
    Element,
    FormBody,
    card,
    date_input,
    execute,
    once_data,
    skill_choices,
    subtle,
    title,
)
from klussenbank.cards.klus_elements import klus_data
from klussenbank.domain.klus import Visibility
from klussenbank.domain.people import WorkMode
from klussenbank.i18n import Translator
from klussenbank.services.views import KlusFormView
from klussenbank.verbs import KlusInput, Verb

F = KlusInput


def klus_form_card(view: KlusFormView, t: Translator) -> Element:
    values = view.values
    form = FormBody(
        [
            title(t("klus_form.title_edit" if view.klus_id else "klus_form.title_new")),
            subtle(t("klus_form.intro")),
        ],
        view.errors,
        t,
    )
    field = form.field
    skills = skill_choices(view.skill_choices, t)

    def choice_set(input_id: str, choices: list[dict[str, str]], value: str, **extra: Any) -> Element:
        return {
            "type": "Input.ChoiceSet",
            "id": input_id,
            "label": t(f"klus_form.{input_id}"),
            "choices": choices,
            "value": value,
            **extra,
        }

    def number(input_id: str, value: int | None, minimum: int, maximum: int) -> Element:
        element: Element = {
            "type": "Input.Number",
            "id": input_id,
            "label": t(f"klus_form.{input_id}"),
            "min": minimum,
            "max": maximum,
        }
        if value is not None:
            element["value"] = value
        return element

    def line(input_id: str, value: str, max_length: int, **extra: Any) -> Element:
        return {
            "type": "Input.Text",
            "id": input_id,
            "label": t(f"klus_form.{input_id}"),
            "maxLength": max_length,
            "value": value,
            **extra,
        }

    field(line(F.TITLE, values.title, 80, placeholder=t("klus_form.title_placeholder")))
    field(line(F.DESCRIPTION, values.description, 2000, isMultiline=True))
    field(
        choice_set(
            F.ORGANISATION,
            [{"title": org.name, "value": org.key} for org in view.organisation_choices],
            values.organisation,
            style="compact",
        )
    )
    field(
        choice_set(
            F.REQUIRED_SKILLS,
            skills,
            ",".join(values.required_skills),
            isMultiSelect=True,
            style="compact",
        )
    )
    field(line(F.SKILLS_OTHER, values.skills_other, 300, placeholder=t("form.skills_other_placeholder")))
    field(
        choice_set(F.NICE_SKILLS, skills, ",".join(values.nice_skills), isMultiSelect=True, style="compact")
    )
    field(number(F.HOURS_PER_WEEK, values.hours_per_week, 1, 40))
    for input_id, value in ((F.START_DATE, values.start_date), (F.END_DATE, values.end_date)):
        field(date_input(input_id, t(f"klus_form.{input_id}"), value, minimum=view.today))
    field(
        choice_set(
            F.WORK_MODE,
            [{"title": t(f"klus_mode.{mode.value}"), "value": mode.value} for mode in WorkMode],
            values.work_mode.value if values.work_mode else "",
            style="expanded",
        )
    )
    field(line(F.PLACE, values.place, 80, placeholder=t("klus_form.place_placeholder")))
    field(number(F.PEOPLE_NEEDED, values.people_needed, 1, 20))
    field(
        date_input(
            F.INTEREST_DEADLINE,
            t("klus_form.interest_deadline"),
            values.interest_deadline,
            minimum=view.today,
        )
    )
    field(
        choice_set(
            F.VISIBILITY,
            [{"title": t(f"visibility.{v.value}"), "value": v.value} for v in Visibility],
            (values.visibility or Visibility.POOL).value,
            style="expanded",
        )
    )
    field(
        date_input(
            F.INTERNAL_FIRST_UNTIL,
            t("klus_form.internal_first_until"),
            values.internal_first_until,
            minimum=view.today,
        )
    )
    data = once_data(klus_data(view.klus_id) if view.klus_id else None)
    actions = [
        execute(
            t("action.klus_post" if not view.klus_id else "action.save"),
            Verb.KLUS_POST,
            style="positive",
            data=data,
        )
    ]
    if view.klus_id:
        actions.append(execute(t("action.cancel"), Verb.KLUS_MINE))
    return card(form.items, actions)
