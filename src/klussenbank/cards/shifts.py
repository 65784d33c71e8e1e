"""Requests by shift: the form, the request as posted, the coordinator's list of people and of open
requests, and the planning board of a week."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from klussenbank.cards.elements import (
    Element,
    FormBody,
    attention,
    card,
    container,
    execute,
    facts,
    good,
    once_data,
    open_url,
    subtle,
    text,
    title,
)
from klussenbank.cards.klus_elements import klus_data
from klussenbank.cards.pools import exclusion_text
from klussenbank.cards.skills import skill_picker
from klussenbank.cards.why import why
from klussenbank.domain.shifts import Shift
from klussenbank.i18n import Translator
from klussenbank.services.planning import ORGANISATION, PERSON, PlanningView
from klussenbank.services.shifts import CoordinatorView, OpenRequestsView, ShiftFormView, ShiftRequestView
from klussenbank.verbs import KlusInput, ShiftInput, Verb

F = KlusInput
LISTED = 8  # shifts listed on a card; the rest are counted


def shift_form_card(view: ShiftFormView, t: Translator, *, typeahead: bool = False) -> Element:
    values = view.values
    errors = tuple(
        replace(e, params={k: t.shift(v) if isinstance(v, Shift) else v for k, v in e.params.items()})
        for e in view.errors
    )
    heading = [title(t("shifts.form.heading")), subtle(t("shifts.form.intro"))]
    if len(view.pool_choices) == 1:
        heading.append(facts([(t("shifts.pool"), view.pool_choices[0].name)]))
    form = FormBody(heading, errors, t)

    def line(input_id: str, value: str, max_length: int, **extra: Any) -> Element:
        return {
            "type": "Input.Text",
            "id": input_id,
            "label": t(f"shifts.form.{input_id}"),
            "maxLength": max_length,
            "value": value,
            **extra,
        }

    form.field(line(F.TITLE, values.title, 80))
    form.field(
        line(
            ShiftInput.SHIFTS,
            values.shifts,
            1000,
            isMultiline=True,
            placeholder=t("shifts.form.shifts_placeholder"),
        ),
        t("shifts.form.shifts_help"),
    )
    form.field(line(F.PLACE, values.place, 80))
    form.field(
        skill_picker(
            F.REQUIRED_SKILLS,
            t("shifts.form.required_skills"),
            view.skill_choices,
            values.required_skills,
            t,
            typeahead=typeahead,
        )
    )
    form.field(line(F.SKILLS_OTHER, values.skills_other, 300, placeholder=t("form.skills_other_placeholder")))
    people: Element = {"type": "Input.Number", "id": F.PEOPLE_NEEDED, "label": t("shifts.form.people_needed")}
    if values.people_needed is not None:
        people["value"] = values.people_needed
    form.field(people)
    data = once_data({ShiftInput.POOL.value: values.pool}) if len(view.pool_choices) == 1 else once_data()
    form.field(
        {
            "type": "Input.ChoiceSet",
            "id": F.ORGANISATION,
            "label": t("shifts.form.organisation"),
            "choices": [{"title": org.name, "value": org.key} for org in view.organisation_choices],
            "value": values.organisation,
            "style": "compact",
        }
    )
    if len(view.pool_choices) > 1:
        form.field(
            {
                "type": "Input.ChoiceSet",
                "id": ShiftInput.POOL,
                "label": t("shifts.form.pool"),
                "choices": [{"title": pool.name, "value": pool.key} for pool in view.pool_choices],
                "value": values.pool,
                "style": "compact",
            }
        )
    qualifications = list(dict.fromkeys(q for pool in view.pool_choices for q in pool.qualifications))
    if qualifications:
        form.field(
            {
                "type": "Input.ChoiceSet",
                "id": ShiftInput.QUALIFICATIONS,
                "label": t("shifts.form.qualifications"),
                "choices": [{"title": q, "value": q} for q in qualifications],
                "value": ",".join(values.qualifications),
                "isMultiSelect": True,
                "style": "expanded",
            },
            t("shifts.form.qualifications_help"),
        )
    form.field(line(F.DESCRIPTION, values.description, 2000, isMultiline=True))
    return card(form.items, [execute(t("shifts.action.post"), Verb.SHIFTS_POST, style="positive", data=data)])


def shift_lines(shifts: tuple[Shift, ...], t: Translator) -> list[Element]:
    lines: list[Element] = [text("\n".join(f"- {t.shift(s)}" for s in shifts[:LISTED]))]
    if len(shifts) > LISTED:
        lines.append(subtle(t.plural("shifts.more", len(shifts) - LISTED, count=len(shifts) - LISTED)))
    return lines


def request_summary(view: ShiftRequestView, t: Translator) -> list[Element]:
    klus = view.klus
    return [
        facts(
            [
                (t("klus.organisation"), klus.organisation.name),
                (t("klus.poster"), klus.poster_name),
                (t("shifts.place"), klus.place),
                (t("shifts.booked"), ", ".join(view.booked) or "–"),
                (t("shifts.proposed"), ", ".join(view.proposed) or "–"),
                (t("shifts.open_places"), f"{view.open_places} / {klus.people_needed}"),
            ]
        ),
        text(t("shifts.count", count=len(view.shifts)), weight="Bolder"),
        *shift_lines(view.shifts, t),
    ]


def shift_request_card(view: ShiftRequestView, t: Translator, *, banner: str = "") -> Element:
    body: list[Element] = [title(view.klus.title)]
    if banner:
        body.append(good(banner))
    body += request_summary(view, t)
    return card(body, [execute(t("shifts.action.planning"), Verb.PLANNING_SHOW)])


def coordinator_card(view: CoordinatorView, t: Translator) -> Element:
    request = view.request
    data = klus_data(request.klus.id)
    body: list[Element] = [title(t("shifts.coordinator.title", title=request.klus.title))]
    if view.banner:
        body.append(
            attention(t(view.banner))
            if "clash" in view.banner or "full" in view.banner
            else good(t(view.banner))
        )
    body += request_summary(request, t)
    body.append(text(t("shifts.coordinator.people"), weight="Bolder"))
    if not view.rows:
        body.append(subtle(t("shifts.coordinator.nobody")))
    once = once_data()  # one key for the card: one proposal per press of a fresh card
    for row in view.rows:
        items: list[Element] = [text(f"{row.name} · {row.organisation}", weight="Bolder")]
        if row.match is not None:
            items.append(subtle(why(row.match, t, "they")))
        if row.status is not None:
            items.append(text(t(f"shifts.status.{row.status.value}")))
        elif row.clash is not None:
            items.append(attention(t("shifts.coordinator.clash", shift=t.shift(row.clash))))
        elif row.unavailable:
            days = ", ".join(t.date(day) for day in row.unavailable)
            items.append(attention(t("shifts.coordinator.unavailable", days=days)))
        elif row.left_out:
            items.append(attention(" · ".join(exclusion_text(e, t) for e in row.left_out)))
        else:
            propose = execute(
                t("shifts.action.propose"),
                Verb.SHIFTS_PROPOSE,
                style="positive",
                data={**once, **klus_data(request.klus.id, row.person_id)},
            )
            items.append({"type": "ActionSet", "actions": [propose]})
        body.append(container(items, separator=True))
    return card(body, [execute(t("shifts.action.refresh"), Verb.SHIFTS_CANDIDATES, data=data)])


def open_requests_card(view: OpenRequestsView, t: Translator) -> Element:
    body: list[Element] = [title(t("shifts.open.title"))]
    if not view.requests:
        body.append(text(t("shifts.open.none")))
    for request in view.requests:
        klus = request.klus
        items: list[Element] = [
            text(klus.title, weight="Bolder"),
            subtle(
                t(
                    "shifts.open.line",
                    organisation=klus.organisation.name,
                    first=t.shift(request.shifts[0]),
                    count=len(request.shifts),
                    open=request.open_places,
                )
            ),
        ]
        show = execute(t("shifts.action.people"), Verb.SHIFTS_CANDIDATES, data=klus_data(klus.id))
        body.append(container([*items, {"type": "ActionSet", "actions": [show]}], separator=True))
    return card(body, [execute(t("shifts.action.planning"), Verb.PLANNING_SHOW)])


def planning_card(view: PlanningView, t: Translator) -> Element:
    sunday = view.monday + timedelta(days=6)
    body: list[Element] = [
        title(t("planning.title", first=t.date(view.monday), last=t.date(sunday))),
        subtle(t(f"planning.scope.{view.scope}")),
    ]
    if not view.shifts:
        body.append(text(t("planning.empty")))
    for planned in view.shifts:
        who = ", ".join(name for _, name in planned.booked)
        items: list[Element] = [
            text(f"{t.shift(planned.shift)} · {planned.title}", weight="Bolder"),
            subtle(
                f"{planned.organisation_name} · {planned.place}"
                if planned.place
                else planned.organisation_name
            ),
        ]
        if who:
            items.append(text(who))
        if planned.open_places:
            items.append(attention(t.plural("planning.open", planned.open_places, count=planned.open_places)))
        body.append(container(items, separator=True))

    def week(days: int, label: str) -> Element:
        monday = view.monday + timedelta(days=days)
        return execute(
            t(label),
            Verb.PLANNING_SHOW,
            data={ShiftInput.WEEK.value: monday.isoformat(), ShiftInput.SCOPE.value: view.scope},
        )

    actions = [week(-7, "planning.previous"), week(7, "planning.next")]
    if view.may_coordinate:
        other = PERSON if view.scope == ORGANISATION else ORGANISATION
        actions.append(
            execute(
                t(f"planning.show.{other}"),
                Verb.PLANNING_SHOW,
                data={ShiftInput.WEEK.value: view.monday.isoformat(), ShiftInput.SCOPE.value: other},
            )
        )
    body.append(
        {
            "type": "ActionSet",
            "actions": [open_url(t("planning.csv"), view.csv_url), open_url(t("planning.ics"), view.ics_url)],
        }
    )
    body.append(subtle(t("planning.ics_help")))
    return card(body, actions)
