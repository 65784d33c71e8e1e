"""Cards of the work after a match: a month's hours, how it went, and reading that back."""

from __future__ import annotations

from datetime import date
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
    person,
    show_card,
    subtle,
    text,
    title,
)
from klussenbank.cards.skills import skill_picker
from klussenbank.domain.work import MAX_EVALUATION_TEXT, Evaluation, Role
from klussenbank.i18n import Translator
from klussenbank.services.reports import ReportRequest
from klussenbank.services.views import EvaluationsView, EvaluationView, HoursView, MatchEvaluations
from klussenbank.verbs import ApprovalInput, Verb, WorkInput, report_scope

W = WorkInput


def hours_card(view: HoursView, t: Translator) -> Element:
    """A month's hours. Open: the question, the hours in a box and a button. Once the employee has
    confirmed, their card says so (changing stays possible until the poster has checked). The
    poster agrees with "Hours are right", which saves exactly the hours their card showed, or
    corrects them behind "Change the hours". Checked: settled, for both."""
    hours = view.hours
    employee = view.role is Role.EMPLOYEE
    name = person(view.employee_name, t)
    month = t.month(hours.month)
    heading = [title(t(f"hours.title.{view.role.value}", month=month, title=view.klus_title, name=name))]
    if view.changed:
        heading.append(attention(t("hours.changed", name=name)))
    settled = hours.corrected is not None
    open_ = not settled and (bool(view.errors) or hours.reported is None)
    if settled:
        heading.append(good(t("hours.already_checked" if employee else "hours.checked")))
    elif employee and not open_:
        heading.append(good(t("hours.thanks")))
    else:
        heading.append(subtle(t(f"hours.intro.{view.role.value}", name=name)))
    form = FormBody(heading, view.errors, t)
    form.items.append(
        facts(
            [
                (t("hours.planned"), _hours(hours.planned, t)),
                (t("hours.reported"), _hours(hours.reported, t) if hours.reported is not None else "–"),
                (t("hours.corrected"), _hours(hours.corrected, t) if hours.corrected is not None else "–"),
            ]
        )
    )
    ids = {ApprovalInput.APPROVAL_ID.value: view.approval_id, W.MONTH.value: hours.month.isoformat()}
    data: dict[str, Any] = dict(ids)
    actions: list[Element] = []
    if not settled:
        if hours.far_above_plan:
            form.items.append(text(t("hours.far_above_plan", planned=_hours(hours.planned, t))))
        if not employee:
            data[W.SHOWN.value] = hours.reported
            actions.append(execute(t("action.hours_check"), Verb.HOURS_CHECK, style="positive", data=data))
        # No min or max on the box: a client would quietly cap what was typed; the bot checks it.
        box = {
            "type": "Input.Number",
            "id": W.HOURS.value,
            "label": t("hours.input.employee" if employee else "hours.input.poster"),
            "value": hours.reported if hours.reported is not None else hours.planned,
        }
        save = execute(
            t("action.hours_confirm" if employee else "action.hours_correct"),
            Verb.HOURS_REPORT if employee else Verb.HOURS_CORRECT,
            style="positive" if employee else None,
            data=data,
        )
        if open_:
            form.field(box)
            actions.append(save)
        else:
            actions.append(show_card(t("action.hours_change"), card([box], [save])))
    if not employee:
        actions.append(execute(t("action.work_complete"), Verb.WORK_COMPLETE, data=ids))
    return card(form.items, actions)


def work_complete_confirm_card(approval_id: int, month: date | None, t: Translator) -> Element:
    """Before the work ends: are you sure? Back goes where the poster came from (a month's hours,
    or the match's status)."""
    data = {ApprovalInput.APPROVAL_ID.value: approval_id}
    back = (
        execute(t("action.back"), Verb.HOURS_SHOW, data={**data, W.MONTH.value: month.isoformat()})
        if month
        else execute(t("action.back"), Verb.APPROVAL_SHOW, data=data)
    )
    return card(
        [title(t("work.complete.title")), text(t("work.complete.text"))],
        [
            execute(
                t("action.work_complete_confirm"),
                Verb.WORK_COMPLETE_CONFIRM,
                style="positive",
                data=once_data(data),
            ),
            back,
        ],
    )


def evaluation_card(view: EvaluationView, t: Translator) -> Element:
    heading = [title(t("evaluation.title", title=view.klus_title))]
    data = {ApprovalInput.APPROVAL_ID.value: view.approval_id}
    if view.done:
        return card(
            [*heading, good(t("evaluation.thanks"))],
            [execute(t("action.evaluations_show"), Verb.EVALUATIONS_SHOW, data=data)],
        )
    form = FormBody(
        [*heading, text(t(f"evaluation.intro.{view.role.value}", name=person(view.other_name, t)))],
        view.errors,
        t,
    )
    draft = view.draft
    form.field(
        {
            "type": "Input.ChoiceSet",
            "id": W.SCORE.value,
            "label": t("evaluation.score"),
            "style": "expanded",
            "choices": [{"title": t(f"evaluation.score.{n}"), "value": str(n)} for n in range(5, 0, -1)],
            "value": str(draft.score) if draft.score else "",
        }
    )
    for input_id in (W.WENT_WELL, W.COULD_BE_BETTER):
        form.field(
            {
                "type": "Input.Text",
                "id": input_id.value,
                "label": t(f"evaluation.{input_id.value}"),
                "isMultiline": True,
                "maxLength": MAX_EVALUATION_TEXT,
                "value": getattr(draft, input_id.value),
            }
        )
    form.field(
        {
            "type": "Input.ChoiceSet",
            "id": W.AGAIN.value,
            "label": t("evaluation.again"),
            "style": "expanded",
            "choices": [
                {"title": t("my_data.yes"), "value": "true"},
                {"title": t("my_data.no"), "value": "false"},
            ],
            "value": "" if draft.again is None else str(draft.again).lower(),
        }
    )
    if view.role is Role.EMPLOYEE:
        # Sent through the outbox, outside a turn: the list filters in the client, without search.
        form.field(
            skill_picker(
                W.SKILLS.value, t("evaluation.skills"), view.skill_choices, draft.skills, t, typeahead=False
            )
        )
        form.items.append(
            {
                "type": "Input.Toggle",
                "id": W.ADD_SKILLS.value,
                "title": t("evaluation.add_skills"),
                "value": "true" if draft.add_skills else "false",
                "valueOn": "true",
                "valueOff": "false",
            }
        )
    elif view.skill_choices:  # the poster confirms skills: on the employee's profile, counting more
        form.field(
            skill_picker(
                W.SKILLS.value,
                t("learning.evaluation_confirm", name=person(view.other_name, t)),
                view.skill_choices,
                draft.skills,
                t,
                typeahead=False,
            ),
            t("learning.evaluation_confirm_help"),
        )
    return card(
        form.items,
        [execute(t("action.evaluation_send"), Verb.EVALUATION_SEND, style="positive", data=once_data(data))],
    )


def evaluations_card(view: EvaluationsView, t: Translator, report: ReportRequest | None = None) -> Element:
    """One match's evaluations; opened from HR's list (the `report` it came from), back to that
    list, even when the HR person is one of its sides; else its two sides go back to the match's
    status."""
    match = view.match
    body = [
        title(t("evaluations.title", title=match.klus_title)),
        subtle(t("evaluations.intro")),
        *match_evaluation_items(match, t, view.role),
    ]
    if report and report.organisation and report.start and report.end:
        scope = report_scope(report.organisation, report.start, report.end)
        return card(body, [execute(t("action.evaluations_back"), Verb.REPORT_EVALUATIONS, data=scope)])
    if view.role is not None:
        data = {ApprovalInput.APPROVAL_ID.value: match.approval_id}
        return card(body, [execute(t("action.back"), Verb.APPROVAL_SHOW, data=data)])
    return card(body)


# In a list of matches each text is cut to this many characters: ten matches with every text at
# its maximum would be larger than the ~28 KB Teams accepts in a message.
BRIEF_TEXT = 240


def match_evaluation_items(
    match: MatchEvaluations, t: Translator, reader: Role | None = None, *, brief: bool = False
) -> list[Element]:
    """Who worked for whom, when it ended, and what each side said; `reader`'s own side is "you".
    `brief`: the texts cut short, for a list."""
    items: list[Element] = [
        facts(
            [
                (
                    t("approval.candidate"),
                    f"{person(match.employee_name, t)} ({match.employee_organisation})",
                ),
                (t("evaluations.poster"), f"{person(match.poster_name, t)} ({match.poster_organisation})"),
                (t("evaluations.completed"), t.date(match.completed_on)),
            ]
        )
    ]
    sides = (
        (Role.EMPLOYEE, person(match.employee_name, t), match.employee),
        (Role.POSTER, person(match.poster_name, t), match.poster),
    )
    for role, name, evaluation in sides:
        own = role is reader
        heading = t("evaluations.side.you") if own else t(f"evaluations.side.{role.value}", name=name)
        said = (
            _said(evaluation, t, brief=brief)
            if evaluation
            else [subtle(t("evaluations.missing.you" if own else "evaluations.missing"))]
        )
        items.append(container([text(heading, weight="Bolder"), *said], separator=True))
    return items


def _said(evaluation: Evaluation, t: Translator, *, brief: bool) -> list[Element]:
    score = t(
        "evaluations.score_value", label=t(f"evaluation.score.{evaluation.score}"), score=evaluation.score
    )
    items = [
        facts(
            [
                (t("evaluations.score"), score),
                (t("evaluation.again"), t("my_data.yes") if evaluation.again else t("my_data.no")),
            ]
        )
    ]
    for key, said in (
        ("evaluations.went_well", evaluation.went_well),
        ("evaluations.could_be_better", evaluation.could_be_better),
    ):
        if said:
            items.append(text(t(key, text=_cut(said) if brief else said)))
    return items


def _cut(said: str) -> str:
    return said if len(said) <= BRIEF_TEXT else said[: BRIEF_TEXT - 1].rstrip() + "…"


class WorkCardRenderer:
    """The WorkCards port."""

    def hours(self, view: HoursView, locale: str) -> dict[str, Any]:
        return hours_card(view, Translator.for_locale(locale))

    def evaluation(self, view: EvaluationView, locale: str) -> dict[str, Any]:
        return evaluation_card(view, Translator.for_locale(locale))


def _hours(value: float, t: Translator) -> str:
    return t.plural("report.hours_value", value, hours=value)
