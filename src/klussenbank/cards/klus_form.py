"""The form to post a klus or edit one."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import (
    Element,
    FormBody,
    card,
    date_input,
    execute,
    facts,
    more_options,
    once_data,
    subtle,
    title,
)
from klussenbank.cards.klus_elements import klus_data
from klussenbank.cards.skills import skill_picker
from klussenbank.domain.klus import Visibility
from klussenbank.domain.people import WorkMode
from klussenbank.i18n import Translator
from klussenbank.services.views import KlusFormView
from klussenbank.verbs import KlusInput, Verb

F = KlusInput


def klus_form_card(view: KlusFormView, t: Translator, *, typeahead: bool = False) -> Element:
    """The klus form: what, which skills, how long and where first; the rest has a default, shown as
    text, and is behind "Meer opties"."""
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

    def choice_set(input_id: str, choices: list[dict[str, str]], value: str, **extra: Any) -> Element:
        return {
            "type": "Input.ChoiceSet",
            "id": input_id,
            "label": t(f"klus_form.{input_id}"),
            "choices": choices,
            "value": value,
            **extra,
        }

    def number(input_id: str, value: int | None) -> Element:
        # No min or max: a client may change 0 into 1 without a word; the server says what is allowed.
        element: Element = {"type": "Input.Number", "id": input_id, "label": t(f"klus_form.{input_id}")}
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
        skill_picker(
            F.REQUIRED_SKILLS,
            t("klus_form.required_skills"),
            view.skill_choices,
            values.required_skills,
            t,
            typeahead=typeahead,
        )
    )
    field(
        line(F.SKILLS_OTHER, values.skills_other, 300, placeholder=t("form.skills_other_placeholder")),
        t("form.skills_other_help"),
    )
    field(number(F.HOURS_PER_WEEK, values.hours_per_week))
    for input_id, value in ((F.START_DATE, values.start_date), (F.END_DATE, values.end_date)):
        field(date_input(input_id, t(f"klus_form.{input_id}"), value, t, minimum=view.today))
    field(
        choice_set(
            F.WORK_MODE,
            [{"title": t(f"klus_mode.{mode.value}"), "value": mode.value} for mode in WorkMode],
            values.work_mode.value if values.work_mode else "",
            style="expanded",
        )
    )
    field(
        line(F.PLACE, values.place, 80, placeholder=t("klus_form.place_placeholder")),
        t("klus_form.place_help"),
    )
    organisations = {org.key: org.name for org in view.organisation_choices}
    visibility = values.visibility or Visibility.POOL
    form.items.append(
        facts(
            [
                (t("klus.organisation"), organisations.get(values.organisation, values.organisation) or "–"),
                (t("klus.people_needed"), str(values.people_needed or "–")),
                (t("klus.deadline"), t.date(values.interest_deadline) if values.interest_deadline else "–"),
                (t("klus_form.visibility_short"), t(f"visibility.{visibility.value}")),
                (
                    t("klus_form.internal_first_short"),
                    t.date(values.internal_first_until) if values.internal_first_until else "–",
                ),
            ]
        )
    )
    more: list[Element] = []
    field(
        choice_set(
            F.ORGANISATION,
            [{"title": org.name, "value": org.key} for org in view.organisation_choices],
            values.organisation,
            style="compact",
        ),
        into=more,
    )
    field(
        skill_picker(
            F.NICE_SKILLS,
            t("klus_form.nice_skills"),
            view.skill_choices,
            values.nice_skills,
            t,
            typeahead=typeahead,
        ),
        into=more,
    )
    field(number(F.PEOPLE_NEEDED, values.people_needed), into=more)
    # Dates behind "Meer opties" have no min: a hidden field cannot show why the button did nothing.
    field(
        date_input(F.INTEREST_DEADLINE, t("klus_form.interest_deadline"), values.interest_deadline, t),
        t("klus_form.interest_deadline_help"),
        into=more,
    )
    field(
        choice_set(
            F.VISIBILITY,
            [{"title": t(f"visibility.{v.value}"), "value": v.value} for v in Visibility],
            visibility.value,
            style="expanded",
        ),
        into=more,
    )
    field(
        date_input(
            F.INTERNAL_FIRST_UNTIL, t("klus_form.internal_first_until"), values.internal_first_until, t
        ),
        t("klus_form.internal_first_until_help"),
        into=more,
    )
    field(
        skill_picker(
            F.LEARNING_SKILLS,
            t("learning.klus_skills"),
            view.skill_choices,
            values.learning_skills,
            t,
            typeahead=typeahead,
        ),
        t("learning.klus_skills_help"),
        into=more,
    )
    field(
        {
            "type": "Input.Toggle",
            "id": F.LEERKLUS,
            "title": t("learning.leerklus"),
            "value": "true" if values.leerklus else "false",
            "valueOn": "true",
            "valueOff": "false",
        },
        t("learning.leerklus_help"),
        into=more,
    )
    form.items += more_options(more, t, shown=form.has_error([str(e.get("id")) for e in more]))
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
