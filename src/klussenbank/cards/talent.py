"""Cards of the talent search and of a "date": the search, a page of results (what someone can do
and why they fit, never their name), the request form, and a date as each of its two sides sees it.

The service decides who may see whom (`services/talent.py`); these only draw it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from klussenbank.cards.contact import contact_block
from klussenbank.cards.elements import (
    Element,
    FormBody,
    attention,
    card,
    container,
    date_input,
    execute,
    facts,
    good,
    once_data,
    skill_label,
    subtle,
    text,
    title,
)
from klussenbank.cards.why import why
from klussenbank.domain.talent import DateStatus
from klussenbank.i18n import Translator
from klussenbank.services.talent import DateFormView, DateView, TalentResultsView, TalentSearchView
from klussenbank.verbs import TalentInput, Verb

T = TalentInput
_SKILL_REASONS = ("skills", "free_skills", "nice_skills", "mentioned")  # hours and period fit any date


def talent_search_card(view: TalentSearchView, t: Translator) -> Element:
    body: list[Element] = [title(t("talent.search_title")), text(t("talent.search_intro"))]
    if view.empty_query:
        body.append(attention(t("talent.empty_query"), f"{T.QUERY}_error"))
    body.append(
        {
            "type": "Input.Text",
            "id": T.QUERY,
            "label": t("talent.query_label"),
            "placeholder": t("talent.query_placeholder"),
            "maxLength": 200,
            "value": view.text,
        }
    )
    body.append(subtle(t("talent.privacy")))
    return card(body, [execute(t("action.talent_search"), Verb.TALENT_SEARCH, style="positive")])


def talent_results_card(view: TalentResultsView, t: Translator) -> Element:
    searched = [skill_label(s, t) for s in view.skills] + list(view.terms)
    body: list[Element] = [
        title(t("talent.results_title")),
        subtle(t("talent.searched_for", what=", ".join(searched))),
    ]
    if not view.results:
        body.append(text(t("talent.none_page") if view.page else t("talent.none")))
    for number, result in enumerate(view.results, start=view.page * 10 + 1):
        items: list[Element] = [
            text(t("talent.result_heading", number=number, organisation=result.organisation), weight="Bolder")
        ]
        if result.talent_text:
            items.append(text(t("talent.their_text", text=result.talent_text)))
        reasons = replace(
            result.match, reasons=tuple(r for r in result.match.reasons if r.code in _SKILL_REASONS)
        )
        if reasons.reasons:
            items.append(subtle(why(reasons, t, "they")))
        items.append(
            {
                "type": "ActionSet",
                "actions": [
                    execute(
                        t("action.talent_ask"),
                        Verb.TALENT_DATE_NEW,
                        data={T.REF.value: result.ref},
                    )
                ],
            }
        )
        body.append(container(items, separator=True, spacing="Medium"))
    if view.results:
        body.append(subtle(t("talent.names_later")))
    actions: list[Element] = []
    if view.more:
        actions.append(
            execute(
                t("action.talent_more"),
                Verb.TALENT_SEARCH,
                data={T.QUERY.value: view.text, T.PAGE.value: view.page + 1},
            )
        )
    actions.append(execute(t("action.talent_new_search"), Verb.TALENT_SEARCH))
    return card(body, actions)


def date_form_card(view: DateFormView, t: Translator) -> Element:
    values = view.values
    form = FormBody([title(t("talent.date_title")), text(t("talent.date_intro"))], view.errors, t)
    form.field(
        {
            "type": "Input.Text",
            "id": T.TEXT,
            "label": t("talent.date_text"),
            "placeholder": t("talent.date_text_placeholder"),
            "isMultiline": True,
            "maxLength": 500,
            "value": values.text,
        }
    )
    form.field(
        {
            "type": "Input.Number",
            "id": T.HOURS,
            "label": t("talent.date_hours"),
            **({"value": values.hours} if values.hours is not None else {}),
        },
        t("talent.date_hours_help", max=view.max_free_hours),
    )
    form.field(date_input(T.START, t("talent.date_start"), values.start_date, t, minimum=view.today))
    form.field(date_input(T.END, t("talent.date_end"), values.end_date, t), t("talent.date_dates_help"))
    form.items.append(subtle(t("talent.date_privacy")))
    return card(
        form.items,
        [
            execute(
                t("action.talent_send"),
                Verb.TALENT_DATE_REQUEST,
                style="positive",
                data=once_data({T.REF.value: view.ref}),
            ),
            execute(t("action.cancel"), Verb.TALENT_SEARCH),
        ],
    )


def date_card(view: DateView, t: Translator, *, banner: str | None = None) -> Element:
    """The date for its requester or its talent, as it stands now."""
    body: list[Element] = []
    if banner:
        body.append(good(banner))
    key = f"talent.{view.reader}.{view.status.value}"
    asker = view.requester.name if view.requester else ""
    helper = view.talent.name if view.talent else ""
    body += [
        title(t(f"{key}.title", name=helper)),
        text(t(f"{key}.text", name=asker, organisation=view.requester_organisation)),
    ]
    body.append(container([text(view.text, isSubtle=False)], style="emphasis"))
    pairs = [(t("talent.date_hours_fact"), t.plural("talent.hours_value", view.hours, hours=view.hours))]
    start, end = view.start_date, view.end_date
    if start or end:
        key = "between" if start and end else "from" if start else "until"
        when = t(f"talent.dates_{key}", start=t.date(start) if start else "", end=t.date(end) if end else "")
        pairs.append((t("talent.date_when"), when))
    body.append(facts(pairs))
    actions: list[Element] = []
    if view.status is DateStatus.REQUESTED and view.reader == "talent":
        if view.needs_approval:
            body.append(subtle(t("talent.talent.large", max=view.max_free_hours, name=asker)))
        body.append(subtle(t("talent.talent.decline_note", name=asker)))
        once = once_data({T.DATE_ID.value: view.id})  # (one key: the two answers exclude each other)
        actions = [
            execute(t("action.talent_accept"), Verb.TALENT_DATE_ACCEPT, style="positive", data=once),
            execute(t("action.talent_decline"), Verb.TALENT_DATE_DECLINE, data=once),
        ]
    if view.status is DateStatus.ACCEPTED:
        other = view.requester if view.reader == "talent" else view.talent
        if other is not None:
            body.append(contact_block(other, t))
        if view.needs_approval:
            body.append(text(t(f"talent.{view.reader}.large", max=view.max_free_hours, name=asker)))
            if view.reader == "requester":
                actions.append(
                    execute(
                        t("action.talent_post_klus"),
                        Verb.TALENT_DATE_KLUS,
                        style="positive",
                        data={T.DATE_ID.value: view.id},
                    )
                )
    if view.status is DateStatus.DECLINED and view.reader == "requester":
        actions.append(execute(t("action.talent_new_search"), Verb.TALENT_SEARCH, style="positive"))
    return card(body, actions or [execute(t("action.help"), Verb.HELP_SHOW)])


class TalentCardRenderer:
    """The TalentCards port: a date as a card for one of its sides, in their language."""

    def date(self, view: DateView, locale: str) -> dict[str, Any]:
        return date_card(view, Translator.for_locale(locale))
