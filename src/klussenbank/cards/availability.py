"""Cards of a person's own availability: the sign-up form, the summary, pause and withdraw."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from klussenbank.cards.elements import (
    Element,
    FormBody,
    attention,
    card,
    date_input,
    errors_by_field,
    execute,
    facts,
    good,
    more_options,
    once_data,
    show_card,
    skill_label,
    subtle,
    text,
    title,
)
from klussenbank.cards.skills import skill_picker
from klussenbank.domain.people import WEEKDAYS, AvailabilityStatus, WorkMode
from klussenbank.i18n import Translator
from klussenbank.services.views import FormView, PauseView, ProfileView
from klussenbank.verbs import AvailabilityInput, GrowthInput, PauseInput, Verb

F = AvailabilityInput


def availability_form_card(view: FormView, t: Translator, *, typeahead: bool = False) -> Element:
    """The sign-up form: what you can do, hours and from when first; the rest has a default, shown
    as text, and is behind "Meer opties"."""
    values = view.values
    form = FormBody(
        [title(t("form.title_update" if view.is_update else "form.title_new")), subtle(t("form.intro"))],
        view.errors,
        t,
    )
    field = form.field
    field(skill_picker(F.SKILLS, t("form.skills"), view.skill_choices, values.skills, t, typeahead=typeahead))
    field(
        {
            "type": "Input.Text",
            "id": F.SKILLS_OTHER,
            "label": t("form.skills_other"),
            "placeholder": t("form.skills_other_placeholder"),
            "value": values.skills_other,
        },
        t("form.skills_other_help"),
    )
    # No min or max: a client may change 0 into 1 without a word; the server says what is allowed.
    field(
        {
            "type": "Input.Number",
            "id": F.HOURS_PER_WEEK,
            "label": t("form.hours"),
            **({"value": values.hours_per_week} if values.hours_per_week is not None else {}),
        }
    )
    field(date_input(F.START_DATE, t("form.start_date"), values.start_date, t, minimum=view.today))
    organisations = {org.key: org.name for org in view.organisation_choices}
    form.items.append(
        facts(
            [
                (
                    t("profile.weekdays"),
                    ", ".join(t.weekday(d) for d in values.weekdays) or t("form.any_day"),
                ),
                (t("form.end_date"), t.date(values.end_date) if values.end_date else t("form.no_end")),
                (
                    t("profile.organisations"),
                    ", ".join(organisations.get(key, key) for key in values.organisations) or "–",
                ),
                (
                    t("profile.work_mode"),
                    t(f"work_mode.{values.work_mode.value}") if values.work_mode else "–",
                ),
                (t("form.suggestions_short"), t("form.on" if values.suggestions else "form.off")),
                (t("talent.form_findable_short"), t("form.on" if values.findable else "form.off")),
            ]
        )
    )
    more: list[Element] = []
    field(date_input(F.END_DATE, t("form.end_date"), values.end_date, t), t("form.end_date_help"), into=more)
    field(
        {
            "type": "Input.ChoiceSet",
            "id": F.WEEKDAYS,
            "label": t("form.weekdays"),
            "isMultiSelect": True,
            "style": "compact",
            "placeholder": t("form.any_day"),
            "choices": [{"title": t.weekday(day), "value": day} for day in WEEKDAYS],
            "value": ",".join(values.weekdays),
        },
        t("form.weekdays_help"),
        into=more,
    )
    field(
        {
            "type": "Input.ChoiceSet",
            "id": F.ORGANISATIONS,
            "label": t("form.organisations"),
            "isMultiSelect": True,
            "style": "expanded",
            "choices": [{"title": org.name, "value": org.key} for org in view.organisation_choices],
            "value": ",".join(values.organisations),
        },
        into=more,
    )
    field(
        {
            "type": "Input.ChoiceSet",
            "id": F.WORK_MODE,
            "label": t("form.work_mode"),
            "style": "expanded",
            "choices": [{"title": t(f"work_mode.{mode.value}"), "value": mode.value} for mode in WorkMode],
            "value": values.work_mode.value if values.work_mode else "",
        },
        into=more,
    )
    field(
        {
            "type": "Input.Text",
            "id": F.INTRO,
            "label": t("form.intro_field"),
            "placeholder": t("form.intro_placeholder"),
            "isMultiline": True,
            "maxLength": 500,
            "value": values.intro,
        },
        into=more,
    )
    for learning_field in _learning_fields(view, t, typeahead=typeahead):
        field(learning_field, into=more)
    for input_id, on in (
        (F.SUGGESTIONS, values.suggestions),
        (F.VISIBLE_TO_OWN_LINE, values.visible_to_own_line),
    ):
        field(
            {
                "type": "Input.Toggle",
                "id": input_id,
                "title": t(f"form.{input_id}"),
                "value": "true" if on else "false",
                "valueOn": "true",
                "valueOff": "false",
            },
            into=more,
        )
    _findable_fields(field, values.findable, values.talent_text, t, more)
    form.items += more_options(more, t, shown=form.has_error([str(e.get("id")) for e in more]))
    actions = [execute(t("action.save"), Verb.AVAILABILITY_SAVE, style="positive", data=once_data())]
    if view.is_update:
        actions.append(execute(t("action.cancel"), Verb.PROFILE_SHOW))
    return card(form.items, actions)


def _findable_fields(
    field: Callable[..., None], findable: bool, talent_text: str, t: Translator, into: list[Element]
) -> None:
    """Talent search: one switch (off by default) and what I am good at / like to do."""
    field(
        {
            "type": "Input.Toggle",
            "id": F.FINDABLE,
            "title": t("talent.form_findable"),
            "value": "true" if findable else "false",
            "valueOn": "true",
            "valueOff": "false",
        },
        t("talent.form_findable_help"),
        into=into,
    )
    field(
        {
            "type": "Input.Text",
            "id": F.TALENT_TEXT,
            "label": t("talent.form_text"),
            "placeholder": t("talent.form_text_placeholder"),
            "isMultiline": True,
            "value": talent_text,
        },
        into=into,
    )


def profile_card(view: ProfileView, t: Translator, *, banner: str | None = None) -> Element:
    status = view.status
    body: list[Element] = [title(t("profile.title"))]
    if banner:
        body.append(good(banner))
    if status is AvailabilityStatus.WITHDRAWN:
        body.append(text(t("profile.withdrawn_note")))
    elif status is AvailabilityStatus.PAUSED and view.paused_until:
        body.append(text(t("profile.paused_note", date=t.date(view.paused_until))))
    skills = [skill_label(s, t) for s in view.skills]
    period = (
        t("profile.period_closed", start=t.date(view.start_date), end=t.date(view.end_date))
        if view.end_date
        else t("profile.period_open", start=t.date(view.start_date))
    )
    body.append(
        facts(
            [
                (t("profile.status"), _status_text(view, t)),
                (t("profile.skills"), ", ".join(skills + list(view.free_skills))),
                (
                    t("profile.hours"),
                    t.plural("profile.hours_value", view.hours_per_week, hours=view.hours_per_week),
                ),
                (t("profile.period"), period),
                (
                    t("profile.weekdays"),
                    ", ".join(t.weekday(d) for d in view.weekdays) or t("profile.weekdays_any"),
                ),
                (t("profile.organisations"), ", ".join(org.name for org in view.organisations)),
                (t("profile.work_mode"), t(f"work_mode.{view.work_mode.value}")),
                (t("profile.intro"), view.intro),
                (
                    t("talent.form_findable_short"),
                    t("talent.profile_findable", text=view.talent_text) if view.findable else t("form.off"),
                ),
                *_learning_fact(view, t),
            ]
        )
    )
    body += _confirmed_items(view, t)
    body.append(subtle(t("profile.privacy")))
    if status is AvailabilityStatus.WITHDRAWN:
        actions = [execute(t("action.sign_up_again"), Verb.AVAILABILITY_EDIT, style="positive")]
    else:
        actions = [execute(t("action.edit"), Verb.AVAILABILITY_EDIT)]
        if status is not AvailabilityStatus.PAUSED:  # the next step: what fits them now
            actions.insert(0, execute(t("action.klus_list"), Verb.KLUS_LIST, style="positive"))
        if status is AvailabilityStatus.PAUSED:
            actions.append(execute(t("action.resume"), Verb.AVAILABILITY_RESUME, style="positive"))
        else:
            actions.append(
                show_card(
                    t("action.pause"),
                    card(
                        _pause_body(PauseView(today=view.today), t),
                        [execute(t("action.pause_confirm"), Verb.AVAILABILITY_PAUSE)],
                    ),
                )
            )
        actions.append(execute(t("action.unavailable_show"), Verb.UNAVAILABLE_SHOW))
        actions.append(execute(t("action.withdraw"), Verb.AVAILABILITY_WITHDRAW, style="destructive"))
    return card(body, actions)


def _learning_fields(view: FormView, t: Translator, *, typeahead: bool) -> list[Element]:
    """ "Wat wil je leren?": skills from the list, and in your own words."""
    values = view.values
    return [
        skill_picker(
            F.LEARNING_SKILLS,
            t("learning.form_skills"),
            view.skill_choices,
            values.learning_skills,
            t,
            typeahead=typeahead,
        ),
        {
            "type": "Input.Text",
            "id": F.LEARNING_OTHER,
            "label": t("learning.form_other"),
            "placeholder": t("learning.form_other_placeholder"),
            "value": values.learning_other,
        },
    ]


def _learning_fact(view: ProfileView, t: Translator) -> list[tuple[str, str]]:
    wishes = [wish if isinstance(wish, str) else skill_label(wish, t) for wish in view.learning]
    return [(t("learning.profile"), ", ".join(wishes))] if wishes else []


def _confirmed_items(view: ProfileView, t: Translator) -> list[Element]:
    """Skills posters confirmed, with a small mark and a button to hide (or show again) each."""
    if not view.confirmed:
        return []
    items: list[Element] = [text(t("learning.confirmed_title"), weight="Bolder")]
    for confirmed in view.confirmed:
        label = skill_label(confirmed.skill, t)
        mark = t.plural("learning.confirmed_by", confirmed.count, count=confirmed.count)
        said = t("learning.confirmed_hidden", skill=label) if confirmed.hidden else f"✓ {label} · {mark}"
        verb = Verb.CONFIRMATION_SHOW if confirmed.hidden else Verb.CONFIRMATION_HIDE
        items.append(
            {
                "type": "ColumnSet",
                "columns": [
                    {"type": "Column", "width": "stretch", "items": [text(said, isSubtle=confirmed.hidden)]},
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [
                            {
                                "type": "ActionSet",
                                "actions": [
                                    execute(
                                        t("learning.show" if confirmed.hidden else "learning.hide"),
                                        verb,
                                        data={GrowthInput.SKILL.value: confirmed.skill.id},
                                    )
                                ],
                            }
                        ],
                    },
                ],
            }
        )
    items.append(subtle(t("learning.confirmed_help")))
    return items


def pause_card(view: PauseView, t: Translator) -> Element:
    body = [title(t("pause.title")), *_pause_body(view, t)]
    return card(
        body,
        [
            execute(t("action.pause_confirm"), Verb.AVAILABILITY_PAUSE, style="positive"),
            execute(t("action.cancel"), Verb.PROFILE_SHOW),
        ],
    )


def withdraw_confirm_card(t: Translator) -> Element:
    return card(
        [title(t("withdraw.title")), text(t("withdraw.text"))],
        [
            execute(t("action.withdraw_confirm"), Verb.AVAILABILITY_WITHDRAW_CONFIRM, style="destructive"),
            execute(t("action.cancel"), Verb.PROFILE_SHOW),
        ],
    )


def no_profile_card(t: Translator) -> Element:
    return card(
        [title(t("profile.title")), text(t("profile.none"))],
        [execute(t("action.sign_up"), Verb.AVAILABILITY_EDIT, style="positive")],
    )


def _pause_body(view: PauseView, t: Translator) -> list[Element]:
    errors = errors_by_field(view.errors, t)
    body: list[Element] = [
        text(t("pause.intro")),
        date_input(
            PauseInput.PAUSED_UNTIL,
            t("pause.date"),
            view.paused_until,
            t,
            minimum=view.today + timedelta(days=1),
        ),
    ]
    if PauseInput.PAUSED_UNTIL in errors:
        body.append(attention(errors[PauseInput.PAUSED_UNTIL], f"{PauseInput.PAUSED_UNTIL}_error"))
    return body


def _status_text(view: ProfileView, t: Translator) -> str:
    if view.status is AvailabilityStatus.PAUSED and view.paused_until:
        return t("profile.status.paused", date=t.date(view.paused_until))
    return t(f"profile.status.{view.status.value}")
